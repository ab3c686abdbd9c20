import path from 'node:path'
import type postgres from 'postgres'
import { startEmbeddedPostgres, type PostgresServer } from '../db/embedded-postgres.js'
import { EmbeddedPostgresError } from '../db/postgres-access.js'
import { createDb, type Db } from '../db/kysely.js'
import { migrateToLatest } from '../db/migrate.js'
import { isSeeded, seedDemo } from '../seed/seed.js'
import { startJobs, type Jobs } from '../jobs/boss.js'
import { createClickHouse, type ClickHouse } from '../projections/clickhouse.js'
import { migrateClickHouse } from '../projections/migrate.js'
import { startProjector, type Projector } from '../projections/projector.js'
import { startWorkflowEngine, type WorkflowEngine } from '../jobs/workflows-engine.js'
import { appUrlWarning } from '../domain/shared/app-url.js'

export type RuntimeOptions = {
  /** Where embedded data lives (`.data` by default): `pg/` and `ch/` inside. */
  dataDir?: string
  databaseUrl?: string
  clickhouseUrl?: string
  /** Run the projector loop in this process. */
  projector?: boolean
  /** pg-boss: 'work' runs the workers and schedules here, 'send' only enqueues, 'off' skips it. */
  jobs?: 'work' | 'send' | 'off'
  /** Load demo data when the database is empty. */
  seed?: boolean
  /** Workflows: the event dispatcher and run workers (default: where jobs work). Needs jobs. */
  workflows?: boolean
  /** Throwaway cluster (tests, benches): faster, not crash-safe. */
  ephemeral?: boolean
  log?: (msg: string) => void
  /** The app's clock (default: the machine's). Tests pass a fixed one, so that what they see does not depend on today. */
  now?: () => Date
}

export type Runtime = {
  db: Db
  sql: postgres.Sql
  ch: ClickHouse
  databaseUrl: string
  projector: Projector | null
  jobs: Jobs | null
  /** The workflow engine's deps (always when jobs run), its loops only with `workflows`. */
  workflows: WorkflowEngine
  /** The time the web layer decides with (command contexts, "today", expiry, periods). */
  now: () => Date
  stop: () => Promise<void>
}

export type Database = { db: Db; sql: postgres.Sql; databaseUrl: string; pgServer: PostgresServer | null; applied: string[] }

/**
 * The first piece of the runtime alone: Postgres (embedded in `<dataDir>/pg` unless
 * `databaseUrl`), connected and migrated. `npm run db:migrate` stops here.
 */
export async function startDatabase(opts: Pick<RuntimeOptions, 'dataDir' | 'databaseUrl' | 'ephemeral' | 'log'> & { max?: number }): Promise<Database> {
  const log = opts.log ?? ((m: string) => console.log(`[alforis] ${m}`))
  const dataDir = path.resolve(opts.dataDir ?? '.data')
  let pgServer: PostgresServer | null = null
  let databaseUrl = opts.databaseUrl
  if (!databaseUrl) {
    pgServer = await startEmbeddedPostgres(path.join(dataDir, 'pg'), { ephemeral: opts.ephemeral })
    databaseUrl = pgServer.url
    log(`PostgreSQL embarqué démarré (${path.join(dataDir, 'pg')})`)
  }
  const { db, sql } = createDb(databaseUrl, opts.max ? { max: opts.max } : {})
  const applied = await migrateToLatest(db)
  if (applied.length) log(`migrations Postgres appliquées : ${applied.join(', ')}`)
  return { db, sql, databaseUrl, pgServer, applied }
}

/**
 * Everything the app stands on, started in order: Postgres (embedded unless
 * DATABASE_URL), migrations, ClickHouse (chDB unless CLICKHOUSE_URL) and its DDL,
 * demo data, the projector, pg-boss. `stop()` undoes it in reverse.
 */
export async function startRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const log = opts.log ?? ((m: string) => console.log(`[alforis] ${m}`))
  const now = opts.now ?? (() => new Date())
  const dataDir = path.resolve(opts.dataDir ?? '.data')
  const urlWarning = appUrlWarning()
  if (urlWarning) log(urlWarning)
  const { db, sql, databaseUrl, pgServer } = await startDatabase({ ...opts, dataDir, log })

  const ch = await createClickHouse({ url: opts.clickhouseUrl, path: path.join(dataDir, 'ch') })
  await migrateClickHouse(ch)

  if (opts.seed && !(await isSeeded(db))) {
    log('chargement des données de démonstration…')
    await seedDemo(db, { log })
  }

  const projector = opts.projector ? await startProjector({ db, sql, ch, log }) : null
  const jobs = (opts.jobs ?? 'off') !== 'off' ? await startJobs({ db, ch, databaseUrl, work: opts.jobs === 'work', log }) : null
  // WORKFLOW_PARALLEL: runs each of the two run workers works at once (4 on the shared
  // pool; more gets the engine its own pool, e.g. 16 in a worker process, see docs/performance.md).
  const workflowWork = !!jobs && (opts.workflows ?? opts.jobs === 'work')
  const workflowParallel = Math.max(1, Math.min(64, Number(process.env.WORKFLOW_PARALLEL) || 4))
  const workflowPool = workflowWork && workflowParallel > 4 ? createDb(databaseUrl, { max: workflowParallel * 2 }) : null
  const workflows = await startWorkflowEngine({
    db: workflowPool?.db ?? db,
    sql: workflowPool?.sql ?? sql,
    jobs,
    log,
    work: workflowWork,
    parallel: workflowParallel,
    now,
  })

  return {
    db,
    sql,
    ch,
    databaseUrl,
    projector,
    jobs,
    workflows,
    now,
    async stop() {
      // Workflows before pg-boss, pg-boss before Postgres, projector before ClickHouse.
      await workflows.stop()
      await workflowPool?.db.destroy()
      await jobs?.stop()
      await projector?.stop()
      await ch.close()
      await db.destroy()
      await pgServer?.stop()
    },
  }
}

/**
 * Stops everything in order on SIGTERM/SIGINT/SIGHUP. embedded-postgres hooks these
 * signals (async-exit-hook) to stop its cluster and exit at once — before pg-boss and
 * the projector have stopped, and even with DATABASE_URL, where it exits without any
 * graceful stop — so its listeners are replaced by ours.
 */
export function stopOnSignals(stop: () => Promise<void>, log: (m: string) => void = console.log) {
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log(`${signal} reçu, arrêt…`)
    try {
      await stop()
      process.exit(0)
    } catch (e) {
      console.error(e)
      process.exit(1)
    }
  }
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.removeAllListeners(signal)
    process.on(signal, () => void shutdown(signal))
  }
}

/**
 * What an entry point prints when it cannot start: the French explanation alone for a
 * failure the user can act on (embedded Postgres out of reach), the whole error otherwise.
 */
export function startupFailure(e: unknown): unknown {
  return e instanceof EmbeddedPostgresError ? `[alforis] ${e.message}` : e
}
