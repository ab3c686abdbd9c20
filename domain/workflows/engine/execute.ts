import { sql } from 'kysely'
import type { Db } from '../../../db/kysely.js'
import type { WorkflowRun } from '../../../db/schema/workflow-runs.js'
import { kyselyExecutor } from '../../mail/enqueue-email.js'
import { notify } from '../../notifications/notify.js'
import { parisDateTime } from '../../shared/paris-time.js'
import type { Step, WorkflowDefinition } from '../workflow.definition.js'
import { type ActionStep, performAction, planAction, sendWebhook, type StepEnv, WebhookError } from './actions.js'
import { evaluateGroup, explainGroup, valueAt } from './conditions.js'
import { checkAuthority, loadAuthority } from './authority.js'
import { loadDefinition } from './definitions.js'
import { backoffMs, type EngineDeps, MAX_ATTEMPTS, RUN_QUEUE, type RunJob } from './engine-deps.js'
import { loadSubject, loadSubjects, type Subject, type SubjectRecords, subjectGone, valuesOf } from './load-context.js'
import { templateValues } from './run-context.js'
import { isPermanent, messageOf, PermanentStepError, StaleRunError } from './step-errors.js'

// The executor: one `workflows.run` job continues a run at its current step and goes on
// step after step in the same job until the run ends, waits (delay: a new job with
// `startAfter`) or a step fails (a new job for the next attempt, with exponential
// backoff). Every step commits on its own: its side effect, the side-effect key
// (run + step), the step's log row and the run's move to the next step, in one
// transaction guarded by `current_step`, so a retried or duplicated job never does a
// step twice and a crash resumes at the step that did not commit.

const LIVE = ['queued', 'running', 'waiting'] as const

export type ExecuteOutcome = 'finished' | 'waiting' | 'retrying' | 'failed' | 'stale' | 'early'

type RunRow = WorkflowRun

const subjectOf = (run: RunRow): Subject | null => (run.subject_type && run.subject_id ? { type: run.subject_type, id: run.subject_id } : null)
const triggerExtras = (run: RunRow) => {
  const p = (run.trigger_payload ?? {}) as Record<string, unknown>
  return { previousStage: p.previousStage as string | undefined, inactiveDays: (p.inactiveDays as number | undefined) ?? null, webhook: p.webhook }
}

async function enqueue(trx: Db, deps: EngineDeps, job: RunJob, startAfter?: Date) {
  if (!deps.queue) return
  const id = await deps.queue.send(RUN_QUEUE, job, { db: kyselyExecutor(trx), ...(startAfter ? { startAfter } : {}) })
  if (!id) throw new Error(`${RUN_QUEUE} refused the job of run ${job.runId}`)
}

/** Runs a `workflows.run` job. Never throws for a step's failure: that is recorded and retried by a new job. */
export async function executeRunJob(deps: EngineDeps, job: RunJob, prefetched?: SubjectRecords): Promise<ExecuteOutcome> {
  // Fast path: the run's consecutive steps that make no outbound call, in one transaction.
  // Any error rolls it all back (effects, keys, logs, the run's move) and the step-by-step
  // path below does the job again, recording the failure and its retry as before.
  let inline: InlineResult = null
  try {
    inline = await runInline(deps, job, prefetched)
  } catch (e) {
    if (!(e instanceof FallBack)) deps.log(`workflows : exécution groupée de ${job.runId} annulée, reprise étape par étape (${messageOf(e)})`)
  }
  if (inline?.kind === 'done') return inline.outcome
  if (inline?.kind === 'continue') return continueRun(deps, inline.run, inline.def, inline.stepId, 1, { rec: inline.rec })

  const now = deps.now()
  // One statement in the common case: take the run if it is still at this step and due.
  const run = await claimRun(deps.db, job, now)
  if (!run) {
    const r = await deps.db.selectFrom('workflow_runs').select(['status', 'current_step', 'wake_at']).where('id', '=', job.runId).executeTakeFirst()
    // pg-boss woke it before the engine's clock says so (a clock moved in tests, or skew): put it back.
    if (r && r.status === 'waiting' && r.current_step === job.stepId && r.wake_at && new Date(r.wake_at) > now) {
      await deps.db.transaction().execute((trx) => enqueue(trx, deps, job, new Date(r.wake_at!)))
      return 'early'
    }
    return 'stale'
  }
  const def = await loadDefinition(deps.db, run.workflow_id, run.workflow_version)
  return continueRun(deps, run, def, job.stepId, job.attempt, { rec: null })
}

