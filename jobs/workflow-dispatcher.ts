import type postgres from 'postgres'
import { type EventConsumer, startEventConsumer } from '../db/event-consumer.js'
import type { Db } from '../db/kysely.js'
import { type DispatchBatch, dispatcherSpec } from '../domain/workflows/engine/dispatch.js'
import type { EngineDeps } from '../domain/workflows/engine/engine-deps.js'

/** Advisory lock key of the one dispatcher that leads (the projector's is 7215300201). */
export const DISPATCHER_LOCK_KEY = 7_215_300_212

export type WorkflowDispatcherOptions = {
  db: Db
  sql: postgres.Sql
  deps: EngineDeps
  log: (m: string) => void
  pollMs?: number
  leaderRetryMs?: number
  backoff?: { baseMs?: number; maxMs?: number }
  onBatch?: (b: DispatchBatch) => void
}

/**
 * The workflow dispatcher's loop: the shared event consumer (db/event-consumer.ts:
 * leader lock, NOTIFY and polling, backoff) with the domain's "events → runs" as its
 * handler (domain/workflows/engine/dispatch.ts).
 *
 * @example const d = await startWorkflowDispatcher({ db, sql, deps, log }); await d.runOnce(); await d.stop()
 */
export function startWorkflowDispatcher(o: WorkflowDispatcherOptions): Promise<EventConsumer> {
  return startEventConsumer({
    ...dispatcherSpec(o.deps, { onBatch: o.onBatch }),
    db: o.db,
    sql: o.sql,
    lockKey: DISPATCHER_LOCK_KEY,
    log: o.log,
    pollMs: o.pollMs,
    leaderRetryMs: o.leaderRetryMs,
    backoff: o.backoff,
    onError: (e, n) => o.log(`workflows : échec du répartiteur, nouvel essai (${n}) : ${(e as Error)?.stack ?? e}`),
  })
}
