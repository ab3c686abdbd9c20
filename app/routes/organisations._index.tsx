import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { sql } from 'kysely'
import { Badge, STATUS_TONE } from '~/components/ui/badge'
import { Button, LinkButton } from '~/components/ui/button'
import { Pagination } from '~/components/ui/pagination'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { requireUser } from '~/utils/auth.server'
import { PAGE_SIZE, pageOf } from '~/utils/pagination'
import { containsPattern } from '~/utils/records.server'
import { visibleTo } from '~/utils/visibility.server'

export const meta: MetaFunction = () => [{ title: 'Organisations — Alforis CRM' }]


export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 100)
  const page = pageOf(url)
  let query = auth.tenant.selectFrom('organisations')
    .leftJoin('users as owner', 'owner.id', 'organisations.owner_id')
    .select(['organisations.id', 'organisations.name', 'organisations.city', 'organisations.postal_code', 'organisations.status', 'organisations.siren', 'owner.full_name as owner_name'])
    .where('organisations.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'organisations'))
  if (q) query = query.where(sql`f_unaccent(lower(organisations.name))`, 'like', containsPattern(q))
  const rows = await query.orderBy('organisations.name').orderBy('organisations.id')
    .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE).execute()
  return { q, page, hasNext: rows.length > PAGE_SIZE, organisations: rows.slice(0, PAGE_SIZE), canCreate: canCreateCrmRecords(auth.actor) }
}

export default function Organisations() {
  const { q, page, hasNext, organisations, canCreate } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <PageHeader title={t('org.list')} actions={canCreate ? <LinkButton to="/organisations/new">{t('org.new')}</LinkButton> : null} />
      <Form method="get" role="search" className="mb-4 flex gap-2">
        <label htmlFor="q" className="sr-only">{t('org.searchLabel')}</label>
        <input id="q" name="q" type="search" defaultValue={q} placeholder={t('org.searchLabel')}
          className="block w-full max-w-md rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600" />
        <Button variant="secondary">{t('common.search')}</Button>
      </Form>
      {organisations.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">{t('org.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-3 font-semibold">{t('org.name')}</th>
                <th scope="col" className="hidden px-4 py-3 font-semibold sm:table-cell">{t('org.city')}</th>
                <th scope="col" className="px-4 py-3 font-semibold">{t('org.status')}</th>
                <th scope="col" className="hidden px-4 py-3 font-semibold md:table-cell">{t('org.owner')}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {organisations.map((o) => (
                <tr key={o.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link to={`/organisations/${o.id}`} className="font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">{o.name}</Link>
                    {o.siren ? <div className="text-xs text-slate-600">SIREN {o.siren}</div> : null}
                  </td>
                  <td className="hidden px-4 py-3 text-slate-700 sm:table-cell">{[o.postal_code, o.city].filter(Boolean).join(' ')}</td>
                  <td className="px-4 py-3"><Badge tone={STATUS_TONE[o.status]}>{t(`org.status.${o.status}`)}</Badge></td>
                  <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{o.owner_name ?? t('common.unassigned')}</td>
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