/**
 * The records of a batch of jobs' runs, read together before the runs execute (one read
 * of the runs, four per workspace, instead of four per run). Read outside the runs'
 * transactions, like the step-by-step path's reads: a record changed in between makes a
 * change command refuse its stale version, and the run is redone step by step on fresh reads.
 */
export async function prefetchRecords(db: Db, runIds: string[]): Promise<Map<string, SubjectRecords>> {
  const out = new Map<string, SubjectRecords>()
  if (runIds.length === 0) return out
  const runs = await db.selectFrom('workflow_runs').select(['id', 'workspace_id', 'subject_type', 'subject_id']).where('id', 'in', runIds).execute()
  const byWorkspace = new Map<string, typeof runs>()
  for (const r of runs) if (r.subject_type && r.subject_id) byWorkspace.set(r.workspace_id, [...(byWorkspace.get(r.workspace_id) ?? []), r])
  for (const [workspaceId, rs] of byWorkspace) {
    const recs = await loadSubjects(
      db,
      workspaceId,
      rs.map((r) => ({ type: r.subject_type!, id: r.subject_id! })),
    )
    for (const r of rs) {
      const rec = recs.get(`${r.subject_type}:${r.subject_id}`)
      if (rec) out.set(r.id, rec)
    }
  }
  return out
}

const claimRun = (db: Db, job: RunJob, now: Date) =>
  db
    .updateTable('workflow_runs')
    .set({ status: 'running', started_at: sql`coalesce(started_at, ${now})`, wake_at: null, updated_at: now })
    .where('id', '=', job.runId)
    .where('current_step', '=', job.stepId ?? '')
    .where('status', 'in', [...LIVE])
    .where('dry_run', '=', false)
    .where((eb) => eb.or([eb('wake_at', 'is', null), eb('wake_at', '<=', now)]))
    .returningAll()
    .executeTakeFirst()

/** The step-by-step path: each step commits on its own (webhooks, delays, retries, failures). */
async function continueRun(
  deps: EngineDeps,
  run: RunRow,
  def: WorkflowDefinition,
  from: string | null,
  firstAttempt: number,
  cache: RecordCache,
): Promise<ExecuteOutcome> {
  let stepId = from
  let attempt = firstAttempt
  while (stepId) {
    const step = def.steps.find((s) => s.id === stepId)
    if (!step)
      return failRun(
        deps,
        run,
        { id: stepId, type: 'inconnu' },
        attempt,
        `L’étape « ${stepId} » n’existe pas dans la version ${run.workflow_version}.`,
        deps.now(),
        0,
      )
    const r = await runStep(deps, run, def, step, attempt, cache)
    // Steps that change the record make the next one read it again.
    if (CHANGES_RECORD.has(step.type)) cache.rec = null
    if (r.kind !== 'next') return r.kind
    stepId = r.next
    attempt = 1
  }
  // A workflow without steps, or a run resumed at its end.
  await deps.db
    .updateTable('workflow_runs')
    .set({ status: 'succeeded', finished_at: deps.now(), updated_at: deps.now() })
    .where('id', '=', run.id)
    .where('status', '=', 'running')
    .execute()
  return 'finished'
}

const CHANGES_RECORD = new Set<string>(['update_field', 'assign', 'add_tag'])

/** Thrown inside the fast path's transaction to roll it back and let the step-by-step path run. */
class FallBack extends Error {}

type InlineResult =
  | null
  | { kind: 'done'; outcome: 'finished' }
  | { kind: 'continue'; run: RunRow; def: WorkflowDefinition; stepId: string; rec: Awaited<ReturnType<typeof loadSubject>> | null }

