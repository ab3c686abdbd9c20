import path from 'node:path'
import type postgres from 'postgres'
import { startEmbeddedPostgres, type PostgresServer } from '../db/embedded-postgres.js'
import { EmbeddedPostgresError } from '../db/postgres-access.js'
import { stopSteps, type StopStep } from './shutdown.js'
import { createDb, type Db } from '../db/kysely.js'
import { migrateToLatest } from '../db/migrate.js'
import { isSeeded, seedDemo, type SeedOptions } from '../seed/seed.js'
import { startJobs, type Jobs } from '../jobs/boss.js'
import { createClickHouse, type ClickHouse } from '../projections/clickhouse.js'
import { migrateClickHouse } from '../projections/migrate.js'
import { startProjector, type Projector } from '../projections/projector.js'
import { startWorkflowEngine, type WorkflowEngine } from '../jobs/workflows-engine.js'
import { appUrlWarning } from '../domain/shared/app-url.js'
import { startWebhookEngine, type WebhookEngine } from '../jobs/webhook-engine.job.js'

export type RuntimeOptions = {
  /** Where embedded data lives (`.data` by default): `pg/` and `ch/` inside. */
  dataDir?: string
  databaseUrl?: string
  clickhouseUrl?: string
  /** Run the projector loop in this process. */
  projector?: boolean
  /** pg-boss: 'work' runs the workers and schedules here, 'send' only enqueues, 'off' skips it. */
  jobs?: 'work' | 'send' | 'off'
  /** Load demo data when the database is empty (and complete a load that was interrupted); an object sets its size. */
  seed?: boolean | DemoSeedOptions
  /** Workflows: the event dispatcher and run workers (default: where jobs work). Needs jobs. */
  workflows?: boolean
  /** Outbound webhooks: the outbox loop and delivery workers (default: where jobs work). Needs jobs. */
  webhooks?: boolean
  /** Throwaway cluster (tests, benches): faster, not crash-safe. */
  ephemeral?: boolean
  log?: (msg: string) => void
  /** The app's clock (default: the machine's). Tests pass a fixed one, so that what they see does not depend on today. */
  now?: () => Date
}

/** The demo data's size and seed (seed/seed.ts SEED_DEFAULTS when left out). */
export type DemoSeedOptions = Pick<SeedOptions, 'seed' | 'deals' | 'organisations' | 'asOf' | 'activitiesPerDeal'>

export type Runtime = {
  db: Db
  sql: postgres.Sql
  ch: ClickHouse
  databaseUrl: string
  projector: Projector | null
  jobs: Jobs | null
  /** The workflow engine's deps (always when jobs run), its loops only with `workflows`. */
  workflows: WorkflowEngine
  /** The outbound webhooks' deps (always), their loops only with `webhooks`. */
  webhooks: WebhookEngine
  /** The time the web layer decides with (command contexts, "today", expiry, periods). */
  now: () => Date
  /** Aborted when the runtime begins to stop: long-lived responses (event streams) end on it. */
  stopping: AbortSignal
  /** Aborts `stopping` (the HTTP server calls it before closing, so event streams end first). */
  beginStop: () => void
  /** Stops everything in order, each step bounded in time (see runtime/shutdown.ts); never hangs. */
  stop: (step?: StopStep) => Promise<void>
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
    pgServer = await startEmbeddedPostgres(path.join(dataDir, 'pg'), { ephemeral: opts.ephemeral, log })
    databaseUrl = pgServer.url
    log(`PostgreSQL embarqué démarré (${path.join(dataDir, 'pg')})`)
  }
  const { db, sql } = createDb(databaseUrl, opts.max ? { max: opts.max } : {})
  try {
    const applied = await migrateToLatest(db)
    if (applied.length) log(`migrations Postgres appliquées : ${applied.join(', ')}`)
    return { db, sql, databaseUrl, pgServer, applied }
  } catch (e) {
    // A failed start leaves nothing running behind it.
    await sql.end({ timeout: 1 }).catch(() => {})
    await pgServer?.stop()
    throw e
  }
}

/**
 * The demo data at start: loaded when missing, completed when an earlier start was
 * interrupted while loading it (the run's own options then win over `seed`).
 */
