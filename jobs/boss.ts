import PgBoss from 'pg-boss'
import type { Db } from '../db/kysely.js'
import type { ClickHouse } from '../projections/clickhouse.js'
import type { JobDeps } from './job.js'
import { deadLetterOf, QUEUES, type QueueName, type QueueSpec, TIMEZONE } from './queues.js'
import { WORKERS } from './workers.js'

export type Jobs = {
  boss: PgBoss
  /** Enqueues a job; null when a singleton policy dropped it (one is already waiting). */
  send(queue: QueueName, data: object, opts?: PgBoss.SendOptions): Promise<string | null>
  stop(): Promise<void>
  /** Jobs waiting to run (created or retry) across our queues, for /healthz. */
  backlog(): Promise<number>
}

export type JobsOptions = {
  db: Db
  ch: ClickHouse
  databaseUrl: string
  /** Run workers and register schedules here (else this process only enqueues). */
  work: boolean
  log: (m: string) => void
  /** How often an idle worker polls; sends from this process wake it at once anyway. */
  pollingIntervalSeconds?: number
}

export const PGBOSS_SCHEMA = 'pgboss'

// Dead letters wait a month for someone to look at them.
const DEAD_LETTER_RETENTION_MINUTES = 30 * 24 * 60

const queueOptions = (q: QueueSpec): PgBoss.Queue => ({
  name: q.name,
  policy: q.policy,
  retryLimit: q.retryLimit,
  retryDelay: q.retryDelay,
  retryBackoff: q.retryBackoff,
  expireInSeconds: q.expireInSeconds,
  deadLetter: deadLetterOf(q.name),
})

/** Creates each queue, or brings an existing one to the options of queues.ts. */
async function ensureQueue(boss: PgBoss, options: PgBoss.Queue) {
  if (await boss.getQueue(options.name)) await boss.updateQueue(options.name, options)
  else await boss.createQueue(options.name, options)
}

/**
 * pg-boss in its own schema of the app's database. Queues are created before anything
 * is sent (pg-boss 10 drops a send to an unknown queue, returning null). With `work`,
 * registers each queue's worker and cron schedule (Europe/Paris).
 *
 * @example const jobs = await startJobs({ db, ch, databaseUrl, work: true, log }); await jobs.send('projections.check-consistency', {})
 */
export async function startJobs(o: JobsOptions): Promise<Jobs> {
  const boss = new PgBoss({
    connectionString: o.databaseUrl,
    schema: PGBOSS_SCHEMA,
    application_name: 'alforis-jobs',
    max: o.work ? 4 : 2,
    // Maintenance and cron belong to worker processes; a web process only sends.
    supervise: o.work,
    schedule: o.work,
  })
  // Without a listener an 'error' event would crash the process; pg-boss retries by itself.
  boss.on('error', (e) => o.log(`pg-boss : ${e instanceof Error ? e.message : String(e)}`))
  await boss.start()

  for (const q of QUEUES) {
    // The twin first: a queue's dead_letter column references it.
    await ensureQueue(boss, { name: deadLetterOf(q.name), policy: 'standard', retentionMinutes: DEAD_LETTER_RETENTION_MINUTES })
    await ensureQueue(boss, queueOptions(q))
  }

  const workerIds = new Map<string, string>()
  const send: Jobs['send'] = async (queue, data, opts) => {
    const id = await boss.send(queue, data, opts ?? {})
    const worker = workerIds.get(queue)
    if (id && worker) boss.notifyWorker(worker)
    return id
  }

  if (o.work) {
    const deps: JobDeps = { db: o.db, ch: o.ch, log: o.log, send }
    for (const w of WORKERS) {
      const id = await boss.work<object>(w.queue, { batchSize: 1, pollingIntervalSeconds: o.pollingIntervalSeconds ?? 2 }, async (jobs) => {
        const out: unknown[] = []
        for (const job of jobs) out.push(await w.handle(job.data as never, deps, job as never))
        return out.length === 1 ? out[0] : out
      })
      workerIds.set(w.queue, id)
    }
    const scheduled = new Set<string>()
    for (const q of QUEUES as readonly QueueSpec[]) {
      if (!q.schedule) continue
      await boss.schedule(q.name, q.schedule.cron, q.schedule.data ?? {}, { tz: TIMEZONE, singletonKey: q.schedule.singletonKey })
      scheduled.add(q.name)
    }
    // A schedule removed from queues.ts stops firing.
    for (const s of await boss.getSchedules()) if (!scheduled.has(s.name)) await boss.unschedule(s.name)
  }
  const names = QUEUES.map((q) => q.name)

  return {
    boss,
    send,
    async backlog() {
      const { rows } = await boss
        .getDb()
        .executeSql(`select count(*)::int as n from ${PGBOSS_SCHEMA}.job where name = any($1::text[]) and state < 'active'`, [names])
      return Number(rows[0]?.n ?? 0)
    },
    async stop() {
      // Lets running jobs finish for 3 s, then fails what is left, which hands it back:
      // retried by the next worker (every queue has retries). Short, because the whole
      // stop of the app has 10 s (runtime/shutdown.ts) and handlers are idempotent.
      await boss.stop({ graceful: true, wait: true, timeout: 3_000 })
    },
  }
}
