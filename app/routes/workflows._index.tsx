import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { RunStatusBadge } from '~/components/workflows/run-status-badge'
import { describeTrigger } from '~/components/workflows/trigger-label'
import { useT } from '~/i18n/use-t'
import { canonical } from '../../domain/workflows/workflow.decide'
import { loadStages } from '../../domain/crm/crm.repository'
import { listWorkflows, requireWorkflowManager } from '~/utils/workflows.server'

export const meta: MetaFunction = () => [{ title: 'Workflows — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireWorkflowManager(request, context)
  const [rows, stages] = await Promise.all([listWorkflows(auth), loadStages(context.runtime.db, auth.user.workspaceId)])
  return {
    stages: stages.map((s) => ({ code: s.code, label: s.label })),
    workflows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      enabled: r.enabled,
      publishedVersion: r.published_version,
      // The list names what runs: the published version's trigger, else the draft's.
      trigger: (r.published ?? r.draft).trigger,
      changed: r.published !== null && canonical(r.published) !== canonical(r.draft),
      lastRun: r.last_run_id && r.last_run_status ? { id: r.last_run_id, status: r.last_run_status } : null,
    })),
  }
}

export default function WorkflowList() {
  const { workflows, stages } = useLoaderData<typeof loader>()
  const [search] = useSearchParams()
  const t = useT()
  return (
    <>
      <PageHeader
        title={t('wf.title')}
        subtitle={t('wf.subtitle')}
        actions={
          <>
            <LinkButton to="/workflows/failed" variant="secondary">
              {t('wf.failedRuns')}
            </LinkButton>
            <LinkButton to="/workflows/templates" variant="secondary">
              {t('wf.templates')}
            </LinkButton>
            <LinkButton to="/workflows/new">{t('wf.new')}</LinkButton>
          </>
        }
      />
      {search.get('supprime') ? (
        <div className="mb-4">
          <Alert tone="success">{t('wf.deleted')}</Alert>
        </div>
      ) : null}
      <Card>
        {workflows.length === 0 ? (
          <p className="text-sm text-slate-700">
            {t('wf.empty')}{' '}
            <Link to="/workflows/templates" className="font-medium text-indigo-800 underline">
              {t('wf.templates')}
            </Link>
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full divide-y divide-slate-200 text-sm">
              <thead>
                <tr className="text-left text-slate-700">
                  <th scope="col" className="py-2 pr-4 font-semibold">
                    {t('wf.col.name')}
                  </th>
                  <th scope="col" className="py-2 pr-4 font-semibold">
                    {t('wf.col.trigger')}
                  </th>
                  <th scope="col" className="py-2 pr-4 font-semibold">
                    {t('wf.col.status')}
                  </th>
                  <th scope="col" className="py-2 pr-4 font-semibold">
                    {t('wf.col.version')}
                  </th>
                  <th scope="col" className="py-2 pr-4 font-semibold">
                    {t('wf.col.lastRun')}
                  </th>
                  <th scope="col" className="py-2 font-semibold">
                    {t('wf.col.runs')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {workflows.map((w) => {
                  const status = w.publishedVersion === null ? 'unpublished' : w.enabled ? 'enabled' : 'disabled'
                  return (
                    <tr key={w.id}>
                      <td className="py-2 pr-4">
                        <Link to={`/workflows/${w.id}`} className="font-medium text-indigo-800 hover:underline">
                          {w.name}
                        </Link>
                        {w.description ? <div className="text-xs text-slate-600">{w.description}</div> : null}
                      </td>
                      <td className="py-2 pr-4 text-slate-800">{describeTrigger(w.trigger, t, stages)}</td>
                      <td className="py-2 pr-4">
                        <span className="flex flex-wrap gap-1">
                          <Badge tone={status === 'enabled' ? 'green' : status === 'disabled' ? 'slate' : 'amber'}>{t(`wf.status.${status}`)}</Badge>
                          {w.changed ? <Badge tone="amber">{t('wf.status.changes')}</Badge> : null}
                        </span>
                      </td>
                      <td className="py-2 pr-4 text-slate-800">{w.publishedVersion !== null ? t('wf.version', { n: w.publishedVersion }) : '—'}</td>
                      <td className="py-2 pr-4">
                        {w.lastRun ? (
                          <Link to={`/workflows/runs/${w.lastRun.id}`} className="hover:underline">
                            <RunStatusBadge status={w.lastRun.status} />
                          </Link>
                        ) : (
                          <span className="text-slate-600">{t('wf.lastRun.none')}</span>
                        )}
                      </td>
                      <td className="py-2">
                        <Link to={`/workflows/${w.id}/runs`} className="text-indigo-800 hover:underline" aria-label={t('wf.runsLinkOf', { name: w.name })}>
                          {t('wf.runsLink')}
                        </Link>
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  )
}
