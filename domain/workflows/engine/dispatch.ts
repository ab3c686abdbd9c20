import { sql } from 'kysely'
import type { Db } from '../../../db/kysely.js'
import type { EventMeta } from '../../shared/events.js'
import { VARIABLES, type Trigger } from '../workflow.definition.js'
import { evaluateGroup } from './conditions.js'
import { activeWorkflows, type ActiveWorkflow } from './definitions.js'
import type { EngineDeps } from './engine-deps.js'
import { loadSubjects, type Subject, subjectGone, valuesOf } from './load-context.js'
import { insertRuns, loopGuard, type NewRun, recentRunCounts } from './start-run.js'

// The dispatcher: a consumer of the domain `events` table, like the projector (ADR 0002):
// events in (tx_id, position) order under the snapshot xmin, a checkpoint row moved in
// the same transaction as the runs it starts, so an event starts exactly one run per
// matching workflow even across crashes and restarts (the run's trigger key, the event
// position, is unique per workflow as a second guard).

export const DISPATCHER_CHECKPOINT = 'workflows.dispatcher'
export const DEFAULT_DISPATCH_BATCH = 1_000

type Checkpoint = { tx_id: string; position: number }
type EventRow = { position: number; tx_id: string; workspace_id: string; stream_type: string; stream_id: string; type: string; data: any; meta: EventMeta | null; occurred_at: Date }

const KIND_OF_EVENT: Record<string, Trigger['kind']> = {
  DealCreated: 'deal.created',
  DealUpdated: 'deal.updated',
  DealStageChanged: 'deal.stage_changed',
  OrganisationCreated: 'organisation.created',
  OrganisationUpdated: 'organisation.updated',
}

// A changed column → the variable paths it feeds (deal.updated / organisation.updated `fields`).
const PATHS_OF_COLUMN = new Map<string, string[]>()
for (const v of VARIABLES) if (v.updatable) {
  const k = `${v.updatable.entity}:${v.updatable.column}`
  PATHS_OF_COLUMN.set(k, [...(PATHS_OF_COLUMN.get(k) ?? []), v.path])
}
PATHS_OF_COLUMN.set('organisation:city', ['organisation.ville'])
PATHS_OF_COLUMN.set('organisation:siren', ['organisation.siren'])
PATHS_OF_COLUMN.set('organisation:tags', ['organisation.tags'])
PATHS_OF_COLUMN.set('deal:owner_id', ['proprietaire.nom', 'proprietaire.prenom', 'proprietaire.email'])
PATHS_OF_COLUMN.set('organisation:owner_id', ['proprietaire.nom', 'proprietaire.prenom', 'proprietaire.email'])

/** The variable paths an update event changed. */
export function changedPaths(entity: 'deal' | 'organisation', changes: Record<string, unknown>): string[] {
  return Object.keys(changes).flatMap((c) => PATHS_OF_COLUMN.get(`${entity}:${c}`) ?? [`${entity}.${c}`])
}

/** Whether an event is the trigger of a workflow (before entry conditions). Pure. */
export function eventMatches(trigger: Trigger, e: { type: string; data: any }): boolean {
  if (KIND_OF_EVENT[e.type] !== trigger.kind) return false
  switch (trigger.kind) {
    case 'deal.updated':
    case 'organisation.updated': {
      if (trigger.fields.length === 0) return true
      const changed = changedPaths(trigger.kind === 'deal.updated' ? 'deal' : 'organisation', e.data?.changes ?? {})
      return trigger.fields.some((f) => changed.includes(f))
    }
    case 'deal.stage_changed':
      return (trigger.from === null || trigger.from === e.data.from) && (trigger.to === null || trigger.to === e.data.to)
    default:
      return true
  }
}

async function readCheckpoint(db: Db): Promise<Checkpoint> {
  const r = await db.selectFrom('projection_checkpoints').select([sql<string>`tx_id::text`.as('tx_id'), 'position']).where('name', '=', DISPATCHER_CHECKPOINT).executeTakeFirst()
  return r ? { tx_id: r.tx_id, position: Number(r.position) } : { tx_id: '0', position: 0 }
}

async function saveCheckpoint(db: Db, to: Checkpoint) {
  await sql`
    insert into projection_checkpoints (name, tx_id, position, updated_at)
    values (${DISPATCHER_CHECKPOINT}, ${to.tx_id}::xid8, ${to.position}::bigint, now())
    on conflict (name) do update set tx_id = excluded.tx_id, position = excluded.position, updated_at = now()
    where (projection_checkpoints.tx_id, projection_checkpoints.position) < (excluded.tx_id, excluded.position)`.execute(db)
}

/**
 * Starts the runs of every event readable now, batch after batch; returns the number of
 * runs started. New workflows start on events committed after they were enabled only in
 * the sense that the dispatcher is caught up: a checkpoint far behind would start runs
 * for old events (the dispatcher starts at the origin on a fresh database).
 *
 * @example await dispatchPending(deps) // 0 when caught up
 */
export async function dispatchPending(deps: EngineDeps, opts: { batchSize?: number; stopped?: () => boolean; onBatch?: (b: { events: number; runs: number; lastPosition: number }) => void } = {}): Promise<number> {
  const batchSize = opts.batchSize ?? DEFAULT_DISPATCH_BATCH
  let total = 0
  for (;;) {
    const n = await dispatchBatch(deps, batchSize, opts.onBatch)
    if (n === null) return total
    total += n
    if (opts.stopped?.()) return total
  }
}

