import type postgres from 'postgres'
import { type BatchInfo, startEventConsumer } from '../db/event-consumer.js'
import type { Db } from '../db/kysely.js'
import type { ClickHouse } from './clickhouse.js'
import { StateCache } from './state-cache.js'
import { DEFAULT_BATCH_SIZE, projectorSpec } from './project-pending.js'
import type { Projection } from './projection.js'
import type { Checkpoint, ProjectedEvent } from './projected-event.js'
import { projections as allProjections } from './registry.js'

/** The advisory lock key held by the one projector instance that leads (a rebuild takes it too). */
export const PROJECTOR_LOCK_KEY = 7_215_300_201

export type Projector = {
  stop(): Promise<void>
  /** Projects everything projectable now (batch after batch); returns the number of events. */
  runOnce(): Promise<number>
  /** Resolves once every event committed before the call is projected (by whichever instance leads). */
  waitForCatchUp(timeoutMs?: number): Promise<void>
  isLeader(): boolean
}

export type ProjectorOptions = {
  db: Db
  sql: postgres.Sql
  ch: ClickHouse
  log: (m: string) => void
  projections?: Projection[]
  batchSize?: number
  /** Fallback when a NOTIFY is missed (or LISTEN is unavailable). */
  pollMs?: number
  /** How often a follower tries to take over. */
  leaderRetryMs?: number
  /** Called after each batch's checkpoint moved (metrics, benchmarks). */
  onBatch?: (b: { events: ProjectedEvent[]; last: Checkpoint; ms: number }) => void
}

/**
 * Streams `events` into the ClickHouse read models: the shared event consumer
 * (db/event-consumer.ts: leader lock, NOTIFY and polling, backoff) with the projections
 * as its handler. ClickHouse errors are logged and retried with backoff; the checkpoint
 * never moves past an event that was not written.
 *
 * @example const p = await startProjector({ db, sql, ch, log: console.log }); await p.waitForCatchUp(); await p.stop()
 */
export async function startProjector(o: ProjectorOptions): Promise<Projector> {
  const projections = o.projections ?? allProjections
  // The rows this instance last wrote: valid only while it is the single writer.
  const cache = new StateCache()
  const spec = projectorSpec({ db: o.db, ch: o.ch, cache }, projections, { batchSize: o.batchSize ?? DEFAULT_BATCH_SIZE })
  const consumer = await startEventConsumer({
    ...spec,
    db: o.db,
    sql: o.sql,
    lockKey: PROJECTOR_LOCK_KEY,
    log: o.log,
    pollMs: o.pollMs,
    leaderRetryMs: o.leaderRetryMs,
    async handle(events, ctx) {
      try {
        await spec.handle(events, ctx)
      } catch (e) {
        // A half-written batch may have left ClickHouse ahead of the cache, or behind it.
        cache.clear()
        throw e
      }
    },
    onBatch: o.onBatch && ((b: BatchInfo) => o.onBatch!({ events: b.events as ProjectedEvent[], last: b.last, ms: b.ms })),
    // Another instance may have written while this one did not lead.
    onLead: () => cache.clear(),
    onError: (e, n) => {
      for (const x of e instanceof AggregateError ? e.errors : [e]) o.log(`projecteur : échec, nouvel essai (${n}) : ${(x as Error)?.stack ?? x}`)
    },
  })
  return {
    isLeader: () => consumer.isLeader(),
    runOnce: () => consumer.runOnce(),
    waitForCatchUp: (timeoutMs) => consumer.waitForCatchUp(timeoutMs),
    stop: () => consumer.stop(),
  }
}
