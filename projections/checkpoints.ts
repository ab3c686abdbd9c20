import { sql } from 'kysely'
import type { Db } from '../db/kysely.js'
import { type Checkpoint, ORIGIN } from './projected-event.js'

/** Each named projection's checkpoint; a projection never run starts at the origin. */
export async function readCheckpoints(db: Db, names: string[]): Promise<Map<string, Checkpoint>> {
  const rows = await db.selectFrom('projection_checkpoints')
    .select(['name', sql<string>`tx_id::text`.as('tx_id'), 'position'])
    .where('name', 'in', names)
    .execute()
  const found = new Map(rows.map((r) => [r.name, { tx_id: r.tx_id, position: Number(r.position) }]))
  return new Map(names.map((n) => [n, found.get(n) ?? ORIGIN]))
}

/**
 * Moves checkpoints forward, never back: a stale writer (an ex-leader finishing a
 * batch) cannot undo a newer position.
 */
export async function saveCheckpoints(db: Db, names: string[], to: Checkpoint): Promise<void> {
  await sql`
    insert into projection_checkpoints (name, tx_id, position, updated_at)
    select n, ${to.tx_id}::xid8, ${to.position}::bigint, now() from unnest(${names}::text[]) as n
    on conflict (name) do update set tx_id = excluded.tx_id, position = excluded.position, updated_at = now()
    where (projection_checkpoints.tx_id, projection_checkpoints.position) < (excluded.tx_id, excluded.position)`.execute(db)
}

/** Sends projections back to the origin: the next run replays every event into them. */
export async function resetCheckpoints(db: Db, names: string[]): Promise<void> {
  await db.deleteFrom('projection_checkpoints').where('name', 'in', names).execute()
}
