import { sql } from 'kysely'
import type { Db } from '../db/kysely.js'
import { readCheckpoints } from './checkpoints.js'
import { compareCheckpoints } from './projected-event.js'
import { projectionNames } from './registry.js'

export type ProjectionLag = { events: number; seconds: number }

/**
 * How far the slowest projection is behind: committed events it has not projected
 * yet, and the age in seconds of the oldest of them (0 and 0 when caught up). Reads
 * Postgres only, so a web process that does not run the projector can report it.
 *
 * @example const { events, seconds } = await projectionLag(db) // { events: 0, seconds: 0 }
 */
export async function projectionLag(db: Db, names: string[] = projectionNames): Promise<ProjectionLag> {
  const cps = await readCheckpoints(db, names)
  const slowest = [...cps.values()].reduce((a, b) => (compareCheckpoints(a, b) <= 0 ? a : b))
  const r = await sql<{ events: number; seconds: number | null }>`
    select count(*)::int as events, extract(epoch from now() - min(occurred_at))::float8 as seconds
    from events
    where (tx_id, position) > (${slowest.tx_id}::xid8, ${slowest.position}::bigint)`.execute(db)
  const row = r.rows[0]
  return { events: Number(row.events), seconds: row.events ? Math.max(0, Number(row.seconds ?? 0)) : 0 }
}
