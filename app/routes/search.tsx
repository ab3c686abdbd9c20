import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { StageBadge } from '~/components/ui/badge'
import { Button } from '~/components/ui/button'
import { BriefcaseIcon, BuildingIcon, UserIcon } from '~/components/ui/icons'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { loadStages } from '../../domain/crm/crm.repository'
import { formatPhone } from '../../domain/crm/contact-points'
import { requireUser } from '~/utils/auth.server'
import { formatEuros } from '~/utils/format'
import { normaliseQuery, searchAll, SEARCH_MIN_LENGTH } from '~/utils/search.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.q ? `« ${data.q} » — Recherche — Alforis CRM` : 'Recherche — Alforis CRM' }]

/**
 * One box for everything: organisations (name, SIREN/SIRET), contacts (name, e-mail,
 * phone), deals (title). The top bar's dropdown loads this same loader with `apercu=1`.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const q = normaliseQuery(url.searchParams.get('q'))
  const preview = url.searchParams.get('apercu') === '1'
  // Side by side: one round trip less before the answer.
  const [stages, results] = await Promise.all([
    loadStages(auth.tenant.db, auth.user.workspaceId),
    q.length >= SEARCH_MIN_LENGTH ? searchAll(auth, q, preview ? 5 : 20) : Promise.resolve({ q, organisations: [], contacts: [], deals: [] }),
  ])
  return {
    ...results,
    tooShort: q.length > 0 && q.length < SEARCH_MIN_LENGTH,
    minLength: SEARCH_MIN_LENGTH,
    contacts: results.contacts.map((c) => ({ ...c, phones: c.phones.map(formatPhone) })),
    stages: stages.map((s) => ({ code: s.code, label: s.label, kind: s.kind })),
  }
}

export type SearchLoader = typeof loader

export default function Search() {
  const { q, organisations, contacts, deals, stages, tooShort, minLength } = useLoaderData<typeof loader>()
  const t = useT()
  const stageOf = (code: string) => stages.find((s) => s.code === code)
  const total = organisations.length + contacts.length + deals.length
  return (
    <>
      <PageHeader title={t('search.title')} subtitle={q && !tooShort ? t('search.resultsFor', { q }) : undefined} />
      <Form method="get" role="search" className="mb-6 flex max-w-xl gap-2">
        <label htmlFor="search-page-q" className="sr-only">
          {t('search.label')}
        </label>
        <input
          id="search-page-q"
          name="q"
          type="search"
          defaultValue={q}
          placeholder={t('search.placeholder')}
          autoComplete="off"
          // eslint-disable-next-line jsx-a11y/no-autofocus -- the search page opened without a query exists to type one
          autoFocus={!q}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600"
        />
        <Button variant="secondary">{t('common.search')}</Button>
      </Form>
      {tooShort ? <p className="text-sm text-slate-700">{t('search.tooShort', { n: minLength })}</p> : null}
      {q && !tooShort && total === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">{t('search.none', { q })}</p>
      ) : null}
      {!q ? <p className="text-sm text-slate-600">{t('search.hint')}</p> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        {organisations.length ? (
          <Group title={t('search.organisations')} count={organisations.length} icon={<BuildingIcon className="h-5 w-5" />}>
            {organisations.map((o) => (
              <Hit key={o.id} to={`/organisations/${o.id}`} title={o.name} detail={[o.city, o.siren ? `SIREN ${o.siren}` : null].filter(Boolean).join(' · ')} />
            ))}
          </Group>
        ) : null}
        {contacts.length ? (
          <Group title={t('search.contacts')} count={contacts.length} icon={<UserIcon className="h-5 w-5" />}>
            {contacts.map((c) => (
              <Hit
                key={c.id}
                to={`/contacts/${c.id}`}
                title={`${c.first_name} ${c.last_name}`}
                detail={[c.job_title, c.organisation_name, c.emails[0], c.phones[0]].filter(Boolean).join(' · ')}
              />
            ))}
          </Group>
        ) : null}
        {deals.length ? (
          <Group title={t('search.deals')} count={deals.length} icon={<BriefcaseIcon className="h-5 w-5" />}>
            {deals.map((d) => (
              <Hit
                key={d.id}
                to={`/deals/${d.id}`}
                title={d.title}
                detail={`${d.organisation_name} · ${formatEuros(d.amount_cents)}`}
                badge={<StageBadge label={stageOf(d.stage)?.label ?? d.stage} kind={stageOf(d.stage)?.kind} />}
              />
            ))}
          </Group>
        ) : null}
      </div>
    </>
  )
}

function Group({ title, count, icon, children }: { title: string; count: number; icon: ReactNode; children: ReactNode }) {
  return (
    <section aria-label={title} className="self-start rounded-lg border border-slate-200 bg-white shadow-sm">
      <h2 className="flex items-center gap-2 border-b border-slate-100 px-4 py-3 text-sm font-semibold text-slate-900">
        <span className="text-slate-500">{icon}</span>
        {title}
        <span className="ml-auto rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">{count}</span>
      </h2>
      <ul className="divide-y divide-slate-100">{children}</ul>
    </section>
  )
}

function Hit({ to, title, detail, badge }: { to: string; title: string; detail?: string; badge?: ReactNode }) {
  return (
    <li>
      <Link
        to={to}
        className="block px-4 py-3 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600"
      >
        <span className="flex items-start justify-between gap-2">
          <span className="font-medium text-indigo-800">{title}</span>
          {badge}
        </span>
        {detail ? <span className="mt-0.5 block text-xs text-slate-600">{detail}</span> : null}
      </Link>
    </li>
  )
}