/**
 * One transaction: claim the run, read its records, then do each step that makes no
 * outbound call (branch, notify, create_task, send_email (queued), update_field, assign,
 * add_tag) — the effect and, at the end, in one statement, every step's side-effect key
 * (a plain insert: a key already there aborts it all, and the step-by-step path then
 * finds it and does not redo that step), every step's log row and the run's move past
 * them (finished, or at the first webhook/delay step, which the step-by-step path takes
 * on). Only a first attempt (a retry keeps its own path, so its log shows each attempt).
 */
async function runInline(deps: EngineDeps, job: RunJob, prefetched?: SubjectRecords): Promise<InlineResult> {
  if (job.attempt !== 1 || !job.stepId) return null
  return deps.db.transaction().execute(async (trx) => {
    const now = deps.now()
    const run = await claimRun(trx, job, now)
    if (!run) throw new FallBack()
    const def = await loadDefinition(trx, run.workflow_id, run.workflow_version)
    const subject = subjectOf(run)
    let rec = prefetched ?? (await loadSubject(trx, run.workspace_id, subject))
    if (subjectGone(subject, rec)) throw new FallBack()
    const tdeps: EngineDeps = { ...deps, db: trx }
    const keys: Array<{ run_id: string; step_id: string; kind: string; target_id: string | null }> = []
    const logs: Array<Parameters<typeof stepRow>[1]> = []
    let stepId: string | null = job.stepId
    while (stepId) {
      const step = def.steps.find((s) => s.id === stepId)
      if (!step || step.type === 'webhook' || step.type === 'delay') break
      const t0 = performance.now()
      const stepNow = deps.now()
      const values = valuesOf(rec, triggerExtras(run), stepNow, deps.appUrl)
      if (step.type === 'branch') {
        const holds = evaluateGroup(step.condition, values)
        const next = holds ? step.then : step.else
        logs.push({
          step,
          now: stepNow,
          ms: Math.round(performance.now() - t0),
          input: { rules: explainGroup(step.condition, values) },
          decision: holds ? 'alors' : 'sinon',
          output: { next },
        })
        stepId = next
        continue
      }
      const env: StepEnv = {
        deps: tdeps,
        runId: run.id,
        workspaceId: run.workspace_id,
        subject,
        rec,
        values,
        text: templateValues(values),
        now: stepNow,
        ctx: {
          workspaceId: run.workspace_id,
          actorId: null,
          now: stepNow,
          source: 'job',
          commandId: `wf:${run.id}:${step.id}`,
          causationId: run.id,
          correlationId: run.correlation_id,
          workflowDepth: run.depth + 1,
        },
        webhookSecret: '',
      }
      const plan = await planAction(step, env)
      await checkAuthority(trx, await loadAuthority(trx, run.workflow_id, run.workflow_version), step, plan, rec)
      const r = await performAction(trx, step, plan, env)
      keys.push({ run_id: run.id, step_id: step.id, kind: step.type, target_id: r.targetId })
      logs.push({ step, now: stepNow, ms: Math.round(performance.now() - t0), input: plan, decision: null, output: r.output })
      if (CHANGES_RECORD.has(step.type)) rec = await loadSubject(trx, run.workspace_id, subject)
      stepId = step.next
    }
    if (logs.length === 0) throw new FallBack()
    const end = deps.now()
    let q = trx.with('logged', (db) =>
      db
        .insertInto('workflow_run_steps')
        .values(logs.map((l) => stepRow(run, l)))
        .returning('id'),
    )
    if (keys.length) q = q.with('keys', (db) => db.insertInto('workflow_side_effects').values(keys).returning('run_id')) as unknown as typeof q
    const moved = await q
      .updateTable('workflow_runs')
      .set({
        current_step: stepId,
        status: stepId ? 'running' : 'succeeded',
        finished_at: stepId ? null : end,
        updated_at: end,
        ...(keys.length ? { first_effect_at: sql`coalesce(first_effect_at, clock_timestamp())` } : {}),
      })
      .where('id', '=', run.id)
      .where('current_step', '=', job.stepId!)
      .where('status', '=', 'running')
      .returning('id')
      .executeTakeFirst()
    if (!moved) throw new FallBack()
    if (!stepId) return { kind: 'done', outcome: 'finished' } as const
    return { kind: 'continue', run: { ...run, current_step: stepId }, def, stepId, rec } as const
  })
}

