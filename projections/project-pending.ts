import { type BatchInfo, type ConsumerSpec, consumePending, readEventsAfter } from '../db/event-consumer.js'
import type { Projection, ProjectionIO } from './projection.js'
import { compareCheckpoints, type ProjectedEvent } from './projected-event.js'

export { readEventsAfter, type BatchInfo }

// Larger batches amortise the per-batch round trips and ClickHouse parts, and coalesce a
// stream's events into one current-state row per batch: 50,000 cut the catch-up's CPU
// per event by about a third against 10,000 (docs/performance.md). Only a backlog fills
// them; live batches hold what arrived since the last one.
export const DEFAULT_BATCH_SIZE = 50_000

/**
 * The projector as a consumer of `events` (db/event-consumer.ts): one checkpoint per
 * projection, all read from the slowest; each batch hands each projection the events
 * past its own checkpoint, and only once every ClickHouse write has succeeded do the
 * checkpoints move. A failure throws and moves nothing (at-least-once; the projections
 * are idempotent). Only the stream types some projection reads arrive with their data.
 */
export function projectorSpec(io: ProjectionIO, projections: Projection[], opts: { batchSize?: number; onBatch?: (b: BatchInfo) => void } = {}): ConsumerSpec {
  const streamTypes = projections.every((p) => p.streamTypes) ? [...new Set(projections.flatMap((p) => p.streamTypes!))] : undefined
  return {
    name: 'projecteur',
    checkpoints: projections.map((p) => p.name),
    batchSize: opts.batchSize ?? DEFAULT_BATCH_SIZE,
    streamTypes,
    onBatch: opts.onBatch,
    async handle(events, { from }) {
      // The projections own separate tables and cache entries: they work side by side, so
      // one folds in JavaScript while ClickHouse writes another's rows. Every one must
      // succeed (all are awaited, the first failure is thrown) before the checkpoints move.
      const results = await Promise.allSettled(
        projections.map((p) => {
          const cp = from.get(p.name)!
          const todo = compareCheckpoints(cp, events[0]) < 0 ? events : events.filter((e) => compareCheckpoints(e, cp) > 0)
          return todo.length ? p.apply(io, todo as ProjectedEvent[]) : Promise.resolve()
        }),
      )
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
      if (failed.length === 1) throw failed[0]
      // Each failure is reported (the projector logs them one by one).
      if (failed.length > 1) throw new AggregateError(failed, `${failed.length} projections en échec`)
    },
  }
}

/**
 * Projects every event readable now, batch after batch, and returns how many were read.
 * The next batch is read from Postgres while ClickHouse writes the current one.
 *
 * @example await projectPending({ db, ch }, projections) // 0 when caught up
 */
export async function projectPending(
  io: ProjectionIO,
  projections: Projection[],
  opts: { batchSize?: number; onBatch?: (b: BatchInfo) => void; stopped?: () => boolean } = {},
): Promise<number> {
  return consumePending(io.db, projectorSpec(io, projections, opts), { stopped: opts.stopped })
}