export async function loadDemo(db: Db, seed: true | DemoSeedOptions, log: (m: string) => void): Promise<void> {
  if (await isSeeded(db)) return
  log('chargement des données de démonstration…')
  await seedDemo(db, { ...(typeof seed === 'object' ? seed : {}), log, ifNeeded: true })
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
  const stopping = new AbortController()
  let ch: ClickHouse | null = null
  let projector: Projector | null = null
  let jobs: Jobs | null = null
  let workflows: WorkflowEngine | null = null
  let webhooks: WebhookEngine | null = null
  let workflowPool: ReturnType<typeof createDb> | null = null

  // Reverse order of the start: workflows before pg-boss, pg-boss before Postgres,
  // projector before ClickHouse. Each step is bounded (a hung one is logged and left).
  const stop = async (step: StopStep = stopSteps(log)) => {
    stopping.abort()
    if (workflows) await step('flux de travail', () => workflows!.stop(), 2_000)
    if (webhooks) await step('webhooks', () => webhooks!.stop(), 2_000)
    if (projector) await step('projecteur', () => projector!.stop(), 2_000)
    if (jobs) await step('tâches (pg-boss)', () => jobs!.stop(), 4_000)
    if (ch) await step('ClickHouse', () => ch!.close(), 2_000)
    await step(
      'connexions PostgreSQL',
      async () => {
        await workflowPool?.sql.end({ timeout: 1 })
        // end() alone waits for every query; a second each is plenty once the consumers stopped.
        await sql.end({ timeout: 1 })
        await db.destroy()
      },
      3_000,
    )
    if (pgServer) await step('PostgreSQL embarqué', () => pgServer.stop(), 5_000)
  }

  try {
    ch = await createClickHouse({ url: opts.clickhouseUrl, path: path.join(dataDir, 'ch') })
    await migrateClickHouse(ch)

    if (opts.seed) await loadDemo(db, opts.seed, log)

    projector = opts.projector ? await startProjector({ db, sql, ch, log }) : null
    jobs = (opts.jobs ?? 'off') !== 'off' ? await startJobs({ db, ch, databaseUrl, work: opts.jobs === 'work', log }) : null
    // WORKFLOW_PARALLEL: runs each of the two run workers works at once (4 on the shared
    // pool; more gets the engine its own pool, e.g. 16 in a worker process, see docs/performance.md).
    const workflowWork = !!jobs && (opts.workflows ?? opts.jobs === 'work')
    const workflowParallel = Math.max(1, Math.min(64, Number(process.env.WORKFLOW_PARALLEL) || 4))
    workflowPool = workflowWork && workflowParallel > 4 ? createDb(databaseUrl, { max: workflowParallel * 2 }) : null
    workflows = await startWorkflowEngine({
      db: workflowPool?.db ?? db,
      sql: workflowPool?.sql ?? sql,
      jobs,
      log,
      work: workflowWork,
      parallel: workflowParallel,
      now,
    })
    webhooks = await startWebhookEngine({ db, sql, jobs, log, work: !!jobs && (opts.webhooks ?? opts.jobs === 'work'), now })
  } catch (e) {
    // A failed start stops what it started: no postmaster left for the next start to find.
    await stop(stopSteps(() => {}))
    throw e
  }

  return {
    db,
    sql,
    ch,
    databaseUrl,
    projector,
    jobs,
    workflows,
    webhooks: webhooks!,
    now,
    stopping: stopping.signal,
    beginStop: () => stopping.abort(),
    stop,
  }
}

export { stopOnSignals } from './shutdown.js'

/**
 * What an entry point prints when it cannot start: always a French sentence. The
 * explanation alone for a failure the user can act on (embedded Postgres out of reach,
 * already in use), else what went wrong and, for a developer, where.
 */
export function startupFailure(e: unknown, prefix = '[alforis]'): string {
  if (e instanceof EmbeddedPostgresError) return `${prefix} ${e.message}`
  const err = e as NodeJS.ErrnoException | null
  if (err?.code === 'EADDRINUSE')
    return `${prefix} Le port ${(err as { port?: number }).port ?? ''} est déjà utilisé par un autre programme : arrêtez-le, ou choisissez un autre port avec PORT=… .`
  // embedded-postgres and others reject with anything, `undefined` included.
  const what = e instanceof Error ? e.message : e === undefined || e === null || e === '' ? '' : String(e)
  const where = e instanceof Error && e.stack ? `\n${prefix} détail technique : ${e.stack}` : ''
  return `${prefix} Le démarrage a échoué${what ? ` : ${what}` : " sans message d'erreur"}.${where}`
}
