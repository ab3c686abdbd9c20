import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely'
import type { Database } from '../../db/schema'
import type { TenantDb } from '../../db/tenant'
import type { Actor } from '../../domain/identity/roles'

// The query form of domain/identity/roles.ts `canReadRecord`: lists and record pages
// filter with it, so a record a role may not read is simply not found (404).

type OwnedTable = 'organisations' | 'deals' | 'contacts'

export function visibleTo<T extends OwnedTable>(actor: Actor, table: T) {
  return (eb: ExpressionBuilder<Database, T>): Expression<SqlBool> => {
    const e = eb as unknown as ExpressionBuilder<Database, OwnedTable>
    const owner = `${table}.owner_id` as `${OwnedTable}.owner_id`
    // `shared` records are open to every commercial (db migration 0003).
    const shared = `${table}.shared` as `${OwnedTable}.shared`
    switch (actor.role) {
      case 'admin':
      case 'finance':
        return sql<SqlBool>`true`
      case 'commercial':
        return e.or([e(owner, 'is', null), e(owner, '=', actor.id), e(shared, '=', true)])
      case 'manager': {
        const own = [e(owner, 'is', null), e(owner, '=', actor.id), e(shared, '=', true)]
        if (!actor.teamId) return e.or(own)
        const team = e.selectFrom('users').select('users.id').where('users.workspace_id', '=', actor.workspaceId).where('users.team_id', '=', actor.teamId)
        return e.or([...own, e(owner, 'in', team)])
      }
    }
  }
}

export type OwnerOption = { id: string; name: string }

/**
 * Whom this actor may make a record's owner: admins anyone; managers themselves and their
 * team; commercials themselves. Never someone whose records they could then not see.
 */
export async function assignableOwners(actor: Actor, tenant: TenantDb): Promise<OwnerOption[]> {
  let q = tenant
    .selectFrom('users')
    .select(['users.id', 'users.full_name as name'])
    .where('users.active', '=', true)
    .where('users.role', '!=', 'finance')
    .orderBy('users.full_name')
  if (actor.role === 'commercial' || actor.role === 'finance') q = q.where('users.id', '=', actor.id)
  else if (actor.role === 'manager') {
    q = actor.teamId ? q.where((eb) => eb.or([eb('users.id', '=', actor.id), eb('users.team_id', '=', actor.teamId)])) : q.where('users.id', '=', actor.id)
  }
  return q.execute()
}

/** Names of the workspace's users, to show owners on lists and pages. */
export async function userNames(tenant: TenantDb): Promise<Record<string, string>> {
  const rows = await tenant.selectFrom('users').select(['users.id', 'users.full_name']).execute()
  return Object.fromEntries(rows.map((r) => [r.id, r.full_name]))
}
