import { type BatchInfo, type ConsumerSpec, consumePending, readEventsAfter } from '../db/event-consumer.js'
import type { Projection, ProjectionIO } from './projection.js'
import { compareCheckpoints, type ProjectedEvent } from './projected-event.js'

export { readEventsAfter, type BatchInfo }

// Larger batches amortise the per-batch round trips (see docs/performance.md).
export const DEFAULT_BATCH_SIZE = 10_000

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
      for (const p of projections) {
        const cp = from.get(p.name)!
        const todo = compareCheckpoints(cp, events[0]) < 0 ? events : events.filter((e) => compareCheckpoints(e, cp) > 0)
        if (todo.length) await p.apply(io, todo as ProjectedEvent[])
      }
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
