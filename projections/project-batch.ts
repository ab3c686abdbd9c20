import { sql } from 'kysely'
import type { Db } from '../db/kysely.js'
import { readCheckpoints, saveCheckpoints } from './checkpoints.js'
import type { Projection, ProjectionIO } from './projection.js'
import { type Checkpoint, compareCheckpoints, type ProjectedEvent } from './projected-event.js'

export const DEFAULT_BATCH_SIZE = 5_000

/**
 * Up to `limit` events after `from` in (tx_id, position) order, only from transactions
 * older than every transaction still running: one that commits later can never land
 * behind an event already read (ordering by position alone would skip it).
 */
export async function readEventsAfter(db: Db, from: Checkpoint, limit: number): Promise<ProjectedEvent[]> {
  const r = await sql<ProjectedEvent>`
    select position, tx_id::text as tx_id, workspace_id, stream_type, stream_id, stream_version, type, data, occurred_at
    from events
    where (tx_id, position) > (${from.tx_id}::xid8, ${from.position}::bigint)
      and tx_id < pg_snapshot_xmin(pg_current_snapshot())
    order by tx_id, position
    limit ${limit}`.execute(db)
  return r.rows
}

export type BatchResult = { events: ProjectedEvent[]; last: Checkpoint | null }

/**
 * One step of the projector: read the next batch after the slowest checkpoint, hand
 * each projection the events past its own checkpoint, and only once every ClickHouse
 * write has succeeded move the checkpoints. A failure throws and moves nothing
 * (at-least-once; the projections are idempotent).
 *
 * @example const { events } = await projectBatch({ db, ch }, projections) // [] when caught up
 */
export async function projectBatch(io: ProjectionIO, projections: Projection[], opts: { batchSize?: number } = {}): Promise<BatchResult> {
  const names = projections.map((p) => p.name)
  const checkpoints = await readCheckpoints(io.db, names)
  const from = [...checkpoints.values()].reduce((a, b) => (compareCheckpoints(a, b) <= 0 ? a : b))
  const events = await readEventsAfter(io.db, from, opts.batchSize ?? DEFAULT_BATCH_SIZE)
  if (events.length === 0) return { events, last: null }
  for (const p of projections) {
    const cp = checkpoints.get(p.name)!
    const todo = compareCheckpoints(cp, from) === 0 ? events : events.filter((e) => compareCheckpoints(e, cp) > 0)
    if (todo.length) await p.apply(io, todo)
  }
  const lastEvent = events[events.length - 1]
  const last = { tx_id: lastEvent.tx_id, position: lastEvent.position }
  await saveCheckpoints(io.db, names, last)
  return { events, last }
}