/** One batch in one transaction; null when there was nothing to read. */
async function dispatchBatch(deps: EngineDeps, batchSize: number, onBatch?: (b: { events: number; runs: number; lastPosition: number }) => void): Promise<number | null> {
  return deps.db.transaction().execute(async (trx) => {
    // The row lock serialises two dispatchers that both believe they lead.
    await sql`select pg_advisory_xact_lock(7215300213)`.execute(trx)
    const from = await readCheckpoint(trx)
    // No active event-triggered workflow anywhere: nothing to match, so skip straight to
    // the newest readable event (a version only sees events after its publication anyway).
    const any = await trx.selectFrom('workflows as w')
      .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.published_version'))
      .select('w.id').where('w.enabled', '=', true).where('w.deleted_at', 'is', null).where('v.trigger_kind', 'in', Object.values(KIND_OF_EVENT)).limit(1).executeTakeFirst()
    if (!any) {
      const r = await sql<{ tx_id: string; position: string }>`
        select e.tx_id::text as tx_id, e.position from events e
        where (e.tx_id, e.position) > (${from.tx_id}::xid8, ${from.position}::bigint) and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
        order by e.tx_id desc, e.position desc limit 1`.execute(trx)
      if (r.rows.length === 0) return null
      await saveCheckpoint(trx, { tx_id: r.rows[0].tx_id, position: Number(r.rows[0].position) })
      return 0
    }
    const r = await sql<EventRow>`
      select e.position, e.tx_id::text as tx_id, e.workspace_id, e.stream_type, e.stream_id, e.type, e.data, e.meta, e.occurred_at
      from events e
      where (e.tx_id, e.position) > (${from.tx_id}::xid8, ${from.position}::bigint)
        and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
      order by e.tx_id, e.position
      limit ${batchSize}`.execute(trx)
    const events = r.rows.map((e) => ({ ...e, position: Number(e.position) }))
    if (events.length === 0) return null
    const last = events[events.length - 1]
    const relevant = events.filter((e) => KIND_OF_EVENT[e.type])
    const runs = relevant.length ? await runsFor(trx, deps, relevant) : []
    const started = await insertRuns(trx, deps, runs)
    await saveCheckpoint(trx, { tx_id: last.tx_id, position: last.position })
    const count = started.filter(Boolean).length
    onBatch?.({ events: events.length, runs: count, lastPosition: last.position })
    return count
  })
}

async function runsFor(db: Db, deps: EngineDeps, events: EventRow[]): Promise<NewRun[]> {
  const workspaceIds = [...new Set(events.map((e) => e.workspace_id))]
  const kinds = [...new Set(events.map((e) => KIND_OF_EVENT[e.type]))]
  const workflows = await activeWorkflows(db, { workspaceIds, kinds })
  if (workflows.length === 0) return []
  const byWorkspace = new Map<string, ActiveWorkflow[]>()
  for (const w of workflows) byWorkspace.set(w.workspace_id, [...(byWorkspace.get(w.workspace_id) ?? []), w])

  const matches: Array<{ e: EventRow; w: ActiveWorkflow; subject: Subject }> = []
  for (const e of events) {
    for (const w of byWorkspace.get(e.workspace_id) ?? []) {
      // A version starts with the events that happen after it is published (a dispatcher
      // that was behind must not apply a new workflow to the past).
      if (new Date(e.occurred_at) < new Date(w.published_at)) continue
      if (!eventMatches(w.definition.trigger, e)) continue
      matches.push({ e, w, subject: { type: e.stream_type === 'deal' ? 'deal' : 'organisation', id: e.stream_id } })
    }
  }
  if (matches.length === 0) return []

  const now = deps.now()
  const records = new Map<string, Awaited<ReturnType<typeof loadSubjects>>>()
  for (const ws of new Set(matches.map((m) => m.e.workspace_id))) {
    records.set(ws, await loadSubjects(db, ws, matches.filter((m) => m.e.workspace_id === ws).map((m) => m.subject)))
  }
  const counts = await recentRunCounts(db, matches.map((m) => ({ workflowId: m.w.id, subjectId: m.subject.id })), now)

  const out: NewRun[] = []
  for (const { e, w, subject } of matches) {
    const rec = records.get(e.workspace_id)!.get(`${subject.type}:${subject.id}`)!
    if (subjectGone(subject, rec)) continue
    const payload: Record<string, unknown> = { event: { type: e.type, data: e.data } }
    if (e.type === 'DealStageChanged') payload.previousStage = e.data.from
    const values = valuesOf(rec, { previousStage: payload.previousStage as string | undefined }, now, deps.appUrl)
    if (!evaluateGroup(w.definition.conditions, values)) continue
    const depth = e.meta?.workflowDepth ?? 0
    const key = `${w.id}:${subject.id}`
    const skipReason = loopGuard(depth, counts.get(key) ?? 0)
    if (!skipReason) counts.set(key, (counts.get(key) ?? 0) + 1)
    out.push({
      workspaceId: e.workspace_id, workflowId: w.id, version: w.version, triggerKind: w.trigger_kind, triggerKey: `event:${e.position}`,
      eventPosition: e.position, eventType: e.type, payload, subject, start: w.definition.start, depth,
      correlationId: e.meta?.correlationId ?? null, skipReason,
    })
  }
  return out
}
