import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { sql } from 'kysely'
import { StageBadge } from '~/components/ui/badge'
import { Button, LinkButton } from '~/components/ui/button'
import { Pagination } from '~/components/ui/pagination'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { loadStages } from '../../domain/crm/crm.repository'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { requireUser } from '~/utils/auth.server'
import { formatDate, formatEuros } from '~/utils/format'
import { PAGE_SIZE, pageOf } from '~/utils/pagination'
import { containsPattern } from '~/utils/records.server'
import { visibleTo } from '~/utils/visibility.server'

export const meta: MetaFunction = () => [{ title: 'Affaires — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100)
  const page = pageOf(url)
  const stages = await loadStages(auth.tenant.db, auth.user.workspaceId)
  const stage = stages.find((s) => s.code === url.searchParams.get('etape'))?.code ?? ''
  let query = auth.tenant.selectFrom('deals')
    .innerJoin('organisations', (j) => j.onRef('organisations.id', '=', 'deals.organisation_id').onRef('organisations.workspace_id', '=', 'deals.workspace_id'))
    .leftJoin('users as owner', 'owner.id', 'deals.owner_id')
    .select(['deals.id', 'deals.title', 'deals.amount_cents', 'deals.stage', 'deals.expected_close_date', 'organisations.name as organisation_name', 'owner.full_name as owner_name'])
    .where('deals.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'deals'))
  if (q) query = query.where(sql`f_unaccent(lower(deals.title))`, 'like', containsPattern(q))
  if (stage) query = query.where('deals.stage', '=', stage)
  const rows = await query.orderBy('deals.updated_at', 'desc').orderBy('deals.id')
    .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE).execute()
  return {
    q, stage, page, hasNext: rows.length > PAGE_SIZE, deals: rows.slice(0, PAGE_SIZE),
    stages: stages.map((s) => ({ code: s.code, label: s.label, kind: s.kind })),
    canCreate: canCreateCrmRecords(auth.actor),
  }
}

export default function Deals() {
  const { q, stage, page, hasNext, deals, stages, canCreate } = useLoaderData<typeof loader>()
  const t = useT()
  const stageOf = (code: string) => stages.find((s) => s.code === code)
  const input = 'block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600'
  return (
    <>
      <PageHeader title={t('deal.list')} actions={canCreate ? <LinkButton to="/deals/new">{t('deal.new')}</LinkButton> : null} />
      <Form method="get" role="search" className="mb-4 flex flex-wrap gap-2">
        <label htmlFor="q" className="sr-only">{t('deal.searchLabel')}</label>
        <input id="q" name="q" type="search" defaultValue={q} placeholder={t('deal.searchLabel')} className={`${input} w-full max-w-sm`} />
        <label htmlFor="etape" className="sr-only">{t('deal.stageFilter')}</label>
        <select id="etape" name="etape" defaultValue={stage} className={input}>
          <option value="">{t('deal.allStages')}</option>
          {stages.map((s) => <option key={s.code} value={s.code}>{s.label}</option>)}
        </select>
        <Button variant="secondary">{t('common.search')}</Button>
      </Form>
      {deals.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">{t('deal.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-3 font-semibold">{t('deal.title')}</th>
                <th scope="col" className="px-4 py-3 font-semibold">{t('deal.stage')}</th>
                <th scope="col" className="px-4 py-3 text-right font-semibold">{t('dashboard.amount')}</th>
                <th scope="col" className="hidden px-4 py-3 font-semibold md:table-cell">{t('deal.expectedClose')}</th>
                <th scope="col" className="hidden px-4 py-3 font-semibold lg:table-cell">{t('deal.owner')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {deals.map((d) => (
                <tr key={d.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link to={`/deals/${d.id}`} className="font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">{d.title}</Link>
                    <div className="text-xs text-slate-600">{d.organisation_name}</div>
                  </td>
                  <td className="px-4 py-3"><StageBadge label={stageOf(d.stage)?.label ?? d.stage} kind={stageOf(d.stage)?.kind} /></td>
                  <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">{formatEuros(d.amount_cents)}</td>
                  <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{formatDate(d.expected_close_date)}</td>
                  <td className="hidden px-4 py-3 text-slate-700 lg:table-cell">{d.owner_name ?? t('common.unassigned')}</td>
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
