import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { InvoiceStatusBadge } from '~/components/invoice-status-badge'
import { Button, LinkButton } from '~/components/ui/button'
import { Pagination } from '~/components/ui/pagination'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/utils/auth.server'
import { formatEuros, formatIsoDate } from '~/utils/format'
import { canWriteInvoices, listInvoices } from '~/utils/invoices.server'
import { INVOICE_FILTER_STATUSES, isDisplayStatus } from '../../domain/invoicing/invoice-rules'
import { PAGE_SIZE, pageOf } from '~/utils/pagination'
import { findVisibleOrganisation } from '~/utils/records.server'
import { isIsoDate } from '../../domain/shared/paris-time'

export const meta: MetaFunction = () => [{ title: 'Factures — Alforis CRM' }]

// /invoices — every invoice, deposit invoice and credit note this user sees, with filters
// by status (computed for today), client, period and overdue; a GET form (works without JS).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const p = url.searchParams
  const orgParam = p.get('organisation')
  const org = orgParam ? await findVisibleOrganisation(auth, orgParam) : null
  const date = (v: string | null) => (v && isIsoDate(v) ? v : null)
  const filters = {
    q: (p.get('q') ?? '').slice(0, 100),
    status: isDisplayStatus(p.get('status')) ? p.get('status')! : null,
    from: date(p.get('from')),
    to: date(p.get('to')),
    overdue: p.get('overdue') === '1',
    organisationId: org?.id ?? null,
  }
  const page = pageOf(url)
  const { rows, hasNext } = await listInvoices(auth, filters as Parameters<typeof listInvoices>[1], page, PAGE_SIZE)
  return { rows, hasNext, page, filters, organisation: org ? { id: org.id, name: org.name } : null, canWrite: canWriteInvoices(auth.actor) }
}

export default function InvoicesList() {
  const { rows, hasNext, page, filters, organisation, canWrite } = useLoaderData<typeof loader>()
  const t = useT()
  const control =
    'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'
  return (
    <>
      <PageHeader
        title={t('invoice.list')}
        actions={
          canWrite ? (
            <>
              <LinkButton to="/invoices/echeances" variant="secondary">
                {t('invoice.billing.link')}
              </LinkButton>
              <LinkButton to="/invoices/bank" variant="secondary">
                {t('invoice.bank.link')}
              </LinkButton>
              <LinkButton to="/invoices/settings" variant="secondary">
                {t('invoice.settings')}
              </LinkButton>
              <LinkButton to="/invoices/new">{t('invoice.new')}</LinkButton>
            </>
          ) : null
        }
      />
      <Form
        method="get"
        className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_repeat(3,minmax(0,1fr))_auto_auto] lg:items-end"
      >
        {organisation ? <input type="hidden" name="organisation" value={organisation.id} /> : null}
        <div>
          <label htmlFor="f-q" className="block text-sm font-medium text-slate-800">
            {t('invoice.searchLabel')}
          </label>
          <input id="f-q" name="q" type="search" defaultValue={filters.q} className={`${control} mt-1`} />
        </div>
        <div>
          <label htmlFor="f-status" className="block text-sm font-medium text-slate-800">
            {t('invoice.filter.status')}
          </label>
          <select id="f-status" name="status" defaultValue={filters.status ?? ''} className={`${control} mt-1`}>
            <option value="">{t('invoice.filter.allStatuses')}</option>
            {INVOICE_FILTER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`invoice.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-from" className="block text-sm font-medium text-slate-800">
            {t('invoice.filter.from')}
          </label>
          <input id="f-from" name="from" type="date" defaultValue={filters.from ?? ''} className={`${control} mt-1`} />
        </div>
        <div>
          <label htmlFor="f-to" className="block text-sm font-medium text-slate-800">
            {t('invoice.filter.to')}
          </label>
          <input id="f-to" name="to" type="date" defaultValue={filters.to ?? ''} className={`${control} mt-1`} />
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue} className="h-4 w-4 rounded border-slate-300" />
          {t('invoice.filter.overdue')}
        </label>
        <Button variant="secondary">{t('invoice.filter.apply')}</Button>
        {organisation ? <p className="text-sm text-slate-700 sm:col-span-2">{t('invoice.filter.organisation', { name: organisation.name })}</p> : null}
      </Form>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600">{t('invoice.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm" data-testid="invoices-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-3">
                  {t('invoice.col.number')}
                </th>
                <th scope="col" className="px-3 py-3">
                  {t('invoice.col.client')}
                </th>
                <th scope="col" className="hidden px-3 py-3 md:table-cell">
                  {t('invoice.col.type')}
                </th>
                <th scope="col" className="hidden px-3 py-3 sm:table-cell">
                  {t('invoice.col.issueDate')}
                </th>
                <th scope="col" className="hidden px-3 py-3 sm:table-cell">
                  {t('invoice.col.dueDate')}
                </th>
                <th scope="col" className="px-3 py-3 text-right">
                  {t('invoice.col.ttc')}
                </th>
                <th scope="col" className="px-3 py-3">
                  {t('invoice.col.status')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <td className="whitespace-nowrap px-3 py-3 font-medium">
                    <Link to={`/invoices/${r.id}`} className="text-indigo-800 hover:underline">
                      {r.number ?? t('invoice.draftNumber')}
                    </Link>
                  </td>
                  <td className="px-3 py-3 text-slate-900">{r.organisation_name}</td>
                  <td className="hidden px-3 py-3 text-slate-700 md:table-cell">{t(`invoice.type.${r.type_code}`)}</td>
                  <td className="hidden whitespace-nowrap px-3 py-3 text-slate-700 sm:table-cell">{r.issue_date ? formatIsoDate(r.issue_date) : ''}</td>
                  <td className="hidden whitespace-nowrap px-3 py-3 text-slate-700 sm:table-cell">{r.due_date ? formatIsoDate(r.due_date) : ''}</td>
                  <td className="whitespace-nowrap px-3 py-3 text-right tabular-nums text-slate-900">{formatEuros(r.total_ttc_cents)}</td>
                  <td className="px-3 py-3">
                    <InvoiceStatusBadge status={r.display} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasNext={hasNext} />
    </>
  )
}
