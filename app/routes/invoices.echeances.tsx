import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { formatEuros, formatIsoDate } from '~/utils/format'
import { canWriteInvoices } from '~/utils/invoices.server'
import { dueBillingItems, invoiceDueBillingItems } from '../../domain/invoicing/contract-billing'
import { loadInvoiceSettings } from '../../domain/invoicing/invoice-settings'
import { parisDay } from '../../domain/shared/paris-time'

export const meta: MetaFunction = () => [{ title: 'Échéances de contrats à facturer — Alforis CRM' }]

// /invoices/echeances — the contract billing items due today or before, and "Facturer les
// échéances": the same pass as the daily job, now, for this workspace. Finance and admins.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  const [items, settings] = await Promise.all([
    dueBillingItems(context.runtime.db, parisDay(auth.now()), auth.user.workspaceId).limit(500).execute(),
    loadInvoiceSettings(context.runtime.db, auth.user.workspaceId),
  ])
  return {
    items: items.map((i) => ({ ...i, period_start: String(i.period_start), period_end: String(i.period_end), amount_cents: Number(i.amount_cents) })),
    issue: settings.contract_billing_issue,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  const r = await invoiceDueBillingItems(context.runtime.db, context.runtime.jobs, auth.now(), { workspaceId: auth.user.workspaceId, actorId: auth.user.id })
  throw redirect(`/invoices/echeances?facturees=${r.invoiced.length}&brouillons=${r.issueFailed.length}`)
}

export default function BillingItemsPage() {
  const { items, issue } = useLoaderData<typeof loader>()
  const [search] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const done = search.get('facturees')
  const left = Number(search.get('brouillons') ?? 0)
  return (
    <>
      <PageHeader title={t('invoice.billing.title')} subtitle={t(issue ? 'invoice.billing.subtitleIssue' : 'invoice.billing.subtitleDraft')} />
      {done !== null ? (
        <div className="mb-4 space-y-2">
          <Alert tone="success">{t('invoice.billing.done', { count: Number(done) })}</Alert>
          {left > 0 ? <Alert tone="error">{t('invoice.billing.leftDraft', { count: left })}</Alert> : null}
        </div>
      ) : null}
      <Card title={t('invoice.billing.due', { count: items.length })}>
        {items.length === 0 ? (
          <p className="text-sm text-slate-600">{t('invoice.billing.none')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm" data-testid="billing-items">
              <thead>
                <tr className="text-left text-slate-700">
                  <th scope="col" className="py-2 pr-4 font-medium">
                    {t('invoice.billing.contract')}
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    {t('invoice.client')}
                  </th>
                  <th scope="col" className="py-2 pr-4 font-medium">
                    {t('invoice.billing.period')}
                  </th>
                  <th scope="col" className="py-2 text-right font-medium">
                    {t('invoice.billing.amount')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((i) => (
                  <tr key={i.id}>
                    <td className="py-2 pr-4">
                      <Link to={`/contracts/${i.contract_id}`} className="text-indigo-800 hover:underline">
                        {i.contract_title}
                      </Link>
                    </td>
                    <td className="py-2 pr-4">{i.organisation_name}</td>
                    <td className="py-2 pr-4">
                      {formatIsoDate(i.period_start)} – {formatIsoDate(i.period_end)}
                    </td>
                    <td className="py-2 text-right tabular-nums">{formatEuros(i.amount_cents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Form method="post" className="mt-4">
          <AuthenticityTokenInput />
          <Button disabled={busy || items.length === 0}>{t('invoice.billing.run')}</Button>
        </Form>
      </Card>
    </>
  )
}
