import type { Db } from '../../../db/kysely.js'
import { subjectOf as subjectKindOf, type WorkflowDefinition } from '../workflow.definition.js'
import { type ActionStep, planAction, type StepEnv } from './actions.js'
import { evaluateGroup, explainGroup } from './conditions.js'
import type { EngineDeps } from './engine-deps.js'
import { loadSubject, subjectGone, valuesOf } from './load-context.js'
import { templateValues } from './run-context.js'
import { wakeTime } from './execute.js'
import type { Problem } from '../../shared/errors.js'
import { messageOf } from './step-errors.js'

export type DryRunStep = {
  stepId: string
  type: string
  label: string | null
  /** What it would do (rendered texts, resolved people), or the branch's rules. */
  plan: unknown
  decision: string | null
  error: string | null
}

export type DryRunResult =
  | { ok: false; error: Problem }
  | { ok: true; entry: { holds: boolean; rules: ReturnType<typeof explainGroup> }; steps: DryRunStep[]; values: Record<string, unknown> }

/**
 * What a workflow would do on a record, without doing it: entry conditions, each branch
 * decision, every action rendered with the record's values. Reads only (no run row, no
 * side effect). Delays are shown with the time they would end, and passed over.
 */
export async function dryRun(
  deps: EngineDeps,
  q: { workspaceId: string; definition: WorkflowDefinition; recordId: string | null; webhook?: unknown },
): Promise<DryRunResult> {
  const kind = subjectKindOf(q.definition.trigger)
  const subject = kind && q.recordId ? { type: kind, id: q.recordId } : null
  if (kind && !subject) return { ok: false, error: kind === 'deal' ? 'workflow.dry_run.choose_deal' : 'workflow.dry_run.choose_organisation' }
  const rec = await loadSubject(deps.db as Db, q.workspaceId, subject)
  if (subjectGone(subject, rec)) return { ok: false, error: kind === 'deal' ? 'deal.not_found' : 'organisation.not_found' }
  const now = deps.now()
  const trigger = q.definition.trigger
  const values = valuesOf(
    rec,
    {
      previousStage: trigger.kind === 'deal.stage_changed' ? (trigger.from ?? rec.deal?.stage ?? null) : undefined,
      inactiveDays: trigger.kind === 'inactivity' ? trigger.days : null,
      webhook: trigger.kind === 'webhook' ? (q.webhook ?? {}) : undefined,
    },
    now,
    deps.appUrl,
  )
  const env: StepEnv = {
    deps,
    runId: 'simulation',
    workspaceId: q.workspaceId,
    subject,
    rec,
    values,
    text: templateValues(values),
    now,
    ctx: { workspaceId: q.workspaceId, actorId: null, now },
    webhookSecret: '',
  }
  const entry = { holds: evaluateGroup(q.definition.conditions, values), rules: explainGroup(q.definition.conditions, values) }
  const steps: DryRunStep[] = []
  const byId = new Map(q.definition.steps.map((s) => [s.id, s]))
  let id = entry.holds ? q.definition.start : null
  const seen = new Set<string>()
  while (id && !seen.has(id)) {
    seen.add(id)
    const step = byId.get(id)
    if (!step) break
    const base = { stepId: step.id, type: step.type, label: step.label ?? null }
    if (step.type === 'branch') {
      const holds = evaluateGroup(step.condition, values)
      steps.push({ ...base, plan: explainGroup(step.condition, values), decision: holds ? 'alors' : 'sinon', error: null })
      id = holds ? step.then : step.else
      continue
    }
    if (step.type === 'delay') {
      try {
        steps.push({ ...base, plan: { until: wakeTime(step, values, now).toISOString() }, decision: null, error: null })
      } catch (e) {
        steps.push({ ...base, plan: null, decision: null, error: messageOf(e) })
      }
      id = step.next
      continue
    }
    try {
      steps.push({ ...base, plan: await planAction(step as ActionStep, env), decision: null, error: null })
    } catch (e) {
      steps.push({ ...base, plan: null, decision: null, error: messageOf(e) })
    }
    id = step.next
  }
  return { ok: true, entry, steps, values }
}
