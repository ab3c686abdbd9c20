import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { PageHeader } from '~/components/ui/page-header'
import { Pagination } from '~/components/ui/pagination'
import { RunRecordLink } from '~/components/workflows/run-record-link'
import { RunStatusBadge } from '~/components/workflows/run-status-badge'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { translateRecorded } from '~/i18n/errors'
import { forbidden, notFound, requireUser } from '~/utils/auth.server'
import { canManageWorkflows } from '../../domain/identity/roles'
import { formatDateTime } from '~/utils/format'
import { visibleRunSubjects } from '~/utils/workflows.server'
import { isUuid } from '~/utils/forms.server'
import { triggerKindLabel } from '~/components/workflows/run-labels'
import { findWorkflow, isRunStatus, listRuns, RUN_STATUSES } from '../../domain/workflows/engine/run-queries'

// The runs of one workflow, newest first, filtered by status (links: works without JavaScript).

export const meta: MetaFunction = () => [{ title: 'Exécutions du workflow — Alforis CRM' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageWorkflows(auth.actor)) throw forbidden()
  if (!isUuid(params.id)) throw notFound()
  const workflow = await findWorkflow(auth.tenant, params.id)
  if (!workflow) throw notFound()
  const url = new URL(request.url)
  const etat = url.searchParams.get('etat')
  const status = isRunStatus(etat) ? etat : null
  const page = Math.max(1, Math.min(1_000, Number(url.searchParams.get('page')) || 1))
  const { runs, hasNext } = await listRuns(auth.tenant, { workflowId: workflow.id, status, page })
  // Runs on records the viewer may not open are left out (a page may then show fewer rows).
  const canSee = await visibleRunSubjects(auth, runs)
  return {
    workflow: { id: workflow.id, name: workflow.name },
    status,
    page,
    hasNext,
    // The trigger is shown by its label (trigger_kind); the event's type name stays in the database.
    runs: runs.filter(canSee).map(({ trigger_event_type: _type, ...r }) => ({
      ...r,
      error: r.error && translateRecorded(auth.locale, r.error),
      skip_reason: r.skip_reason && translateRecorded(auth.locale, r.skip_reason),
      created_at: new Date(r.created_at).toISOString(),
    })),
  }
}

export default function WorkflowRuns() {
  const { workflow, status, runs, page, hasNext } = useLoaderData<typeof loader>()
  const t = useT()
  const chip = (active: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${active ? 'bg-indigo-50 text-indigo-800' : 'text-slate-700 hover:bg-slate-100'}`
  const base = `/workflows/${workflow.id}/runs`
  return (
    <div>
      <PageHeader
        title={t('wfRuns.title', { name: workflow.name })}
        actions={
          <>
            <Link to={`/workflows/${workflow.id}`} className="text-sm font-medium text-indigo-800 underline hover:no-underline">
              {t('wfRuns.back')}
            </Link>
            <Link to={`/workflows/${workflow.id}/dry-run`} className="text-sm font-medium text-indigo-800 underline hover:no-underline">
              {t('wfRuns.dryRunLink')}
            </Link>
            <Link to="/workflows/failed" className="text-sm font-medium text-indigo-800 underline hover:no-underline">
              {t('wfRuns.failedLink')}
            </Link>
          </>
        }
      />
      <nav aria-label={t('wfRuns.filter')} className="mb-4 flex flex-wrap gap-2">
        <Link to={base} className={chip(status === null)} aria-current={status === null ? 'page' : undefined}>
          {t('wfRuns.all')}
        </Link>
        {RUN_STATUSES.map((s) => (
          <Link key={s} to={`${base}?etat=${s}`} className={chip(status === s)} aria-current={status === s ? 'page' : undefined}>
            {t(`wfRuns.status.${s}` as MessageKey)}
          </Link>
        ))}
      </nav>
      {runs.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-700">{t('wfRuns.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfRuns.col.started')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfRuns.col.trigger')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfRuns.col.record')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfRuns.col.version')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfRuns.col.status')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {runs.map((r) => (
                <tr key={r.id}>
                  <td className="px-4 py-2">
                    <Link
                      to={`/workflows/runs/${r.id}`}
                      className="font-medium text-indigo-800 underline hover:no-underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                      aria-label={`${t('wfRuns.open')} — ${formatDateTime(r.created_at)}`}
                    >
                      {formatDateTime(r.created_at)}
                    </Link>
                  </td>
                  <td className="px-4 py-2 text-slate-800">{triggerKindLabel(t, r.trigger_kind)}</td>
                  <td className="px-4 py-2">
                    <RunRecordLink type={r.subject_type} id={r.subject_id} />
                  </td>
                  <td className="px-4 py-2 text-slate-800">v{r.workflow_version}</td>
                  <td className="px-4 py-2">
                    <RunStatusBadge status={r.status} />
                    {r.error || r.skip_reason ? <span className="ml-2 text-slate-700">{r.error ?? r.skip_reason}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasNext={hasNext} />
    </div>
  )
}
