import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { RunRecordLink } from '~/components/workflows/run-record-link'
import { RunStatusBadge } from '~/components/workflows/run-status-badge'
import { RunTimeline } from '~/components/workflows/run-timeline'
import { describeTrigger } from '~/components/workflows/trigger-label'
import { useT } from '~/i18n/use-t'
import { translateRecorded } from '~/i18n/errors'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { canManageWorkflows } from '../../domain/identity/roles'
import { formatDateTime } from '~/utils/format'
import { visibleRunSubjects } from '~/utils/workflows.server'
import { isUuid } from '~/utils/forms.server'
import { replayFromFailedStep } from '../../domain/workflows/engine/execute'
import { loadDefinition } from '../../domain/workflows/engine/definitions'
import { getRun } from '../../domain/workflows/engine/run-queries'
import { logJson, payloadForDisplay, triggerKindLabel } from '~/components/workflows/run-labels'
import { loadStages } from '../../domain/crm/crm.repository'

// One run as a timeline: the trigger, then each step attempt (inputs, decision, output,
// duration, error). A failed run can be replayed from its failed step (plain POST).

export const meta: MetaFunction = () => [{ title: 'Exécution de workflow — Alforis CRM' }]

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageWorkflows(auth.actor)) throw forbidden()
  if (!isUuid(params.runId)) throw notFound()
  const found = await getRun(auth.tenant, params.runId)
  if (!found) throw notFound()
  const { run, workflow, steps } = found
  // The log shows the record's values: a run on a record the viewer may not open is not found.
  if (!(await visibleRunSubjects(auth, [run]))(run)) throw notFound()
  const def = await loadDefinition(auth.tenant.db, run.workflow_id, run.workflow_version)
  const triggerLabel = describeTrigger(def.trigger, auth.t, await loadStages(auth.tenant.db, auth.user.workspaceId))
  const notice = new URL(request.url).searchParams.get('rejoue')
  return {
    notice: notice === '1' ? ('replayed' as const) : notice === '0' ? ('notReplayable' as const) : null,
    workflow,
    triggerLabel,
    labels: Object.fromEntries(def.steps.map((s) => [s.id, s.label ?? null])),
    run: {
      id: run.id,
      status: run.status,
      trigger_kind: run.trigger_kind,
      // What the trigger carried, without the event's type name (the trigger's label says it).
      trigger_payload: payloadForDisplay(run.trigger_payload),
      subject_type: run.subject_type,
      subject_id: run.subject_id,
      workflow_version: run.workflow_version,
      depth: run.depth,
      error: run.error && translateRecorded(auth.locale, run.error),
      failed_step: run.failed_step,
      skip_reason: run.skip_reason && translateRecorded(auth.locale, run.skip_reason),
      created_at: iso(run.created_at)!,
      finished_at: iso(run.finished_at),
      wake_at: iso(run.wake_at),
    },
    steps: steps.map((s) => ({ ...s, error: s.error && translateRecorded(auth.locale, s.error), started_at: iso(s.started_at)!, wake_at: iso(s.wake_at) })),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canManageWorkflows(auth.actor)) throw forbidden()
  if (!isUuid(params.runId)) throw notFound()
  if (auth.form.get('intent') !== 'replay') throw new Response('bad request', { status: 400 })
  const ok = await replayFromFailedStep(context.runtime.workflows.deps, auth.user.workspaceId, params.runId)
  return redirect(`/workflows/runs/${params.runId}?rejoue=${ok ? 1 : 0}`)
}

export default function WorkflowRun() {
  const { run, workflow, steps, labels, notice, triggerLabel } = useLoaderData<typeof loader>()
  const t = useT()
  const busy = useNavigation().state === 'submitting'
  return (
    <div className="space-y-6">
      <PageHeader
        title={t('wfRun.title', { name: workflow.name })}
        actions={
          <Link to={`/workflows/${workflow.id}/runs`} className="text-sm font-medium text-indigo-800 underline hover:no-underline">
            {t('wfRuns.title', { name: workflow.name })}
          </Link>
        }
      />
      {notice ? (
        <Alert tone={notice === 'replayed' ? 'success' : 'warning'}>{t(notice === 'replayed' ? 'wfRun.replayed' : 'wfRun.notReplayable')}</Alert>
      ) : null}
      <Card title={t('wfRun.summary')}>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-700">{t('wfRuns.col.status')}</dt>
          <dd>
            <RunStatusBadge status={run.status} />
          </dd>
          <dt className="font-medium text-slate-700">{t('wfRun.trigger')}</dt>
          <dd>
            {triggerLabel} · {t('wfRun.version', { version: run.workflow_version })}
          </dd>
          <dt className="font-medium text-slate-700">{t('wfRun.event')}</dt>
          <dd>{triggerKindLabel(t, run.trigger_kind)}</dd>
          <dt className="font-medium text-slate-700">{t('wfRun.record')}</dt>
          <dd>
            <RunRecordLink type={run.subject_type} id={run.subject_id} />
          </dd>
          <dt className="font-medium text-slate-700">{t('wfRun.created')}</dt>
          <dd>{formatDateTime(run.created_at)}</dd>
          {run.finished_at ? (
            <>
              <dt className="font-medium text-slate-700">{t('wfRun.finished')}</dt>
              <dd>{formatDateTime(run.finished_at)}</dd>
            </>
          ) : null}
          {run.wake_at ? (
            <>
              <dt className="font-medium text-slate-700">{t('wfRun.wakeAt')}</dt>
              <dd>{formatDateTime(run.wake_at)}</dd>
            </>
          ) : null}
          <dt className="font-medium text-slate-700">{t('wfRun.depth')}</dt>
          <dd>{run.depth}</dd>
          {run.skip_reason ? (
            <>
              <dt className="font-medium text-slate-700">{t('wfRun.skipReason')}</dt>
              <dd>{run.skip_reason}</dd>
            </>
          ) : null}
          {run.error ? (
            <>
              <dt className="font-medium text-slate-700">{t('wfRun.error')}</dt>
              <dd className="text-red-800">{run.error}</dd>
            </>
          ) : null}
        </dl>
        <details className="mt-4">
          <summary className="cursor-pointer text-sm font-medium text-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
            {t('wfRun.payload')}
          </summary>
          <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs text-slate-800">
            {logJson(run.trigger_payload)}
          </pre>
        </details>
        {run.status === 'failed' && run.failed_step ? (
          <Form method="post" className="mt-4 space-y-2">
            <AuthenticityTokenInput />
            <p className="text-sm text-slate-700">{t('wfRun.replayHint', { step: labels[run.failed_step] ?? run.failed_step })}</p>
            <Button type="submit" name="intent" value="replay" disabled={busy}>
              {t('wfRun.replay')}
            </Button>
          </Form>
        ) : null}
      </Card>
      <section aria-labelledby="timeline">
        <h2 id="timeline" className="mb-3 text-lg font-semibold text-slate-900">
          {t('wfRun.timeline')}
        </h2>
        <RunTimeline steps={steps} labels={labels} />
      </section>
    </div>
  )
}