/** A succeeded step's log row (the fast path writes them all in one statement). */
function stepRow(run: RunRow, l: { step: { id: string; type: string }; now: Date; ms: number; input: unknown; decision: string | null; output: unknown }) {
  return {
    run_id: run.id,
    workspace_id: run.workspace_id,
    step_id: l.step.id,
    step_type: l.step.type,
    attempt: 1,
    status: 'succeeded' as const,
    input: l.input === undefined ? null : l.input,
    decision: l.decision,
    output: l.output ?? null,
    error: null,
    started_at: l.now,
    finished_at: new Date(l.now.getTime() + l.ms),
    duration_ms: l.ms,
    wake_at: null,
  }
}

/** The run's records, read once per job and kept while no step changes them. */
type RecordCache = { rec: Awaited<ReturnType<typeof loadSubject>> | null }

type StepResult = { kind: 'next'; next: string | null } | { kind: Exclude<ExecuteOutcome, 'finished'> } | { kind: 'finished' }

async function runStep(
  deps: EngineDeps,
  run: RunRow,
  def: WorkflowDefinition,
  step: Step,
  attempt: number,
  cache: RecordCache = { rec: null },
): Promise<StepResult> {
  const now = deps.now()
  const t0 = performance.now()
  const subject = subjectOf(run)
  let input: unknown = null
  try {
    const rec = cache.rec ?? (await loadSubject(deps.db, run.workspace_id, subject))
    cache.rec = rec
    if (subjectGone(subject, rec)) {
      await deps.db
        .updateTable('workflow_runs')
        .set({ status: 'cancelled', error: 'workflow.run.record_deleted', finished_at: now, updated_at: now })
        .where('id', '=', run.id)
        .where('current_step', '=', step.id)
        .execute()
      return { kind: 'stale' }
    }
    const values = valuesOf(rec, triggerExtras(run), now, deps.appUrl)

    if (step.type === 'branch') {
      const holds = evaluateGroup(step.condition, values)
      const next = holds ? step.then : step.else
      await commitStep(deps, run, step, attempt, now, t0, {
        input: { rules: explainGroup(step.condition, values) },
        decision: holds ? 'alors' : 'sinon',
        output: { next },
        next,
      })
      return next ? { kind: 'next', next } : { kind: 'finished' }
    }

    if (step.type === 'delay') {
      const wake = wakeTime(step, values, now)
      if (wake <= now || !step.next) {
        await commitStep(deps, run, step, attempt, now, t0, { input: { until: wake.toISOString() }, decision: 'sans attente', output: null, next: step.next })
        return step.next ? { kind: 'next', next: step.next } : { kind: 'finished' }
      }
      await deps.db.transaction().execute(async (trx) => {
        await insertStepRow(trx, run, step, attempt, 'waiting', now, t0, {
          input: { until: wake.toISOString() },
          decision: `reprise le ${wake.toISOString()}`,
          wake_at: wake,
        })
        const r = await trx
          .updateTable('workflow_runs')
          .set({ status: 'waiting', current_step: step.next, wake_at: wake, updated_at: now })
          .where('id', '=', run.id)
          .where('current_step', '=', step.id)
          .where('status', '=', 'running')
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) !== 1) throw new StaleRunError()
        await enqueue(trx, deps, { runId: run.id, stepId: step.next, attempt: 1 }, wake)
      })
      return { kind: 'waiting' }
    }

    const secret =
      step.type === 'webhook'
        ? (await deps.db.selectFrom('workflows').select('webhook_secret').where('id', '=', run.workflow_id).executeTakeFirstOrThrow()).webhook_secret
        : ''
    const env: StepEnv = {
      deps,
      runId: run.id,
      workspaceId: run.workspace_id,
      subject,
      rec,
      values,
      text: templateValues(values),
      now,
      ctx: {
        workspaceId: run.workspace_id,
        actorId: null,
        now,
        source: 'job',
        commandId: `wf:${run.id}:${step.id}`,
        causationId: run.id,
        correlationId: run.correlation_id,
        workflowDepth: run.depth + 1,
      },
      webhookSecret: secret,
    }
    const action = step as ActionStep
    const plan = await planAction(action, env)
    input = plan
    // With the publisher's rights as they are now (ADR 0023): a refusal fails the run.
    await checkAuthority(deps.db, await loadAuthority(deps.db, run.workflow_id, run.workflow_version), action, plan, rec)
    // No look-up of the side-effect key first: it is written in the transaction that moves
    // the run past this step, so a job that finds the run still here knows it is not done
    // (commitStep's insert … on conflict is the guard all the same).
    if (action.type === 'webhook') {
      // The call cannot join a transaction: it is made first, its success recorded after.
      const res = await sendWebhook(env, action, plan)
      await commitStep(deps, run, step, attempt, now, t0, {
        input: plan,
        output: { status: res.status },
        next: action.next,
        effect: { kind: 'webhook', perform: async () => ({ targetId: String(res.status), output: {} }) },
      })
    } else {
      await commitStep(deps, run, step, attempt, now, t0, {
        input: plan,
        next: action.next,
        effect: { kind: action.type, perform: (trx) => performAction(trx, action, plan, env) },
      })
    }
    return action.next ? { kind: 'next', next: action.next } : { kind: 'finished' }
  } catch (e) {
    if (e instanceof StaleRunError) return { kind: 'stale' }
    const permanent = isPermanent(e) || (e instanceof WebhookError && e.permanent)
    if (!permanent && attempt < MAX_ATTEMPTS) return retryStep(deps, run, step, attempt, messageOf(e), now, t0, input)
    return { kind: await failRun(deps, run, step, attempt, messageOf(e), now, t0, input) }
  }
}

