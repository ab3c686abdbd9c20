import { sql } from 'kysely'
import type { Db } from '../db/kysely.js'
import { resetCheckpoints } from './checkpoints.js'
import { chQuery, type ClickHouse } from './clickhouse.js'
import { PROJECTOR_LOCK_KEY } from './projector.js'
import { renderStatement } from './migrate.js'
import { projectPending } from './project-pending.js'
import { projections as allProjections } from './registry.js'
import { StateCache } from './state-cache.js'

export type RebuildResult = { projections: string[]; events: number; rows: Record<string, number>; ms: number }

/**
 * Empties the named projections' tables (all by default), sends their checkpoints
 * back to the origin and replays every event into them. Holds the projector's leader
 * lock meanwhile, so it refuses to run beside a live projector instead of racing it.
 *
 * @example const r = await rebuildProjections({ db, ch }) // { projections: ['deals', 'organisations'], events: 1234, rows: { deals_current: 40, … } }
 */
export async function rebuildProjections(
  io: { db: Db; ch: ClickHouse },
  names?: string[],
  opts: { batchSize?: number; log?: (m: string) => void } = {},
): Promise<RebuildResult> {
  const chosen = names?.length ? allProjections.filter((p) => names.includes(p.name)) : allProjections
  const unknown = (names ?? []).filter((n) => !allProjections.some((p) => p.name === n))
  if (unknown.length) throw new Error(`Projection(s) inconnue(s) : ${unknown.join(', ')} (connues : ${allProjections.map((p) => p.name).join(', ')})`)
  const started = performance.now()
  return io.db.connection().execute(async (session) => {
    const {
      rows: [lock],
    } = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${PROJECTOR_LOCK_KEY}::bigint) as ok`.execute(session)
    if (!lock.ok) throw new Error('Un projecteur tourne déjà (verrou de leader pris) : arrêtez-le avant de reconstruire.')
    try {
      const chosenNames = chosen.map((p) => p.name)
      // Checkpoints first: a crash between the two steps replays into the old rows,
      // which the idempotent tables absorb; the reverse order would lose them.
      await resetCheckpoints(io.db, chosenNames)
      const cluster = process.env.CLICKHOUSE_CLUSTER || undefined
      for (const table of chosen.flatMap((p) => p.tables)) {
        await io.ch.command({ query: renderStatement(`TRUNCATE TABLE IF EXISTS ${table}{on_cluster}`, cluster) })
      }
      let events = 0
      // The sole writer while it holds the lock: it may fold from memory like the projector.
      await projectPending({ ...io, cache: new StateCache() }, chosen, {
        batchSize: opts.batchSize,
        onBatch: (b) => {
          events += b.events.length
          opts.log?.(`${events} événements rejoués`)
        },
      })
      const rows: Record<string, number> = {}
      for (const table of chosen.flatMap((p) => p.tables)) {
        const [r] = await chQuery<{ n: number | string }>(io.ch, `SELECT toInt64(count()) AS n FROM ${table} FINAL`)
        rows[table] = Number(r.n)
      }
      return { projections: chosenNames, events, rows, ms: Math.round(performance.now() - started) }
    } finally {
      await sql`select pg_advisory_unlock(${PROJECTOR_LOCK_KEY}::bigint)`.execute(session)
    }
  })
}
