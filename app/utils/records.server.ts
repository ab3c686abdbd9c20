import { sql } from 'kysely'
import { canWriteRecord } from '../../domain/identity/roles'
import type { Auth } from './auth.server'
import { isUuid } from './forms.server'
import { visibleTo } from './visibility.server'

// Single-record reads for pages and actions: the session's workspace (TenantDb), not
// deleted, visible to this role — otherwise null, and the route answers 404.

export async function findVisibleOrganisation(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  const row = await auth.tenant.selectFrom('organisations')
    .leftJoin('users as owner', 'owner.id', 'organisations.owner_id')
    .selectAll('organisations')
    .select(['owner.team_id as owner_team_id', 'owner.full_name as owner_name'])
    .where('organisations.id', '=', id)
    .where('organisations.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'organisations'))
    .executeTakeFirst()
  if (!row) return null
  return { ...row, canWrite: canWriteRecord(auth.actor, { owner_id: row.owner_id, ownerTeamId: row.owner_team_id }) }
}

export async function findVisibleDeal(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  const row = await auth.tenant.selectFrom('deals')
    .innerJoin('organisations', (j) => j.onRef('organisations.id', '=', 'deals.organisation_id').onRef('organisations.workspace_id', '=', 'deals.workspace_id'))
    .leftJoin('users as owner', 'owner.id', 'deals.owner_id')
    .selectAll('deals')
    .select(['organisations.name as organisation_name', 'owner.team_id as owner_team_id', 'owner.full_name as owner_name'])
    .where('deals.id', '=', id)
    .where('deals.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'deals'))
    .executeTakeFirst()
  if (!row) return null
  return { ...row, canWrite: canWriteRecord(auth.actor, { owner_id: row.owner_id, ownerTeamId: row.owner_team_id }) }
}

/** For a replayed create (double submit): the id the first submit created, to redirect to it. */
export async function streamIdOfCommand(auth: Auth, commandId: string): Promise<string | null> {
  const row = await auth.tenant.selectFrom('processed_commands').select('result')
    .where('processed_commands.command_id', '=', commandId).executeTakeFirst()
  const id = (row?.result as { streamId?: unknown } | undefined)?.streamId
  return typeof id === 'string' ? id : null
}

/** A search term as an accent- and case-insensitive LIKE pattern (the trigram indexes match it). */
export function containsPattern(q: string) {
  const escaped = q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)
  return sql<string>`f_unaccent(${`%${escaped}%`})`
}

/** Organisations this user may attach a deal to, for the select (capped: search comes later). */
export async function organisationOptions(auth: Auth, limit = 1000) {
  return auth.tenant.selectFrom('organisations').select(['organisations.id', 'organisations.name'])
    .where('organisations.deleted_at', 'is', null).where(visibleTo(auth.actor, 'organisations'))
    .orderBy('organisations.name').limit(limit).execute()
}
