import type postgres from 'postgres'
import { consumePending, type EventConsumer, startEventConsumer } from '../db/event-consumer.js'
import type { Db } from '../db/kysely.js'
import type { LookupFn } from '../domain/shared/outbound-http/guarded-post.js'
import { outboundPolicyFromEnv } from '../domain/shared/outbound-http/outbound-policy.js'
import { attemptDelivery } from '../domain/webhooks/deliver.js'
import { OUTBOX_LOCK_KEY, type OutboxBatch, outboxSpec } from '../domain/webhooks/outbox.js'
import { DELIVER_QUEUE, type DeliverJob, type WebhookDeps } from '../domain/webhooks/webhook-deps.js'
import type { Jobs } from './boss.js'

export type WebhookEngine = {
  deps: WebhookDeps
  /** Turns every event committed now into deliveries (tests, benches); throws if another instance leads. */
  outboxOnce(): Promise<number>
  /** Resolves when the outbox has read every event committed before the call. */
  waitForOutbox(timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

export type WebhookEngineOptions = {
  db: Db
  sql: postgres.Sql
  jobs: Jobs | null
  log: (m: string) => void
  /** Run the outbox loop and the delivery workers here (else this process only builds deps). */
  work: boolean
  now?: () => Date
  lookup?: LookupFn
  /** Multiplies the retry delays (the bench's --retry-scale). */
  retryScale?: number
  /** Deliveries in flight at once per worker (default 16), and workers (default 2). */
  parallel?: number
  concurrency?: number
  pollMs?: number
  timeoutMs?: number
  onOutbox?: (b: OutboxBatch) => void
}

/** The webhooks' dependencies over a started pg-boss (runtime, routes, benches). */
export function webhookDeps(o: Pick<WebhookEngineOptions, 'db' | 'jobs' | 'log' | 'now' | 'lookup' | 'retryScale' | 'timeoutMs'>): WebhookDeps {
  const jobs = o.jobs
  return {
    db: o.db,
    queue: jobs
      ? {
          send: (q, d, opts) => jobs.send(q, d, opts as never),
          // As the workflow dispatcher does (jobs/workflows-engine.ts): pg-boss passes the
          // jobs as one JSON text parameter, which postgres.js must get as the array itself.
          insert: (js, opts) =>
            jobs.boss.insert(js, {
              db: {
                executeSql: (text, values) =>
                  opts.db.executeSql(
                    text,
                    values.map((v, i) => (i === 0 && typeof v === 'string' ? JSON.parse(v) : v)),
                  ),
              },
            }),
        }
      : null,
    now: o.now ?? (() => new Date()),
    outbound: { policy: outboundPolicyFromEnv(), lookup: o.lookup },
    log: o.log,
    retryScale: o.retryScale,
    timeoutMs: o.timeoutMs,
  }
}

/**
 * The outbox loop (the shared event consumer with domain/webhooks/outbox.ts as its
 * handler, like the projector and the workflow dispatcher) and the `webhooks.deliver`
 * workers, which take jobs in batches and send a batch's deliveries concurrently.
 *
 * @example const w = await startWebhookEngine({ db, sql, jobs, log, work: true }); await w.stop()
 */
export async function startWebhookEngine(o: WebhookEngineOptions): Promise<WebhookEngine> {
  const deps = webhookDeps(o)
  const jobs = o.jobs
  if (!o.work || !jobs) {
    return { deps, outboxOnce: () => consumePending(deps.db, outboxSpec(deps, { onBatch: o.onOutbox })), waitForOutbox: async () => {}, stop: async () => {} }
  }

  const workerIds: string[] = []
  const batchSize = 32
  for (let i = 0; i < (o.concurrency ?? 2); i++) {
    let self = ''
    self = await jobs.boss.work<DeliverJob>(DELIVER_QUEUE, { batchSize, pollingIntervalSeconds: 0.5 }, async (batch) => {
      // A full batch asks for the next at once (pg-boss would wait out its polling interval).
      if (batch.length >= batchSize && self) jobs.boss.notifyWorker(self)
      await inParallel(batch, o.parallel ?? 16, async (job) => {
        try {
          await attemptDelivery(deps, job.data)
        } catch (e) {
          // Only a crash gets here (a failed send is recorded and rescheduled by the
          // domain): this job alone is retried by pg-boss; the batch's others are done.
          o.log(`webhooks : échec de la tâche ${job.id} : ${(e as Error)?.stack ?? e}`)
          await jobs.boss.fail(DELIVER_QUEUE, job.id, { message: (e as Error)?.message ?? String(e) }).catch(() => {})
        }
      })
    })
    workerIds.push(self)
  }
  const wakeWorkers = () => {
    for (const id of workerIds) jobs.boss.notifyWorker(id)
  }

  const consumer: EventConsumer = await startEventConsumer({
    ...outboxSpec(deps, {
      onBatch: (b) => {
        if (b.deliveries > 0) wakeWorkers()
        o.onOutbox?.(b)
      },
    }),
    db: o.db,
    sql: o.sql,
    lockKey: OUTBOX_LOCK_KEY,
    log: o.log,
    pollMs: o.pollMs,
    onError: (e, n) => o.log(`webhooks : échec de la boîte d’envoi, nouvel essai (${n}) : ${(e as Error)?.stack ?? e}`),
  })

  return {
    deps,
    outboxOnce: () => consumer.runOnce(),
    waitForOutbox: (timeoutMs) => consumer.waitForCatchUp(timeoutMs),
    async stop() {
      await consumer.stop()
      for (const id of workerIds) await jobs.boss.offWork({ id }).catch(() => {})
    },
  }
}

/** Runs `fn` over the items, at most `limit` at once. */
async function inParallel<T>(items: T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length) await fn(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}
