import { sql } from 'kysely'
import type { Auth } from './auth.server'

// The choices the list filters offer (sectors, tags, categories, sources, regions,
// owners) and the user's saved filters.

type Choices = { sectors: string[]; tags: string[]; categories: string[]; sources: string[]; regions: string[] }
const choiceCache = new Map<string, { at: number; value: Promise<Partial<Choices>>; refreshing?: boolean }>()
const CHOICES_TTL_MS = 60_000

/**
 * The values the workspace uses in a free-text column, for the filter selects. One scan
 * per table and workspace (a million deals take a few hundred ms), kept in the process:
 * after a minute the stale list is still served while a fresh one is read, so no page
 * waits for the scan but the first. A value typed meanwhile is still accepted by the filter.
 */
export function filterChoices(auth: Auth, table: 'organisations' | 'deals'): Promise<Partial<Choices>> {
  const key = `${auth.user.workspaceId}:${table}`
  const hit = choiceCache.get(key)
  if (hit && Date.now() - hit.at < CHOICES_TTL_MS) return hit.value
  if (hit) {
    if (!hit.refreshing) {
      hit.refreshing = true
      const fresh = readChoices(auth, table)
      fresh.then(
        (v) => choiceCache.set(key, { at: Date.now(), value: Promise.resolve(v) }),
        () => {
          hit.refreshing = false
        },
      )
    }
    return hit.value
  }
  const value = readChoices(auth, table)
  value.catch(() => choiceCache.delete(key))
  choiceCache.set(key, { at: Date.now(), value })
  return value
}

function readChoices(auth: Auth, table: 'organisations' | 'deals'): Promise<Partial<Choices>> {
  const db = auth.tenant.db
  const ws = auth.user.workspaceId
  const list = (v: unknown) =>
    ((v as (string | null)[] | null) ?? [])
      .filter((x): x is string => !!x)
      .sort((a, b) => a.localeCompare(b, 'fr'))
      .slice(0, 300)
  return table === 'organisations'
    ? sql<{ sectors: string[]; tags: string[] }>`
        select (select array_agg(distinct sector) from organisations where workspace_id = ${ws} and deleted_at is null) as sectors,
               (select array_agg(distinct t) from organisations, unnest(tags) t where workspace_id = ${ws} and deleted_at is null) as tags`
        .execute(db)
        .then((r) => ({ sectors: list(r.rows[0]?.sectors), tags: list(r.rows[0]?.tags) }))
    : // One scan, three hashed groupings.
      sql<{ category: string | null; source: string | null; region: string | null }>`
        select category, source, region from deals where workspace_id = ${ws} and deleted_at is null
        group by grouping sets ((category), (source), (region))`
        .execute(db)
        .then((r) => ({
          categories: list(r.rows.map((x) => x.category)),
          sources: list(r.rows.map((x) => x.source)),
          regions: list(r.rows.map((x) => x.region)),
        }))
}

/** The workspace's people, to filter by owner. */
export function ownerChoices(auth: Auth) {
  return auth.tenant
    .selectFrom('users')
    .select(['users.id', 'users.full_name as name'])
    .where('users.role', '!=', 'finance')
    .orderBy('users.full_name')
    .execute()
}

/** This user's saved filters for one list. */
export function savedFiltersOf(auth: Auth, entity: 'organisations' | 'deals') {
  return auth.tenant
    .selectFrom('saved_filters')
    .select(['saved_filters.id', 'saved_filters.name', 'saved_filters.query'])
    .where('saved_filters.user_id', '=', auth.user.id)
    .where('saved_filters.entity', '=', entity)
    .orderBy('saved_filters.name')
    .execute()
}
