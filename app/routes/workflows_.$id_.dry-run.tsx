import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { RunPlan } from '~/components/workflows/run-plan'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { translateRecorded } from '~/i18n/errors'
import { forbidden, notFound, requireUser } from '~/utils/auth.server'
import { canManageWorkflows } from '../../domain/identity/roles'
import { formatDateTime } from '~/utils/format'
import { isUuid } from '~/utils/forms.server'
import { visibleTo } from '~/utils/visibility.server'
import { loadDefinition, parseDefinition } from '../../domain/workflows/engine/definitions'
import { dryRun, type DryRunResult } from '../../domain/workflows/engine/dry-run'
import { findWorkflow } from '../../domain/workflows/engine/run-queries'
import { subjectOf, type WorkflowDefinition } from '../../domain/workflows/workflow.definition'

// Dry run: choose a record (by name or id; a GET form, works without JavaScript) and see
// what the workflow would do — entry conditions, branch decisions, every action rendered.
// Reads only: nothing is sent, created or changed.

export const meta: MetaFunction = () => [{ title: 'Simulation de workflow — Alforis CRM' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageWorkflows(auth.actor)) throw forbidden()
  if (!isUuid(params.id)) throw notFound()
  const workflow = await findWorkflow(auth.tenant, params.id)
  if (!workflow) throw notFound()
  // The draft is what is being edited; a draft that no longer parses falls back to the published version.
  let definition: WorkflowDefinition | null = null
  let source: { kind: 'draft' } | { kind: 'published'; version: number } = { kind: 'draft' }
  try {
    definition = parseDefinition(workflow.draft)
  } catch {
    if (workflow.published_version) {
      definition = await loadDefinition(auth.tenant.db, workflow.id, workflow.published_version)
      source = { kind: 'published', version: workflow.published_version }
    }
  }
  if (!definition) throw notFound()
  const kind = subjectOf(definition.trigger)
  const url = new URL(request.url)
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200)
  const webhookText = url.searchParams.get('webhook') ?? ''
  let choices: Array<{ id: string; label: string }> = []
  let recordId: string | null = null
  let error: string | null = null
  const like = `%${q.replace(/[%_\\]/g, '\\$&')}%`
  if (kind && q) {
    // Only the records the viewer may open (visibleTo): the simulation shows a record's
    // values, so it must not read one its page would refuse. An id out of reach is "no match".
    if (kind === 'deal') {
      choices = await auth.tenant
        .selectFrom('deals')
        .select(['id', 'title as label'])
        .where('deleted_at', 'is', null)
        .where(isUuid(q) ? (eb) => eb('id', '=', q) : (eb) => eb('title', 'ilike', like))
        .where(visibleTo(auth.actor, 'deals'))
        .orderBy('title')
        .limit(10)
        .execute()
    } else {
      choices = await auth.tenant
        .selectFrom('organisations')
        .select(['id', 'name as label'])
        .where('deleted_at', 'is', null)
        .where(isUuid(q) ? (eb) => eb('id', '=', q) : (eb) => eb('name', 'ilike', like))
        .where(visibleTo(auth.actor, 'organisations'))
        .orderBy('name')
        .limit(10)
        .execute()
    }
    if (choices.length === 1) recordId = choices[0].id
    if (!recordId && choices.length === 0) error = auth.t('wfDry.noMatch', { q })
  }
  let webhook: unknown = undefined
  if (definition.trigger.kind === 'webhook' && webhookText.trim()) {
    try {
      webhook = JSON.parse(webhookText)
      if (webhook === null || typeof webhook !== 'object' || Array.isArray(webhook)) throw new Error()
    } catch {
      error = auth.t('wfDry.badJson')
      webhook = undefined
    }
  }
  const asked = url.searchParams.has('q') || url.searchParams.has('webhook')
  let result: DryRunResult | null = null
  if (!error && (recordId || (!kind && asked))) {
    result = await dryRun(context.runtime.workflows.deps, { workspaceId: auth.user.workspaceId, definition, recordId, webhook })
    if (!result.ok) {
      error = translateRecorded(auth.locale, result.error)
      result = null
    }
  }
  return {
    workflow: { id: workflow.id, name: workflow.name },
    source,
    kind,
    isWebhook: definition.trigger.kind === 'webhook',
    q,
    webhookText,
    choices: recordId ? [] : choices,
    error,
    result:
      result && result.ok
        ? { entry: result.entry, steps: result.steps.map((s) => ({ ...s, error: s.error && translateRecorded(auth.locale, s.error) })) }
        : null,
  }
}

