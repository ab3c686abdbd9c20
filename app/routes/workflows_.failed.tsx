import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { PageHeader } from '~/components/ui/page-header'
import { Pagination } from '~/components/ui/pagination'
import { RunRecordLink } from '~/components/workflows/run-record-link'
import { useT } from '~/i18n/use-t'
import { translateRecorded } from '~/i18n/errors'
import { forbidden, requireUser } from '~/utils/auth.server'
import { canManageWorkflows } from '../../domain/identity/roles'
import { formatDateTime } from '~/utils/format'
import { visibleRunSubjects } from '~/utils/workflows.server'
import { failedRuns } from '../../domain/workflows/engine/run-queries'

// The dead-letter list: every failed run of the workspace, across workflows.

export const meta: MetaFunction = () => [{ title: 'Exécutions en échec — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageWorkflows(auth.actor)) throw forbidden()
  const page = Math.max(1, Math.min(1_000, Number(new URL(request.url).searchParams.get('page')) || 1))
  const { runs, hasNext } = await failedRuns(auth.tenant, { page })
  const canSee = await visibleRunSubjects(auth, runs)
  return {
    page,
    hasNext,
    runs: runs.filter(canSee).map((r) => ({
      ...r,
      error: r.error && translateRecorded(auth.locale, r.error),
      finished_at: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    })),
  }
}

export default function FailedRuns() {
  const { runs, page, hasNext } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <div>
      <PageHeader title={t('wfFailed.title')} subtitle={t('wfFailed.subtitle')} />
      {runs.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-slate-700">{t('wfFailed.empty')}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfFailed.col.when')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfFailed.col.workflow')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfFailed.col.step')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfFailed.col.error')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('wfRuns.col.record')}
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
                    >
                      {formatDateTime(r.finished_at)}
                    </Link>
                  </td>
                  <td className="px-4 py-2">
                    <Link to={`/workflows/${r.workflow_id}/runs?etat=failed`} className="text-indigo-800 underline hover:no-underline">
                      {r.workflow_name}
                    </Link>
                  </td>
                  <td className="px-4 py-2 text-slate-800">{r.failed_step}</td>
                  <td className="px-4 py-2 text-red-800">{r.error}</td>
                  <td className="px-4 py-2">
                    <RunRecordLink type={r.subject_type} id={r.subject_id} />
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
