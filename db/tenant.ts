import type { SelectQueryBuilder } from 'kysely'
import type { Db } from './kysely.js'
import type { Database } from './schema.js'

type TenantTable = { [K in keyof Database]: Database[K] extends { workspace_id: string } ? K : never }[keyof Database]

export type TenantDb = {
  workspaceId: string
  /** `selectFrom(table)` already filtered on the session's workspace. */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- kysely's own type for "nothing selected yet"
  selectFrom<T extends TenantTable>(table: T): SelectQueryBuilder<Database, T, {}>
  db: Db
}

/**
 * The one place where a session's workspace is applied to reads: loaders get a
 * TenantDb from the request context and never write `where workspace_id` themselves.
 *
 * @example const t = forWorkspace(db, user.workspaceId); await t.selectFrom('deals').selectAll().execute()
 */
export function forWorkspace(db: Db, workspaceId: string): TenantDb {
  return {
    workspaceId,
    db,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the generic table parameter defeats kysely's column inference for `${table}.workspace_id`; TenantDb's signature types the result
    selectFrom: (table) => (db.selectFrom(table) as any).where(`${table}.workspace_id`, '=', workspaceId),
  }
}