export default function WorkflowDryRun() {
  const { workflow, source, kind, isWebhook, q, webhookText, choices, error, result } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <div className="space-y-6">
      <PageHeader
        title={t('wfDry.title', { name: workflow.name })}
        subtitle={t('wfDry.subtitle')}
        actions={
          <Link to={`/workflows/${workflow.id}/runs`} className="text-sm font-medium text-indigo-800 underline hover:no-underline">
            {t('wfRuns.title', { name: workflow.name })}
          </Link>
        }
      />
      <p className="text-sm text-slate-700">{source.kind === 'draft' ? t('wfDry.source.draft') : t('wfDry.source.published', { version: source.version })}</p>
      <Card>
        <Form method="get" className="space-y-4">
          {kind ? (
            <TextField
              name="q"
              label={t('wfDry.search')}
              hint={t(kind === 'deal' ? 'wfDry.searchHint.deal' : 'wfDry.searchHint.organisation')}
              defaultValue={q}
              error={error ?? undefined}
              required
            />
          ) : (
            <>
              <p className="text-sm text-slate-700">{t('wfDry.noRecordNeeded')}</p>
              {isWebhook ? (
                <TextAreaField name="webhook" label={t('wfDry.webhookPayload')} defaultValue={webhookText} error={error ?? undefined} rows={5} />
              ) : (
                <input type="hidden" name="q" value="" />
              )}
            </>
          )}
          <Button type="submit">{t('wfDry.run')}</Button>
        </Form>
        {choices.length > 1 ? (
          <div className="mt-4">
            <p className="text-sm font-medium text-slate-800">{t('wfDry.choose')}</p>
            <ul className="mt-2 space-y-1">
              {choices.map((c) => (
                <li key={c.id}>
                  <Link
                    to={`?q=${c.id}`}
                    className="text-indigo-800 underline hover:no-underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                  >
                    {c.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Card>
      {result ? (
        <section aria-labelledby="dry-result" className="space-y-4">
          <h2 id="dry-result" className="text-lg font-semibold text-slate-900">
            {t('wfDry.steps')}
          </h2>
          <Alert tone="info">{t('wfDry.nothingDone')}</Alert>
          <Alert tone={result.entry.holds ? 'success' : 'warning'}>{t(result.entry.holds ? 'wfDry.entryHolds' : 'wfDry.entryFails')}</Alert>
          {result.entry.rules.length ? <Rules rules={result.entry.rules} /> : null}
          {result.steps.length === 0 ? (
            <p className="text-slate-700">{t('wfDry.noSteps')}</p>
          ) : (
            <ol className="space-y-3">
              {result.steps.map((s, i) => (
                <li key={s.stepId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                  <h3 className="font-semibold text-slate-900">
                    {i + 1}. {s.label || t(`wfStep.type.${s.type}` as MessageKey)}{' '}
                    <span className="text-sm font-normal text-slate-600">({t(`wfStep.type.${s.type}` as MessageKey)})</span>
                  </h3>
                  <div className="mt-2">
                    {s.error ? (
                      <p className="rounded bg-red-50 p-2 text-sm text-red-800">{s.error}</p>
                    ) : s.type === 'branch' ? (
                      <>
                        <p className="text-sm font-medium">{t(s.decision === 'alors' ? 'wfDry.then' : 'wfDry.else')}</p>
                        <Rules rules={s.plan as unknown as RuleRow[]} />
                      </>
                    ) : s.type === 'delay' ? (
                      <p className="text-sm">{t('wfDry.until', { date: formatDateTime((s.plan as unknown as { until: string }).until) })}</p>
                    ) : (
                      <RunPlan plan={s.plan as unknown as Record<string, unknown>} />
                    )}
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
    </div>
  )
}

type RuleRow = { field: string; op: string; value: string | null; actual: unknown; result: boolean }

function Rules({ rules }: { rules: RuleRow[] }) {
  const t = useT()
  return (
    <div>
      <p className="text-sm font-medium text-slate-800">{t('wfDry.rules')}</p>
      <ul className="mt-1 list-disc pl-5 text-sm text-slate-800">
        {rules.map((r, i) => (
          <li key={i}>
            {t('wfDry.rule', {
              field: r.field,
              op: r.op,
              value: r.value ?? '',
              actual: Array.isArray(r.actual) ? r.actual.join(', ') : String(r.actual ?? '—'),
            })}{' '}
            — <strong>{t(r.result ? 'wfDry.ruleTrue' : 'wfDry.ruleFalse')}</strong>
          </li>
        ))}
      </ul>
    </div>
  )
}
