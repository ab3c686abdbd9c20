import type postgres from 'postgres'
import type { Db } from '../db/kysely.js'
import { appUrl } from '../domain/shared/app-url.js'
import type { LookupFn } from '../domain/shared/outbound-http/guarded-post.js'
import { outboundPolicyFromEnv } from '../domain/shared/outbound-http/outbound-policy.js'
import { dispatchPending } from '../domain/workflows/engine/dispatch.js'
import { type EngineDeps, RUN_QUEUE, type RunJob } from '../domain/workflows/engine/engine-deps.js'
import { executeRunJob, prefetchRecords } from '../domain/workflows/engine/execute.js'
import type { Jobs } from './boss.js'
import { startWorkflowDispatcher } from './workflow-dispatcher.js'

export { DISPATCHER_LOCK_KEY } from './workflow-dispatcher.js'

export type WorkflowEngine = {
  deps: EngineDeps
  /** Starts the runs of every event committed now (tests, benches); throws if another instance leads. */
  dispatchOnce(): Promise<number>
  stop(): Promise<void>
}

export type WorkflowEngineOptions = {
  db: Db
  sql: postgres.Sql
  jobs: Jobs | null
  log: (m: string) => void
  /** Run the dispatcher loop and the run workers here (else this process only builds deps). */
  work: boolean
  pollMs?: number
  /** Jobs fetched at once by one run worker, how many workers poll, how many runs each works at once. */
  batchSize?: number
  concurrency?: number
  parallel?: number
  now?: () => Date
  /** Tests answer webhook hosts with fixed addresses (never the network). */
  lookup?: LookupFn
  onDispatch?: (b: { events: number; runs: number; lastPosition: number }) => void
}

/** The engine's dependencies over a started pg-boss (runtime, routes, benches). */
export function engineDeps(o: { db: Db; jobs: Jobs | null; log: (m: string) => void; now?: () => Date; lookup?: LookupFn }): EngineDeps {
  const jobs = o.jobs
  return {
    db: o.db,
    queue: jobs
      ? {
          send: (q, d, opts) => jobs.send(q, d, opts),
          // pg-boss passes the jobs as one JSON text parameter; postgres.js would send a JS
          // string as a JSON string scalar, so it gets the array itself to serialise.
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
    mail: jobs,
    now: o.now ?? (() => new Date()),
    appUrl: appUrl(),
    outbound: { policy: outboundPolicyFromEnv(), lookup: o.lookup },
    log: o.log,
  }
}

/**
 * The workflow dispatcher loop (jobs/workflow-dispatcher.ts: the shared event consumer,
 * as the projector runs it) and the `workflows.run` workers, which take
 * jobs in batches and run the runs of a batch concurrently.
 *
 * @example const engine = await startWorkflowEngine({ db, sql, jobs, log, work: true }); await engine.stop()
 */
export async function startWorkflowEngine(o: WorkflowEngineOptions): Promise<WorkflowEngine> {
  const deps = engineDeps(o)
  const jobs = o.jobs
  if (!o.work || !jobs) return { deps, dispatchOnce: () => dispatchPending(deps), stop: async () => {} }

  const workerIds: string[] = []
  const wakeWorkers = () => {
    for (const id of workerIds) jobs.boss.notifyWorker(id)
  }
  const batchSize = o.batchSize ?? 16
  for (let i = 0; i < (o.concurrency ?? 2); i++) {
    let self = ''
    self = await jobs.boss.work<RunJob>(RUN_QUEUE, { batchSize, pollingIntervalSeconds: 0.5 }, async (batch) => {
      // pg-boss waits out the polling interval after any batch done faster than it, full or
      // not (32 jobs/s per worker at most with 16 × 0.5 s): a full batch asks for the next at once.
      if (batch.length >= batchSize && self) jobs.boss.notifyWorker(self)
      const results = await runBatch(batch)
      // Only a crash gets here (a step's failure is recorded by the engine): pg-boss
      // retries the batch, and the runs that did move on find their job stale.
      const crash = results.find((r) => r.status === 'rejected')
      if (crash) throw (crash as PromiseRejectedResult).reason
    })
    workerIds.push(self)
  }
  /** A few runs at a time (each holds a pooled connection while it runs; the web requests of this process share the pool), the batch's records read together first. */
  async function runBatch(batch: Array<{ data: RunJob }>) {
    const records = await prefetchRecords(
      deps.db,
      batch.filter((j) => j.data.attempt === 1).map((j) => j.data.runId),
    ).catch(() => new Map())
    return inParallel(batch, o.parallel ?? 4, (j) => executeRunJob(deps, j.data, records.get(j.data.runId)))
  }

  let runsStarted = 0
  const dispatcher = await startWorkflowDispatcher({
    db: o.db,
    sql: o.sql,
    deps,
    log: o.log,
    pollMs: o.pollMs,
    onBatch: (b) => {
      runsStarted += b.runs
      if (b.runs > 0) wakeWorkers()
      o.onDispatch?.(b)
    },
  })

  return {
    deps,
    // runOnce and the loop's drains take turns: only this call's batches count here.
    dispatchOnce: async () => {
      const before = runsStarted
      await dispatcher.runOnce()
      return runsStarted - before
    },
    async stop() {
      await dispatcher.stop()
      for (const id of workerIds) await jobs.boss.offWork({ id }).catch(() => {})
    },
  }
}

/** Maps with at most `limit` promises pending; settles like Promise.allSettled. */
async function inParallel<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const out: PromiseSettledResult<R>[] = new Array(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const i = next++
      try {
        out[i] = { status: 'fulfilled', value: await fn(items[i]) }
      } catch (reason) {
        out[i] = { status: 'rejected', reason }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  return out
}
