import { type RawBuilder, sql } from 'kysely'
import type { DomainEvent, EventMeta } from '../domain/shared/events.js'
import type { Db } from '../db/kysely.js'
import type { Database } from '../db/schema.js'
import type { SeedStream } from './seed-stream.js'

// Column names come from our own row objects (never user input); checked anyway since
// they are spliced into SQL.
function columnsOf(rows: readonly object[]): RawBuilder<unknown> {
  const cols = Object.keys(rows[0])
  for (const c of cols) if (!/^[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`colonne inattendue : ${c}`)
  return sql.raw(cols.map((c) => `"${c}"`).join(', '))
}

/**
 * Inserts many rows in one statement: the rows travel as ONE json parameter (an object,
 * encoded by the driver) and json_populate_recordset types them by the table's own row
 * type. Far fewer round trips than one insert per row, no 65 535-parameter limit, and
 * a column added by a later migration needs no change here (absent keys get defaults).
 * Every row must have the same keys.
 *
 * @example await insertMany(trx, 'deals', rows)
 */
export async function insertMany(db: Db, table: keyof Database, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return
  const cols = columnsOf(rows)
  await sql`
    insert into ${sql.table(table)} (${cols})
    select ${cols} from json_populate_recordset(null::${sql.table(table)}, (${{ rows }}::json) -> 'rows')`.execute(db)
}

/** Updates many rows by (workspace_id, id), same transport as insertMany. */
export async function updateMany(db: Db, table: keyof Database, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return
  columnsOf(rows)
  const sets = sql.raw(
    Object.keys(rows[0])
      .filter((c) => c !== 'id' && c !== 'workspace_id')
      .map((c) => `"${c}" = r."${c}"`)
      .join(', '),
  )
  await sql`
    update ${sql.table(table)} t set ${sets}
    from json_populate_recordset(null::${sql.table(table)}, (${{ rows }}::json) -> 'rows') as r
    where t.id = r.id and t.workspace_id = r.workspace_id`.execute(db)
}

/**
 * The `events` rows of generated streams, exactly as appendEvents writes them: versions
 * following `fromVersion`, `occurred_at` the historical time, meta naming the actor.
 */
export function eventRows<E extends DomainEvent>(
  workspaceId: string,
  streams: readonly SeedStream<unknown, E>[],
  fromVersion: (s: SeedStream<unknown, E>) => number = () => 0,
) {
  const rows: object[] = []
  for (const s of streams) {
    const from = fromVersion(s)
    s.events.forEach(({ event, at, actorId }, i) => {
      const meta: EventMeta = { actorId, source: 'seed' }
      rows.push({
        workspace_id: workspaceId,
        stream_type: s.streamType,
        stream_id: s.streamId,
        stream_version: from + i + 1,
        type: event.type,
        data: event.data,
        meta,
        occurred_at: at,
      })
    })
  }
  return rows
}

export const insertEvents = (db: Db, rows: readonly object[]) => insertMany(db, 'events', rows)