/** When a delay step ends: a duration from now, or a date field of the subject (09:00 Paris) plus an offset. */
export function wakeTime(step: Extract<Step, { type: 'delay' }>, values: Record<string, unknown>, now: Date): Date {
  if (step.mode === 'duration') {
    const unit = step.unit === 'minutes' ? 60_000 : step.unit === 'hours' ? 3_600_000 : 86_400_000
    return new Date(now.getTime() + step.amount * unit)
  }
  const day = step.field ? valueAt(values, step.field) : null
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(day))
    throw new PermanentStepError({ code: 'workflow.run.wait.no_date', params: { field: step.field ?? '' } })
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + step.offsetDays)
  return parisDateTime(d.toISOString().slice(0, 10), '09:00')!
}

type Commit = {
  input: unknown
  decision?: string
  output?: unknown
  next: string | null
  effect?: { kind: string; perform: (trx: Db) => Promise<{ targetId: string | null; output: Record<string, unknown> }> }
}

/** A step's success, in one transaction: side effect + key, log row, the run's move to the next step. */
async function commitStep(deps: EngineDeps, run: RunRow, step: Step, attempt: number, now: Date, t0: number, c: Commit) {
  await deps.db.transaction().execute(async (trx) => {
    let output = c.output
    let decision = c.decision
    if (c.effect) {
      const claimed = await trx
        .insertInto('workflow_side_effects')
        .values({ run_id: run.id, step_id: step.id, kind: c.effect.kind, target_id: null })
        .onConflict((oc) => oc.doNothing())
        .returning('run_id')
        .executeTakeFirst()
      if (claimed) {
        const r = await c.effect.perform(trx)
        await trx.updateTable('workflow_side_effects').set({ target_id: r.targetId }).where('run_id', '=', run.id).where('step_id', '=', step.id).execute()
        output = { ...((c.output as object) ?? {}), ...r.output }
      } else {
        decision = 'déjà fait (tentative précédente)'
      }
    }
    await insertStepRow(trx, run, step, attempt, 'succeeded', now, t0, { input: c.input, decision: decision ?? null, output })
    const upd = await trx
      .updateTable('workflow_runs')
      .set({
        current_step: c.next,
        status: c.next ? 'running' : 'succeeded',
        finished_at: c.next ? null : now,
        updated_at: now,
        // Real time: what the benchmark measures (trigger → first side effect committed).
        ...(c.effect ? { first_effect_at: sql`coalesce(first_effect_at, clock_timestamp())` } : {}),
      })
      .where('id', '=', run.id)
      .where('current_step', '=', step.id)
      .where('status', '=', 'running')
      .executeTakeFirst()
    if (Number(upd.numUpdatedRows) !== 1) throw new StaleRunError()
  })
}

