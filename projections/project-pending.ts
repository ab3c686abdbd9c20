import { sql } from 'kysely'
import type { Db } from '../db/kysely.js'
import { readCheckpoints, saveCheckpoints } from './checkpoints.js'
import type { Projection, ProjectionIO } from './projection.js'
import { type Checkpoint, compareCheckpoints, type ProjectedEvent } from './projected-event.js'

// Larger batches amortise the per-batch round trips (see docs/performance.md).
export const DEFAULT_BATCH_SIZE = 10_000

/**
 * Up to `limit` events after `from` in (tx_id, position) order, only from transactions
 * older than every transaction still running: one that commits later can never land
 * behind an event already read (ordering by position alone would skip it).
 */
export async function readEventsAfter(db: Db, from: Checkpoint, limit: number): Promise<ProjectedEvent[]> {
  // Qualified names: a bare `tx_id` in ORDER BY would mean the text output column.
  const r = await sql<ProjectedEvent>`
    select e.position, e.tx_id::text as tx_id, e.workspace_id, e.stream_type, e.stream_id, e.stream_version, e.type, e.data, e.occurred_at,
      e.meta->>'actorId' as actor_id
    from events e
    where (e.tx_id, e.position) > (${from.tx_id}::xid8, ${from.position}::bigint)
      and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
    order by e.tx_id, e.position
    limit ${limit}`.execute(db)
  return r.rows
}

export type BatchInfo = { events: ProjectedEvent[]; last: Checkpoint; ms: number }

const slowest = (cps: Iterable<Checkpoint>) => [...cps].reduce((a, b) => (compareCheckpoints(a, b) <= 0 ? a : b))

/**
 * Projects every event readable now, batch after batch, and returns how many. Each
 * batch: hand each projection the events past its own checkpoint, and only once every
 * ClickHouse write has succeeded move the checkpoints. A failure throws and moves
 * nothing (at-least-once; the projections are idempotent). The next batch is read
 * from Postgres while ClickHouse writes the current one.
 *
 * @example await projectPending({ db, ch }, projections) // 0 when caught up
 */
export async function projectPending(
  io: ProjectionIO,
  projections: Projection[],
  opts: { batchSize?: number; onBatch?: (b: BatchInfo) => void; stopped?: () => boolean } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE
  const names = projections.map((p) => p.name)
  const checkpoints = await readCheckpoints(io.db, names)
  let next: Promise<ProjectedEvent[]> = readEventsAfter(io.db, slowest(checkpoints.values()), batchSize)
  let total = 0
  try {
    for (;;) {
      const started = performance.now()
      const events = await next
      if (events.length === 0) return total
      const lastEvent = events[events.length - 1]
      const last = { tx_id: lastEvent.tx_id, position: lastEvent.position }
      const full = events.length === batchSize
      next = full ? readEventsAfter(io.db, last, batchSize) : Promise.resolve([])
      for (const p of projections) {
        const cp = checkpoints.get(p.name)!
        const todo = compareCheckpoints(cp, events[0]) < 0 ? events : events.filter((e) => compareCheckpoints(e, cp) > 0)
        if (todo.length) await p.apply(io, todo)
      }
      await saveCheckpoints(io.db, names, last)
      for (const n of names) checkpoints.set(n, last)
      total += events.length
      opts.onBatch?.({ events, last, ms: performance.now() - started })
      if (!full || opts.stopped?.()) return total
    }
  } finally {
    // A prefetch left behind by a failure or a stop must not surface as unhandled.
    next.catch(() => {})
  }
}
