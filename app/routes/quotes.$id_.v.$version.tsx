import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { QuoteDocumentView } from '~/components/quotes/quote-document-view'
import { Alert } from '~/components/ui/alert'
import { LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import type { QuoteSnapshot } from '../../domain/sales/quote-snapshot'
import { notFound, requireUser } from '~/utils/auth.server'
import { formatDate, formatIsoDate } from '~/utils/format'
import { findVisibleQuote, verifyQuoteVersion } from '~/utils/quotes.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.snapshot.number ?? 'Devis'} v${data?.snapshot.revision ?? ''} — Alforis CRM` },
]

/** A sent version, read-only and exactly as it was sent (its frozen snapshot). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const found = await findVisibleQuote(auth, params.id ?? '')
  if (!found) throw notFound()
  const revision = Number(params.version)
  if (!Number.isSafeInteger(revision) || revision < 1) throw notFound()
  const row = await auth.tenant
    .selectFrom('quote_versions')
    .selectAll()
    .where('quote_versions.quote_id', '=', found.quote.id)
    .where('quote_versions.revision', '=', revision)
    .executeTakeFirst()
  if (!row) throw notFound()
  return { quoteId: found.quote.id, snapshot: row.snapshot as QuoteSnapshot, sha256: row.sha256, intact: verifyQuoteVersion(row) }
}

export default function QuoteVersionPage() {
  const { quoteId, snapshot: s, sha256, intact } = useLoaderData<typeof loader>()
  const t = useT()
  const contact = s.contact ? `${s.contact.civility ? `${s.contact.civility} ` : ''}${s.contact.first_name} ${s.contact.last_name}` : null
  const address = [s.customer.address, [s.customer.postal_code, s.customer.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')
  return (
    <>
      <PageHeader
        title={t('quote.versionPage', { number: s.number, revision: s.revision })}
        subtitle={s.title ?? undefined}
        actions={
          <>
            <a
              href={`/quotes/${quoteId}/v/${s.revision}.pdf`}
              className="inline-flex items-center rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              {t('quote.downloadPdf')}
            </a>
            <LinkButton to={`/quotes/${quoteId}`} variant="secondary">
              {t('quote.backToQuote')}
            </LinkButton>
          </>
        }
      />
      <div className="mb-4">
        {intact ? (
          <Alert tone="info">
            {t('quote.versionFrozen', { date: formatDate(s.issued_at), until: formatIsoDate(s.valid_until), sha: sha256.slice(0, 16) + '…' })}
          </Alert>
        ) : (
          <Alert tone="error">{t('quote.versionIntegrityFailed')}</Alert>
        )}
      </div>
      <div className="space-y-6">
        <Card title={t('quote.issuedTo')}>
          <p className="text-sm font-medium text-slate-900">{s.customer.name}</p>
          {address ? <p className="text-sm text-slate-700">{address}</p> : null}
          {contact ? (
            <p className="text-sm text-slate-700">
              {contact}
              {s.contact?.email ? ` · ${s.contact.email}` : ''}
            </p>
          ) : null}
        </Card>
        <Card title={t('quote.lines')}>
          <QuoteDocumentView lines={s.lines} totals={s.totals} />
        </Card>
        <Card title={t('quote.conditions')}>
          <dl className="grid gap-4 text-sm sm:grid-cols-3">
            {[
              [t('quote.validity'), t('quote.validUntil', { date: formatIsoDate(s.valid_until) })],
              [t('quote.paymentTerms'), s.payment_terms],
              [t('quote.notes'), s.notes],
            ].map(([k, v]) => (
              <div key={k}>
                <dt className="font-medium text-slate-700">{k}</dt>
                <dd className="mt-1 whitespace-pre-line text-slate-900">{v || t('common.none')}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>
    </>
  )
}
