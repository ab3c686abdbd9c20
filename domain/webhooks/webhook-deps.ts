import type { Db } from '../../db/kysely.js'
import type { SqlExecutor } from '../mail/enqueue-email.js'
import type { LookupFn } from '../shared/outbound-http/guarded-post.js'
import type { OutboundPolicy } from '../shared/outbound-http/outbound-policy.js'

export const DELIVER_QUEUE = 'webhooks.deliver' as const

/** The job of `webhooks.deliver`: attempt n of delivery `deliveryId` (each attempt is sent once: its number is claimed); a manual redelivery is one attempt, without retries. */
export type DeliverJob = { deliveryId: string; attempt: number; manual?: boolean }

/** What the webhooks need of pg-boss (`Runtime.jobs` fits). Priorities: first attempts before retries. */
export type DeliverQueue = {
  send(queue: typeof DELIVER_QUEUE, data: DeliverJob, opts?: { db?: SqlExecutor; startAfter?: number | Date; priority?: number }): Promise<string | null>
  /** Many jobs in one statement, inside the caller's transaction (the outbox). */
  insert(jobs: Array<{ name: typeof DELIVER_QUEUE; data: DeliverJob; priority?: number }>, opts: { db: SqlExecutor }): Promise<void>
}

export type WebhookDeps = {
  db: Db
  /** null: deliveries are recorded but not enqueued (tests drive them by hand). */
  queue: DeliverQueue | null
  now: () => Date
  /** The SSRF guard's switches (an endpoint adds its own private-network switch) and a lookup tests replace. */
  outbound: { policy: OutboundPolicy; lookup?: LookupFn }
  log: (m: string) => void
  /** Multiplies the retry delays (1 in production; the bench shrinks them). */
  retryScale?: number
  /** Per request (default 10 s). */
  timeoutMs?: number
}

/** Retries after the first attempt: 1 min, 10 min, 1 h; then the delivery is dead-lettered. */
export const RETRY_DELAYS_MS = [60_000, 600_000, 3_600_000] as const
/** Failed attempts in a row after which an endpoint is switched off and its admins told. */
export const DISABLE_AFTER_FAILURES = 100
/** How long the previous secret still signs after a rotation. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3_600_000
