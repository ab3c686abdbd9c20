import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../../db/kysely.js'
import { kyselyExecutor } from '../../mail/enqueue-email.js'
import { type EngineDeps, MAX_DEPTH, MAX_RUNS_PER_RECORD_PER_HOUR, RUN_QUEUE } from './engine-deps.js'
import type { Subject } from './load-context.js'
import { recordedProblem } from './step-errors.js'

export type NewRun = {
  workspaceId: string
  workflowId: string
  version: number
  triggerKind: string
  /** Unique per workflow: the same key never starts a second run. */
  triggerKey: string
  eventPosition?: number | null
  eventType?: string | null
  payload: Record<string, unknown>
  subject: Subject | null
  start: string | null
  depth: number
  correlationId?: string | null
  /** Loop protection decided by the caller: recorded as a skipped run, nothing executes. */
  skipReason?: string | null
}

export type StartedRun = { id: string; status: 'queued' | 'skipped' | 'succeeded' } | null

/**
 * Inserts runs (queued, or skipped with their reason) and enqueues the first job of each
 * queued one, in the caller's transaction. A trigger key already used by the workflow
 * inserts nothing (null in the result): exactly one run per qualifying event.
 */
export async function insertRuns(trx: Db, deps: Pick<EngineDeps, 'queue' | 'now'>, runs: NewRun[]): Promise<StartedRun[]> {
  if (runs.length === 0) return []
  const now = deps.now()
  const rows = runs.map((r) => {
    const id = randomUUID()
    const status = r.skipReason ? ('skipped' as const) : r.start ? ('queued' as const) : ('succeeded' as const)
    return {
      id,
      workspace_id: r.workspaceId,
      workflow_id: r.workflowId,
      workflow_version: r.version,
      trigger_kind: r.triggerKind,
      trigger_key: r.triggerKey,
      trigger_event_position: r.eventPosition ?? null,
      trigger_event_type: r.eventType ?? null,
      trigger_payload: r.payload,
      subject_type: r.subject?.type ?? null,
      subject_id: r.subject?.id ?? null,
      status,
      skip_reason: r.skipReason ?? null,
      current_step: status === 'queued' ? r.start : null,
      depth: r.depth,
      correlation_id: r.correlationId ?? id,
      created_at: now,
      updated_at: now,
      finished_at: status === 'queued' ? null : now,
      error: null,
      failed_step: null,
      started_at: null,
      first_effect_at: null,
      wake_at: null,
    }
  })
  const inserted = await trx
    .insertInto('workflow_runs')
    .values(rows)
    .onConflict((oc) => oc.columns(['workflow_id', 'trigger_key']).doNothing())
    .returning(['id', 'status', 'current_step'])
    .execute()
  const byId = new Map(inserted.map((r) => [r.id, r]))
  const toQueue = inserted.filter((r) => r.status === 'queued')
  if (toQueue.length && deps.queue) {
    const db = kyselyExecutor(trx)
    // One statement for the whole batch (pg-boss insert) when the queue offers it.
    const q = deps.queue
    if (q.insert)
      await q.insert(
        toQueue.map((r) => ({ name: RUN_QUEUE, data: { runId: r.id, stepId: r.current_step, attempt: 1 } })),
        { db },
      )
    else for (const r of toQueue) await q.send(RUN_QUEUE, { runId: r.id, stepId: r.current_step, attempt: 1 }, { db })
  }
  return rows.map((r) => (byId.has(r.id) ? { id: r.id, status: r.status } : null))
}

/** Loop protection: why a trigger must not start a run, or null. */
export function loopGuard(depth: number, recentRuns: number): string | null {
  // A code (JSON with its values) that the run pages translate.
  if (depth > MAX_DEPTH) return recordedProblem({ code: 'workflow.run.skip.depth', params: { depth, max: MAX_DEPTH } })
  if (recentRuns >= MAX_RUNS_PER_RECORD_PER_HOUR) return recordedProblem({ code: 'workflow.run.skip.rate', params: { max: MAX_RUNS_PER_RECORD_PER_HOUR } })
  return null
}

/** Runs (not skipped) of each (workflow, record) pair in the hour before `now`. */
export async function recentRunCounts(db: Db, pairs: Array<{ workflowId: string; subjectId: string }>, now: Date): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (pairs.length === 0) return out
  const wf = pairs.map((p) => p.workflowId)
  const sub = pairs.map((p) => p.subjectId)
  const r = await sql<{ workflow_id: string; subject_id: string; n: number }>`
    select r.workflow_id, r.subject_id, count(*)::int as n
    from workflow_runs r
    join unnest(${wf}::uuid[], ${sub}::uuid[]) as p(workflow_id, subject_id) on p.workflow_id = r.workflow_id and p.subject_id = r.subject_id
    where r.created_at > ${new Date(now.getTime() - 3_600_000)} and r.status <> 'skipped'
    group by r.workflow_id, r.subject_id`.execute(db)
  for (const row of r.rows) out.set(`${row.workflow_id}:${row.subject_id}`, row.n)
  return out
}
