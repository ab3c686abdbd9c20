import { type ConsumerSpec, consumePending, type StoredEvent } from '../../../db/event-consumer.js'
import type { Db } from '../../../db/kysely.js'
import { DEAL_STREAM } from '../../crm/deal.js'
import { ORGANISATION_STREAM } from '../../crm/organisation.js'
import type { EventMeta } from '../../shared/events.js'
import { VARIABLES, type Trigger } from '../workflow.definition.js'
import { loadAuthorities, mayRead } from './authority.js'
import { evaluateGroup } from './conditions.js'
import { activeWorkflows, type ActiveWorkflow } from './definitions.js'
import type { EngineDeps } from './engine-deps.js'
import { loadSubjects, type Subject, subjectGone, valuesOf } from './load-context.js'
import { insertRuns, loopGuard, type NewRun, recentRunCounts } from './start-run.js'

// The dispatcher: a consumer of the domain `events` table, like the projector (ADR 0002,
// ADR 0018: one consumer module, db/event-consumer.ts): events in (tx_id, position) order
// under the snapshot xmin, a checkpoint row moved in the same transaction as the runs it
// starts, so an event starts exactly one run per matching workflow even across crashes
// and restarts (the run's trigger key, the event position, is unique per workflow as a
// second guard). This file says what a batch does; the loop lives in jobs/.

export const DISPATCHER_CHECKPOINT = 'workflows.dispatcher'
export const DEFAULT_DISPATCH_BATCH = 1_000

type EventRow = Omit<StoredEvent, 'meta'> & { meta: EventMeta | null }

const KIND_OF_EVENT: Record<string, Trigger['kind']> = {
  DealCreated: 'deal.created',
  DealUpdated: 'deal.updated',
  DealStageChanged: 'deal.stage_changed',
  OrganisationCreated: 'organisation.created',
  OrganisationUpdated: 'organisation.updated',
}
// The streams those events belong to: the others are read without their data.
const STREAM_TYPES = [DEAL_STREAM, ORGANISATION_STREAM]

// A changed column → the variable paths it feeds (deal.updated / organisation.updated `fields`).
const PATHS_OF_COLUMN = new Map<string, string[]>()
for (const v of VARIABLES)
  if (v.updatable) {
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
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an event's data is the JSON of one of a dozen event types; the trigger kind says which fields are read
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

/** No enabled, published, event-triggered workflow anywhere: no event can start a run. */
async function noEventWorkflows(db: Db): Promise<boolean> {
  const any = await db
    .selectFrom('workflows as w')
    .innerJoin('workflow_versions as v', (j) => j.onRef('v.workflow_id', '=', 'w.id').onRef('v.version', '=', 'w.published_version'))
    .select('w.id')
    .where('w.enabled', '=', true)
    .where('w.deleted_at', 'is', null)
    .where('v.trigger_kind', 'in', Object.values(KIND_OF_EVENT))
    .limit(1)
    .executeTakeFirst()
  return !any
}

export type DispatchBatch = { events: number; runs: number; lastPosition: number }

/**
 * The dispatcher as a consumer of `events` (db/event-consumer.ts): what to do with a
 * batch. Each batch is read, turned into runs and checkpointed in one transaction, so an
 * event starts exactly one run per matching workflow even across crashes and restarts.
 * With no event-triggered workflow anywhere the checkpoint skips straight to the newest
 * readable event (a version only sees events after its publication anyway).
 */
export function dispatcherSpec(deps: EngineDeps, opts: { batchSize?: number; onBatch?: (b: DispatchBatch) => void } = {}): ConsumerSpec & { runs(): number } {
  let batchRuns = 0
  let total = 0
  return {
    name: 'workflows',
    checkpoints: [DISPATCHER_CHECKPOINT],
    batchSize: opts.batchSize ?? DEFAULT_DISPATCH_BATCH,
    transactional: true,
    streamTypes: STREAM_TYPES,
    skipAll: noEventWorkflows,
    async handle(events, { trx }) {
      const relevant = (events as EventRow[]).filter((e) => KIND_OF_EVENT[e.type])
      const runs = relevant.length ? await runsFor(trx!, deps, relevant) : []
      const started = await insertRuns(trx!, deps, runs)
      batchRuns = started.filter(Boolean).length
    },
    onBatch(b) {
      // After the commit: the runs' jobs are visible to the workers woken here.
      total += batchRuns
      opts.onBatch?.({ events: b.read, runs: batchRuns, lastPosition: b.last.position })
      batchRuns = 0
    },
    runs: () => total,
  }
}

/**
 * Starts the runs of every event readable now, batch after batch; returns the number of
 * runs started. New workflows start on events committed after they were enabled only in
 * the sense that the dispatcher is caught up: a checkpoint far behind would start runs
 * for old events (the dispatcher starts at the origin on a fresh database). No leader
 * lock here: the loop (jobs/workflow-dispatcher.ts) leads, tests call it alone.
 *
 * @example await dispatchPending(deps) // 0 when caught up
 */
export async function dispatchPending(
  deps: EngineDeps,
  opts: { batchSize?: number; stopped?: () => boolean; onBatch?: (b: DispatchBatch) => void } = {},
): Promise<number> {
  const spec = dispatcherSpec(deps, opts)
  await consumePending(deps.db, spec, { stopped: opts.stopped })
  return spec.runs()
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
    records.set(
      ws,
      await loadSubjects(
        db,
        ws,
        matches.filter((m) => m.e.workspace_id === ws).map((m) => m.subject),
      ),
    )
  }
  const counts = await recentRunCounts(
    db,
    matches.map((m) => ({ workflowId: m.w.id, subjectId: m.subject.id })),
    now,
  )

  const authorities = await loadAuthorities(
    db,
    matches.map((m) => ({ workflowId: m.w.id, version: m.w.version })),
  )

  const out: NewRun[] = []
  for (const { e, w, subject } of matches) {
    const rec = records.get(e.workspace_id)!.get(`${subject.type}:${subject.id}`)!
    if (subjectGone(subject, rec)) continue
    // A record its publisher may not read starts nothing, and leaves no trace in the log (ADR 0023).
    if (!mayRead(authorities.get(`${w.id}:${w.version}`) ?? { kind: 'system' }, rec)) continue
    const payload: Record<string, unknown> = { event: { type: e.type, data: e.data } }
    if (e.type === 'DealStageChanged') payload.previousStage = e.data.from
    const values = valuesOf(rec, { previousStage: payload.previousStage as string | undefined }, now, deps.appUrl)
    if (!evaluateGroup(w.definition.conditions, values)) continue
    const depth = e.meta?.workflowDepth ?? 0
    const key = `${w.id}:${subject.id}`
    const skipReason = loopGuard(depth, counts.get(key) ?? 0)
    if (!skipReason) counts.set(key, (counts.get(key) ?? 0) + 1)
    out.push({
      workspaceId: e.workspace_id,
      workflowId: w.id,
      version: w.version,
      triggerKind: w.trigger_kind,
      triggerKey: `event:${e.position}`,
      eventPosition: e.position,
      eventType: e.type,
      payload,
      subject,
      start: w.definition.start,
      depth,
      correlationId: e.meta?.correlationId ?? null,
      skipReason,
    })
  }
  return out
}
