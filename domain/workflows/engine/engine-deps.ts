import type { Db } from '../../../db/kysely.js'
import type { MailQueue, SqlExecutor } from '../../mail/enqueue-email.js'
import type { LookupFn } from '../../shared/outbound-http/guarded-post.js'
import type { OutboundPolicy } from '../../shared/outbound-http/outbound-policy.js'

export const RUN_QUEUE = 'workflows.run' as const

/** The job of `workflows.run`: continue run `runId` at `stepId` (attempt n of that step). */
export type RunJob = { runId: string; stepId: string | null; attempt: number }

/** What the engine needs of pg-boss: `Runtime.jobs` and a job's `deps` both fit. */
export type RunQueue = {
  send(queue: typeof RUN_QUEUE, data: RunJob, opts?: { db?: SqlExecutor; startAfter?: Date }): Promise<string | null>
  /** Many jobs in one statement (pg-boss `insert`), used by the dispatcher when offered. */
  insert?(jobs: Array<{ name: typeof RUN_QUEUE; data: RunJob }>, opts: { db: SqlExecutor }): Promise<void>
}

export type EngineDeps = {
  db: Db
  /** null: runs are recorded but no job is enqueued (tests drive them by hand). */
  queue: RunQueue | null
  mail: MailQueue | null
  /** The engine's clock: tests move it to resume a 7-day delay without waiting. */
  now: () => Date
  appUrl: string
  /** Webhook steps go through the SSRF guard (domain/shared/outbound-http): its switches, and a lookup tests replace. */
  outbound: { policy: OutboundPolicy; lookup?: LookupFn }
  log: (m: string) => void
  /** Base of the exponential backoff between attempts of a step (default 10 s: 10, 20, 40 s). */
  retryBaseMs?: number
}

/** Attempts of a step before the run fails (1 + 3 retries). */
export const MAX_ATTEMPTS = 4
/** A run's own changes may start other runs down to this depth, no further. */
export const MAX_DEPTH = 3
/** Runs of one workflow on one record per hour, beyond which triggers are skipped. */
export const MAX_RUNS_PER_RECORD_PER_HOUR = 10

export const backoffMs = (deps: EngineDeps, attempt: number) => (deps.retryBaseMs ?? 10_000) * 2 ** (attempt - 1)
