import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { Pagination } from '~/components/ui/pagination'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { requireUser } from '~/utils/auth.server'
import { ExportLinks } from '~/components/list-filters'
import { contactListQ, contactListRows } from '~/utils/contacts-list.server'
import { phoneLinks } from '~/utils/contacts.server'
import { PAGE_SIZE, pageOf } from '~/utils/pagination'

export const meta: MetaFunction = () => [{ title: 'Contacts — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const q = contactListQ(url)
  const page = pageOf(url)
  const query = contactListRows(auth, q)
  const rows = await query
    .orderBy('contacts.last_name')
    .orderBy('contacts.first_name')
    .orderBy('contacts.id')
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE)
    .execute()
  return {
    q,
    page,
    hasNext: rows.length > PAGE_SIZE,
    canCreate: canCreateCrmRecords(auth.actor),
    // Only the first address and number on the list; phones formatted here, not in the browser bundle.
    contacts: rows
      .slice(0, PAGE_SIZE)
      .map(({ emails, phones, ...c }) => ({ ...c, email: emails[0] ?? null, phone: phoneLinks(phones.slice(0, 1))[0] ?? null })),
  }
}

export default function Contacts() {
  const { q, page, hasNext, contacts, canCreate } = useLoaderData<typeof loader>()
  const [search] = useSearchParams()
  const t = useT()
  return (
    <>
      <PageHeader title={t('contact.list')} actions={canCreate ? <LinkButton to="/contacts/new">{t('contact.new')}</LinkButton> : null} />
      {search.get('supprime') ? (
        <div className="mb-4">
          <Alert tone="success">{t('contact.deleted')}</Alert>
        </div>
      ) : null}
      <Form method="get" role="search" className="mb-4 flex gap-2">
        <label htmlFor="q" className="sr-only">
          {t('contact.searchLabel')}
        </label>
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={q}
          placeholder={t('contact.searchLabel')}
          className="block w-full max-w-md rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600"
        />
        <Button variant="secondary">{t('common.search')}</Button>
      </Form>
      <div className="mb-2 flex flex-wrap items-center justify-end gap-2">
        <ExportLinks path="/contacts/export" query={q ? `?q=${encodeURIComponent(q)}` : ''} capped={false} />
      </div>
      {contacts.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">{t('contact.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-3 font-semibold">
                  {t('contact.name')}
                </th>
                <th scope="col" className="hidden px-4 py-3 font-semibold sm:table-cell">
                  {t('contact.organisation')}
                </th>
                <th scope="col" className="hidden px-4 py-3 font-semibold lg:table-cell">
                  {t('contact.email')}
                </th>
                <th scope="col" className="px-4 py-3 font-semibold">
                  {t('contact.phone')}
                </th>
                <th scope="col" className="hidden px-4 py-3 font-semibold md:table-cell">
                  {t('contact.owner')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {contacts.map((c) => (
                <tr key={c.id} className="hover:bg-slate-50">
                  <td className="px-4 py-3">
                    <Link
                      to={`/contacts/${c.id}`}
                      className="font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      {c.first_name} {c.last_name}
                    </Link>
                    {c.job_title ? <div className="text-xs text-slate-600">{c.job_title}</div> : null}
                    {/* On phones the organisation column is hidden: show it under the name. */}
                    {c.organisation_name ? <div className="text-xs text-slate-600 sm:hidden">{c.organisation_name}</div> : null}
                  </td>
                  <td className="hidden px-4 py-3 text-slate-700 sm:table-cell">
                    {c.organisation_id && c.organisation_name ? (
                      <Link to={`/organisations/${c.organisation_id}`} className="hover:underline">
                        {c.organisation_name}
                      </Link>
                    ) : (
                      t('common.none')
                    )}
                  </td>
                  <td className="hidden px-4 py-3 lg:table-cell">
                    {c.email ? (
                      <a href={`mailto:${c.email}`} className="text-indigo-800 hover:underline">
                        {c.email}
                      </a>
                    ) : (
                      <span className="text-slate-500">{t('common.none')}</span>
                    )}
                  </td>
                  <td className="whitespace-nowrap px-4 py-3">
                    {c.phone ? (
                      <a href={`tel:${c.phone.e164}`} className="tabular-nums text-indigo-800 hover:underline">
                        {c.phone.display}
                      </a>
                    ) : (
                      <span className="text-slate-500">{t('common.none')}</span>
                    )}
                  </td>
                  <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{c.owner_name ?? t('common.unassigned')}</td>
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
