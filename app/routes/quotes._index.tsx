import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { QuoteStatusBadge } from '~/components/quotes/quote-status-badge'
import { Button, LinkButton } from '~/components/ui/button'
import { Pagination } from '~/components/ui/pagination'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import type { QuoteStatus } from '../../db/schema'
import { QUOTE_STATUSES } from '../../domain/sales/quote'
import { requireUser } from '~/utils/auth.server'
import { formatEuros, formatIsoDate, toIsoDate } from '~/utils/format'
import { isUuid } from '~/utils/forms.server'
import { PAGE_SIZE, pageOf } from '~/utils/pagination'
import { canEditQuotes, isQuoteStatus, listQuotes } from '~/utils/quotes.server'
import { findVisibleOrganisation } from '~/utils/records.server'

export const meta: MetaFunction = () => [{ title: 'Devis — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const p = url.searchParams
  const owner = p.get('owner')
  const orgParam = p.get('organisation')
  const org = orgParam ? await findVisibleOrganisation(auth, orgParam) : null
  const filters = {
    q: (p.get('q') ?? '').slice(0, 100),
    status: isQuoteStatus(p.get('status')) ? (p.get('status') as QuoteStatus) : null,
    ownerId: isUuid(owner) ? owner : null,
    organisationId: org?.id ?? null,
    dealId: null,
  }
  const page = pageOf(url)
  const [{ rows, hasNext }, owners] = await Promise.all([
    listQuotes(auth, filters, page, PAGE_SIZE),
    auth.tenant
      .selectFrom('users')
      .select(['users.id', 'users.full_name'])
      .where('users.role', '!=', 'finance')
      .where('users.active', '=', true)
      .orderBy('users.full_name')
      .execute(),
  ])
  return {
    rows: rows.map((r) => ({ ...r, valid_until: toIsoDate(r.valid_until), total_ttc_cents: Number(r.total_ttc_cents) })),
    hasNext,
    page,
    filters,
    organisation: org ? { id: org.id, name: org.name } : null,
    owners,
    canCreate: canEditQuotes(auth.actor),
  }
}

export default function QuotesList() {
  const { rows, hasNext, page, filters, organisation, owners, canCreate } = useLoaderData<typeof loader>()
  const t = useT()
  const control =
    'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'
  return (
    <>
      <PageHeader
        title={t('quote.list')}
        actions={
          <>
            <LinkButton to="/products" variant="secondary">
              {t('nav.products')}
            </LinkButton>
            {canCreate ? <LinkButton to="/quotes/new">{t('quote.new')}</LinkButton> : null}
          </>
        }
      />
      <Form
        method="get"
        className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-end"
      >
        {organisation ? <input type="hidden" name="organisation" value={organisation.id} /> : null}
        <div>
          <label htmlFor="f-q" className="block text-sm font-medium text-slate-800">
            {t('quote.searchLabel')}
          </label>
          <input id="f-q" name="q" type="search" defaultValue={filters.q} className={`${control} mt-1`} />
        </div>
        <div>
          <label htmlFor="f-status" className="block text-sm font-medium text-slate-800">
            {t('quote.filter.status')}
          </label>
          <select id="f-status" name="status" defaultValue={filters.status ?? ''} className={`${control} mt-1`}>
            <option value="">{t('quote.filter.allStatuses')}</option>
            {QUOTE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`quote.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="f-owner" className="block text-sm font-medium text-slate-800">
            {t('quote.filter.owner')}
          </label>
          <select id="f-owner" name="owner" defaultValue={filters.ownerId ?? ''} className={`${control} mt-1`}>
            <option value="">{t('quote.filter.allOwners')}</option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.full_name}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary">{t('quote.filter.apply')}</Button>
        {organisation ? (
          <p className="text-sm text-slate-700 sm:col-span-4">
            {t('quote.filter.organisation', { name: organisation.name })} ·{' '}
            <Link
              to={`/quotes?${new URLSearchParams({ ...(filters.q ? { q: filters.q } : {}), ...(filters.status ? { status: filters.status as string } : {}), ...(filters.ownerId ? { owner: filters.ownerId } : {}) })}`}
              className="font-medium text-indigo-800 hover:underline"
            >
              {t('quote.filter.clearOrganisation')}
            </Link>
          </p>
        ) : null}
      </Form>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600">{t('quote.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm" data-testid="quotes-table">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-2 py-3 sm:px-4">
                  {t('quote.col.number')}
                </th>
                <th scope="col" className="hidden px-2 py-3 sm:px-4 sm:table-cell">
                  {t('quote.col.client')}
                </th>
                <th scope="col" className="hidden px-2 py-3 sm:px-4 md:table-cell">
                  {t('quote.col.title')}
                </th>
                <th scope="col" className="px-2 py-3 sm:px-4 text-right">
                  {t('quote.col.ttc')}
                </th>
                <th scope="col" className="px-2 py-3 sm:px-4">
                  {t('quote.col.status')}
                </th>
                <th scope="col" className="hidden px-2 py-3 sm:px-4 sm:table-cell">
                  {t('quote.col.validity')}
                </th>
                <th scope="col" className="hidden px-2 py-3 sm:px-4 lg:table-cell">
                  {t('quote.col.owner')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50">
                  <td className="whitespace-nowrap px-2 py-3 sm:px-4 font-medium">
                    <Link to={`/quotes/${r.id}`} className="text-indigo-800 hover:underline">
                      {r.number}
                    </Link>
                    {r.revision > 1 ? <span className="ml-1 text-xs text-slate-600">v{r.revision}</span> : null}
                    <span className="block text-xs font-normal text-slate-700 sm:hidden">{r.organisation_name}</span>
                  </td>
                  <td className="hidden px-2 py-3 sm:px-4 text-slate-900 sm:table-cell">{r.organisation_name}</td>
                  <td className="hidden max-w-[18rem] truncate px-2 py-3 sm:px-4 text-slate-700 md:table-cell">{r.title ?? ''}</td>
                  <td className="whitespace-nowrap px-2 py-3 sm:px-4 text-right tabular-nums text-slate-900">{formatEuros(r.total_ttc_cents)}</td>
                  <td className="px-2 py-3 sm:px-4">
                    <QuoteStatusBadge status={r.status} />
                  </td>
                  <td className="hidden whitespace-nowrap px-2 py-3 sm:px-4 text-slate-700 sm:table-cell">
                    {r.valid_until ? t('quote.validUntil', { date: formatIsoDate(r.valid_until) }) : t('quote.validityDays', { days: r.validity_days })}
                  </td>
                  <td className="hidden px-2 py-3 sm:px-4 text-slate-700 lg:table-cell">{r.owner_name ?? ''}</td>
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
