import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData, useParams } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import { formatEuros, formatIsoDate } from '~/utils/format'
import { publicInvoiceOf } from '~/utils/invoice-link.server'
import type { InvoiceDocument } from '../../domain/invoicing/invoice-document'
import { remainingCents } from '../../domain/invoicing/invoice-rules'

// /f/:token — the customer's private page for an issued invoice (no login): its figures
// and its PDF. Unknown token: 404; too many unknown tokens from one address: 429 (the
// same budget as the quotes' /q/ links).

export const meta: MetaFunction = () => [{ title: 'Facture' }, { name: 'robots', content: 'noindex' }]
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'no-store' })

export async function loader({ params, context }: LoaderFunctionArgs) {
  const { link, invoice } = await publicInvoiceOf(context, params.token ?? '')
  await context.runtime.db.updateTable('invoice_links').set({ last_viewed_at: context.runtime.now() }).where('id', '=', link.id).execute()
  const doc = invoice.document as InvoiceDocument
  return {
    number: doc.number,
    type: doc.type_code,
    seller: doc.seller.name,
    buyer: doc.buyer.name,
    issueDate: doc.issue_date,
    dueDate: doc.due_date,
    totalTtc: doc.totals.total_ttc_cents,
    amountDue: doc.amount_due_cents,
    remaining: invoice.status === 'annulee' ? 0 : remainingCents(invoice),
    iban: doc.seller.iban,
  }
}

export default function PublicInvoice() {
  const d = useLoaderData<typeof loader>()
  const { token } = useParams()
  const t = useT()
  return (
    <main id="main" className="mx-auto max-w-2xl p-6">
      <h1 className="text-2xl font-bold text-slate-900">{t('invoice.public.title', { document: t(`invoice.type.${d.type}`), number: d.number })}</h1>
      <p className="mt-1 text-slate-700">{t('invoice.public.from', { name: d.seller })}</p>
      <dl className="mt-6 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
        <div>
          <dt className="font-medium text-slate-700">{t('invoice.client')}</dt>
          <dd>{d.buyer}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">{t('invoice.issueDate')}</dt>
          <dd>{formatIsoDate(d.issueDate)}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">{t('invoice.totalTtc')}</dt>
          <dd className="tabular-nums">{formatEuros(d.totalTtc)}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">{t('invoice.dueDate')}</dt>
          <dd>{formatIsoDate(d.dueDate)}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">{t('invoice.remaining')}</dt>
          <dd className="tabular-nums">{formatEuros(d.remaining)}</dd>
        </div>
        {d.iban ? (
          <div>
            <dt className="font-medium text-slate-700">IBAN</dt>
            <dd>{d.iban}</dd>
          </div>
        ) : null}
      </dl>
      <a href={`/f/${token}.pdf`} className="mt-6 inline-block rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-800">
        {t('invoice.pdf')}
      </a>
    </main>
  )
}
