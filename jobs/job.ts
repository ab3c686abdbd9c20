import type PgBoss from 'pg-boss'
import type { Db } from '../db/kysely.js'
import type { ClickHouse } from '../projections/clickhouse.js'
import type { QueueName } from './queues.js'

/** What a handler may use: the write model (through domain commands), analytics, logging, enqueueing. */
export type JobDeps = {
  db: Db
  ch: ClickHouse
  log: (m: string) => void
  send: (queue: QueueName, data: object, opts?: PgBoss.SendOptions) => Promise<string | null>
}

/**
 * One queue's handler. Payloads carry ids, not records. A throw fails the job: pg-boss
 * retries it by the queue's policy, then moves it to the dead-letter twin.
 */
export type JobDefinition<T extends object = Record<string, unknown>> = {
  queue: QueueName
  handle: (data: T, deps: JobDeps, job: PgBoss.Job<T>) => Promise<unknown>
}
