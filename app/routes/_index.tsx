import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { DashboardFilters } from '~/components/dashboard/dashboard-filters'
import { DashboardGrid } from '~/components/dashboard/dashboard-grid'
import { Alert } from '~/components/ui/alert'
import { PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/utils/auth.server'
import { canSetGoals } from '../../domain/identity/roles'
import { filterQuery, loadDashboard } from '~/utils/dashboard.server'
import { formatInteger } from '~/utils/format'
import { useCsrf } from '~/components/authenticity-token-input'

export const meta: MetaFunction = () => [{ title: 'Tableau de bord — Alforis CRM' }]

/**
 * The signed-in user's dashboard: their widgets (or their role's template), each with
 * the figures of the filter in the URL, narrowed to what their role may see. Analytics
 * are a read model: if ClickHouse is down the page still opens and each widget says so.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const url = new URL(request.url)
  const model = await loadDashboard(context.runtime, auth, url)
  const editing = url.searchParams.get('personnaliser') === '1'
  return {
    ...model,
    editing,
    // For the no-JS editor forms (only one is posted per page); scripts make their own.
    commandId: randomUUID(),
    query: filterQuery(model.view),
    canManageGoals: canSetGoals(auth.actor),
    layoutError: ({ conflit: 'conflict', absent: 'gone', invalide: 'invalid' } as const)[url.searchParams.get('erreur') ?? ''] ?? null,
  }
}

// Moving, resizing or removing a widget changes no figure: no need to reload them.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, formData, defaultShouldRevalidate }) => {
  if (formAction === '/dashboard/layout') {
    const action = String(formData?.get('action') ?? '')
    if (!action.startsWith('add:') && action !== 'reset') return false
  }
  return defaultShouldRevalidate
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>()
  const csrf = useCsrf()
  const t = useT()
  const { summary } = d.view
  const sep = d.query ? '&' : '?'
  const editHref = d.editing ? `/${d.query}` : `/${d.query}${sep}personnaliser=1`
  const linkBtn =
    'inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-xs font-semibold shadow-sm sm:px-3 sm:py-2 sm:text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600'
  return (
    <>
      <PageHeader
        title={t('dashboard.title')}
        subtitle={
          <span className="flex flex-wrap gap-x-2">
            <span>{summary.period}</span>
            {summary.team ? <span>· {summary.team}</span> : null}
            {summary.owner ? <span>· {summary.owner}</span> : null}
          </span>
        }
        actions={
          <>
            <Link
              to={editHref}
              className={`${linkBtn} ${d.editing ? 'bg-indigo-700 text-white hover:bg-indigo-800' : 'bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50'}`}
            >
              {d.editing ? t('dash.done') : t('dash.customise')}
            </Link>
            <a
              href={`/dashboard/export.pdf${d.query}`}
              download
              className={`${linkBtn} bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`}
            >
              {t('dash.exportPdf')}
            </a>
            <a
              href={`/dashboard/export.png${d.query}`}
              download
              className={`${linkBtn} bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`}
            >
              {t('dash.exportPng')}
            </a>
            {d.canManageGoals ? (
              <Link to="/goals" className={`${linkBtn} bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`}>
                {t('dash.goalsLink')}
              </Link>
            ) : null}
          </>
        }
      />
      {d.lag ? (
        <div className="mb-4">
          <Alert tone="warning">{t('dash.lagNotice', { seconds: Math.round(d.lag.seconds), events: formatInteger(d.lag.events) })}</Alert>
        </div>
      ) : null}
      {d.layoutError ? (
        <div className="mb-4">
          <Alert tone="error">{t(`dash.error.${d.layoutError}`)}</Alert>
        </div>
      ) : null}
      {d.filterError ? (
        <div className="mb-4">
          <Alert tone="error">{d.filterError}</Alert>
        </div>
      ) : null}
      <DashboardFilters view={d.view} options={d.options} editing={d.editing} />
      <DashboardGrid
        // A new layout from the server (reset, another tab) restarts the editor's state.
        widgets={d.widgets}
        version={d.layoutVersion}
        data={d.data}
        editing={d.editing}
        csrf={csrf}
        commandId={d.commandId}
        returnTo={`/${d.query}${sep}personnaliser=1`}
        role={d.viewer.role}
      />
    </>
  )
}