async function insertStepRow(
  trx: Db,
  run: RunRow,
  step: { id: string; type: string },
  attempt: number,
  status: 'succeeded' | 'failed' | 'retrying' | 'waiting',
  now: Date,
  t0: number,
  r: { input?: unknown; decision?: string | null; output?: unknown; error?: string | null; wake_at?: Date | null },
) {
  const ms = Math.round(performance.now() - t0)
  await trx
    .insertInto('workflow_run_steps')
    .values({
      run_id: run.id,
      workspace_id: run.workspace_id,
      step_id: step.id,
      step_type: step.type,
      attempt,
      status,
      input: r.input === undefined ? null : r.input,
      decision: r.decision ?? null,
      output: r.output ?? null,
      error: r.error ?? null,
      started_at: now,
      finished_at: new Date(now.getTime() + ms),
      duration_ms: ms,
      wake_at: r.wake_at ?? null,
    })
    .execute()
}

async function retryStep(
  deps: EngineDeps,
  run: RunRow,
  step: Step,
  attempt: number,
  error: string,
  now: Date,
  t0: number,
  input: unknown,
): Promise<StepResult> {
  const delay = backoffMs(deps, attempt)
  const at = new Date(Date.now() + delay)
  await deps.db.transaction().execute(async (trx) => {
    await insertStepRow(trx, run, step, attempt, 'retrying', now, t0, { input, error, decision: `nouvel essai dans ${Math.round(delay / 1000)} s` })
    await enqueue(trx, deps, { runId: run.id, stepId: step.id, attempt: attempt + 1 }, delay > 0 ? at : undefined)
  })
  return { kind: 'retrying' }
}

/** After the last attempt (or a permanent error): the run is failed, the workflow's owner told. */
async function failRun(
  deps: EngineDeps,
  run: RunRow,
  step: { id: string; type: string },
  attempt: number,
  error: string,
  now: Date,
  t0: number,
  input?: unknown,
): Promise<'failed'> {
  await deps.db.transaction().execute(async (trx) => {
    await insertStepRow(trx, run, step, attempt, 'failed', now, t0, { input, error })
    await trx
      .updateTable('workflow_runs')
      .set({ status: 'failed', failed_step: step.id, error, finished_at: now, updated_at: now })
      .where('id', '=', run.id)
      .where('current_step', '=', step.id)
      .execute()
    const wf = await trx.selectFrom('workflows').select(['owner_id', 'name']).where('id', '=', run.workflow_id).executeTakeFirstOrThrow()
    if (wf.owner_id) {
      const failures = await trx
        .selectFrom('workflow_run_steps')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('run_id', '=', run.id)
        .where('status', '=', 'failed')
        .executeTakeFirstOrThrow()
      await notify(trx, {
        workspaceId: run.workspace_id,
        userId: wf.owner_id,
        kind: 'workflow_failed',
        title: `Workflow en échec : ${wf.name}`,
        body: `L’étape « ${step.id} » a échoué après ${attempt} tentative${attempt > 1 ? 's' : ''} : ${error}`,
        link: `/workflows/runs/${run.id}`,
        dedupKey: `workflow_failed:${run.id}:${failures.n}`,
        now,
      })
    }
  })
  return 'failed'
}

/**
 * Replays a failed run from its failed step (after a fix): the run is queued again at
 * that step, attempts start over; steps that succeeded before keep their effects and are
 * not run again. Returns false when the run is not failed (already replayed, or not found).
 */
export async function replayFromFailedStep(deps: EngineDeps, workspaceId: string, runId: string): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const run = await trx
      .selectFrom('workflow_runs')
      .select(['id', 'failed_step', 'status'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', runId)
      .forUpdate()
      .executeTakeFirst()
    if (!run || run.status !== 'failed' || !run.failed_step) return false
    const now = deps.now()
    await trx
      .updateTable('workflow_runs')
      .set({ status: 'queued', current_step: run.failed_step, failed_step: null, error: null, finished_at: null, updated_at: now })
      .where('id', '=', run.id)
      .execute()
    await enqueue(trx, deps, { runId: run.id, stepId: run.failed_step, attempt: 1 })
    return true
  })
}
