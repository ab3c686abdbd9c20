import { sql } from 'kysely'
import type { DomainEvent, EventMeta } from '../../domain/shared/events.js'
import type { Db } from '../kysely.js'
import type { SeedStream } from './seed-stream.js'

/** Postgres type of each column a bulk load writes (the names are ours, never user input). */
export type ColumnTypes = Record<string, string>

export const ORGANISATION_COLUMNS: ColumnTypes = {
  id: 'uuid', workspace_id: 'uuid', name: 'text', siren: 'text', siret: 'text', vat_number: 'text', address: 'text',
  postal_code: 'text', city: 'text', sector: 'text', size: 'text', status: 'text', owner_id: 'uuid', version: 'integer',
  created_at: 'timestamptz', updated_at: 'timestamptz', deleted_at: 'timestamptz',
}

export const DEAL_COLUMNS: ColumnTypes = {
  id: 'uuid', workspace_id: 'uuid', title: 'text', organisation_id: 'uuid', amount_cents: 'bigint', stage: 'text',
  probability: 'integer', expected_close_date: 'date', owner_id: 'uuid', category: 'text', source: 'text', region: 'text',
  lost_reason: 'text', closed_at: 'timestamptz', stage_changed_at: 'timestamptz', version: 'integer',
  created_at: 'timestamptz', updated_at: 'timestamptz', deleted_at: 'timestamptz',
}

const EVENT_COLUMNS: ColumnTypes = {
  workspace_id: 'uuid', stream_type: 'text', stream_id: 'uuid', stream_version: 'integer', type: 'text',
  data: 'jsonb', meta: 'jsonb', occurred_at: 'timestamptz',
}

const recordType = (columns: ColumnTypes) => sql.raw(Object.entries(columns).map(([c, t]) => `"${c}" ${t}`).join(', '))
const columnList = (columns: ColumnTypes) => sql.raw(Object.keys(columns).map((c) => `"${c}"`).join(', '))

/**
 * Inserts many rows in one statement: the rows travel as ONE json parameter (an object,
 * encoded by the driver) and Postgres unpacks them with json_to_recordset. Far fewer
 * round trips than one insert per row, and no 65 535-parameter limit.
 *
 * @example await insertMany(trx, 'deals', DEAL_COLUMNS, rows)
 */
export async function insertMany(db: Db, table: string, columns: ColumnTypes, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return
  await sql`
    insert into ${sql.table(table)} (${columnList(columns)})
    select ${columnList(columns)} from json_to_recordset((${{ rows }}::json) -> 'rows') as r(${recordType(columns)})`.execute(db)
}

/** Updates many rows by id, same transport as insertMany. */
export async function updateMany(db: Db, table: string, columns: ColumnTypes, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return
  const sets = sql.raw(Object.keys(columns).filter((c) => c !== 'id' && c !== 'workspace_id').map((c) => `"${c}" = r."${c}"`).join(', '))
  await sql`
    update ${sql.table(table)} t set ${sets}
    from json_to_recordset((${{ rows }}::json) -> 'rows') as r(${recordType(columns)})
    where t.id = r.id and t.workspace_id = r.workspace_id`.execute(db)
}

/**
 * The `events` rows of generated streams, exactly as appendEvents writes them: versions
 * following `fromVersion`, `occurred_at` the historical time, meta naming the actor.
 */
export function eventRows<E extends DomainEvent>(workspaceId: string, streams: readonly SeedStream<unknown, E>[], fromVersion: (s: SeedStream<unknown, E>) => number = () => 0) {
  const rows: object[] = []
  for (const s of streams) {
    const from = fromVersion(s)
    s.events.forEach(({ event, at, actorId }, i) => {
      const meta: EventMeta = { actorId, source: 'seed' }
      rows.push({
        workspace_id: workspaceId, stream_type: s.streamType, stream_id: s.streamId, stream_version: from + i + 1,
        type: event.type, data: event.data, meta, occurred_at: at,
      })
    })
  }
  return rows
}

export const insertEvents = (db: Db, rows: readonly object[]) => insertMany(db, 'events', EVENT_COLUMNS, rows)
