import { sql } from 'kysely'
import { canWriteRecord } from '../../domain/identity/roles'
import type { Auth } from './auth.server'
import { isUuid } from './forms.server'
import { normaliseQuery, searchOrganisations, SEARCH_MIN_LENGTH } from './search.server'
import { visibleTo } from './visibility.server'

// Single-record reads for pages and actions: the session's workspace (TenantDb), not
// deleted, visible to this role — otherwise null, and the route answers 404.

export async function findVisibleOrganisation(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  const row = await auth.tenant
    .selectFrom('organisations')
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
  const row = await auth.tenant
    .selectFrom('deals')
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
  const row = await auth.tenant.selectFrom('processed_commands').select('result').where('processed_commands.command_id', '=', commandId).executeTakeFirst()
  const id = (row?.result as { streamId?: unknown } | undefined)?.streamId
  return typeof id === 'string' ? id : null
}

/** A search term as an accent- and case-insensitive LIKE pattern (the trigram indexes match it). */
export function containsPattern(q: string) {
  const escaped = q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)
  return sql<string>`f_unaccent(${`%${escaped}%`})`
}

/**
 * Organisations this user may attach a record to, for a select: the first `limit` by
 * name, or those matching `q` (typo-tolerant, SIREN too); `include` (the current or
 * preselected one) stays in the list when visible.
 */
export async function organisationOptions(auth: Auth, opts: number | { q?: string | null; include?: string | null; limit?: number } = {}) {
  const { q, include, limit = 1000 } = typeof opts === 'number' ? { limit: opts } : opts
  const term = normaliseQuery(q)
  const rows: { id: string; name: string }[] =
    term.length >= SEARCH_MIN_LENGTH
      ? (await searchOrganisations(auth, term, limit)).map(({ id, name }) => ({ id, name }))
      : await auth.tenant
          .selectFrom('organisations')
          .select(['organisations.id', 'organisations.name'])
          .where('organisations.deleted_at', 'is', null)
          .where(visibleTo(auth.actor, 'organisations'))
          .orderBy('organisations.name')
          .limit(limit)
          .execute()
  if (include && !rows.some((o) => o.id === include)) {
    const current = await findVisibleOrganisation(auth, include)
    if (current) rows.unshift({ id: current.id, name: current.name })
  }
  return rows
}
