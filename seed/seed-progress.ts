import { sql } from 'kysely'
import type { Db } from '../db/kysely.js'

// The seed's progress record (tables seed_runs, seed_steps): a run remembers the options
// it started with; each finished step is one row written in the same transaction as the
// step's own rows, so a step is either done and recorded, or absent and redone.

/** The one demo run of a database. */
export const DEMO_RUN = 'demo'

// Two processes starting on one database (web replicas with DATABASE_URL) seed one after
// the other: the second finds the run complete.
const SEED_LOCK_KEY = 7_215_300_260

export type SeedRun = { options: Record<string, unknown>; completedAt: Date | null; steps: Set<string> }

export async function readSeedRun(db: Db, name = DEMO_RUN): Promise<SeedRun | null> {
  const run = await db.selectFrom('seed_runs').select(['options', 'completed_at']).where('name', '=', name).executeTakeFirst()
  if (!run) return null
  const steps = await db.selectFrom('seed_steps').select('step').where('run', '=', name).execute()
  return { options: run.options as Record<string, unknown>, completedAt: run.completed_at, steps: new Set(steps.map((s) => s.step)) }
}

export async function startSeedRun(db: Db, options: Record<string, unknown>, name = DEMO_RUN): Promise<void> {
  await db.insertInto('seed_runs').values({ name, options }).execute()
}

/** Records `step` as done; call it inside the step's transaction. */
export async function recordStep(trx: Db, step: string, name = DEMO_RUN): Promise<void> {
  await trx.insertInto('seed_steps').values({ run: name, step }).execute()
}

export async function completeSeedRun(trx: Db, name = DEMO_RUN): Promise<void> {
  await trx
    .updateTable('seed_runs')
    .set({ completed_at: sql<Date>`coalesce(completed_at, now())` })
    .where('name', '=', name)
    .execute()
}

/**
 * Runs `fn` on one connection that holds the seed's advisory lock (released when `fn`
 * ends, or by Postgres when the process dies with its connection).
 */
export async function withSeedLock<T>(db: Db, fn: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SEED_LOCK_KEY})`.execute(conn)
    try {
      return await fn(conn)
    } finally {
      await sql`select pg_advisory_unlock(${SEED_LOCK_KEY})`.execute(conn).catch(() => {})
    }
  })
}
