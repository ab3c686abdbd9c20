import { CompiledQuery, sql, type SelectQueryBuilder, type SqlBool } from 'kysely'
import type { Database } from '../../db/schema'
import type { Stage } from '../../domain/crm/pipeline'
import type { Auth } from './auth.server'
import type { DealSortKey, OrganisationSortKey, SortDir } from './list-sorts'
import {
  COUNT_CAP,
  DEAL_SORT_SPECS,
  encodeCursor,
  EXPORT_CAP,
  ORG_SORT_SPECS,
  PAGE_SIZE,
  type Cursor,
  type SortSpec,
  type DealFilters,
  type OrganisationFilters,
  type OwnerFilter,
  type ParsedList,
} from './list-params.server'
import { containsPattern } from './records.server'
import { visibleTo } from './visibility.server'

// The organisation and deal lists' queries: filters applied, role visibility, and keyset
// pages — `(sort key, id)` after or before a cursor, an index range scan at any depth
// (indexes: migration 0005). The list pages and their exports share these queries, so
// an export holds exactly the rows the list pages through. URL parsing is in
// list-params.server.ts, the filters' choices in list-choices.server.ts.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- kysely's own type for "nothing selected yet"
type OrgQuery = SelectQueryBuilder<Database, 'organisations', {}>
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- kysely's own type for "nothing selected yet"
type DealQuery = SelectQueryBuilder<Database, 'deals', {}>

/** A Paris calendar day's first instant: `created_at >= parisDayStart('2026-11-27')`. */
const parisDayStart = (iso: string) => sql`(${iso}::date)::timestamp at time zone 'Europe/Paris'`
const parisDayEnd = (iso: string) => sql`(${iso}::date + 1)::timestamp at time zone 'Europe/Paris'`

function ownerCondition(auth: Auth, column: 'organisations.owner_id' | 'deals.owner_id', f: OwnerFilter) {
  if (f === 'aucun') return sql<SqlBool>`${sql.ref(column)} is null`
  return sql<SqlBool>`${sql.ref(column)} = ${f === 'moi' ? auth.user.id : f}::uuid`
}

/** The organisations this user may see that match the filters (no columns selected yet). */
export function organisationsMatching(auth: Auth, f: OrganisationFilters): OrgQuery {
  let q = auth.tenant.selectFrom('organisations').where('organisations.deleted_at', 'is', null).where(visibleTo(auth.actor, 'organisations'))
  if (f.q) {
    const byName = sql<SqlBool>`f_unaccent(lower(organisations.name)) like ${containsPattern(f.q)}`
    const digits = f.q.replace(/\s/g, '')
    q = /^\d{3,9}$/.test(digits) ? q.where((eb) => eb.or([byName, eb('organisations.siren', 'like', `${digits}%`)])) : q.where(byName)
  }
  if (f.owner) q = q.where(ownerCondition(auth, 'organisations.owner_id', f.owner))
  if (f.status.length) q = q.where('organisations.status', 'in', f.status)
  if (f.sector) q = q.where('organisations.sector', '=', f.sector)
  if (f.size) q = q.where('organisations.size', '=', f.size)
  if (f.city) q = q.where(sql<SqlBool>`f_unaccent(lower(organisations.city)) = f_unaccent(lower(${f.city}))`)
  if (f.department) {
    // Corsica's postal codes start 200–201 (2A) and 202–206 (2B).
    const prefixes = f.department === '2A' ? ['200', '201'] : f.department === '2B' ? ['202', '203', '204', '205', '206'] : [f.department]
    q = q.where((eb) => eb.or(prefixes.map((p) => eb('organisations.postal_code', 'like', `${p}%`))))
  }
  if (f.tags.length) q = q.where(sql<SqlBool>`organisations.tags @> ${sql.val(f.tags)}::text[]`)
  if (f.createdFrom) q = q.where(sql<SqlBool>`organisations.created_at >= ${parisDayStart(f.createdFrom)}`)
  if (f.createdTo) q = q.where(sql<SqlBool>`organisations.created_at < ${parisDayEnd(f.createdTo)}`)
  return q
}

/** The deals this user may see that match the filters. */
export function dealsMatching(auth: Auth, f: DealFilters, stages: Stage[]): DealQuery {
  let q = auth.tenant.selectFrom('deals').where('deals.deleted_at', 'is', null).where(visibleTo(auth.actor, 'deals'))
  if (f.q) q = q.where(sql<SqlBool>`f_unaccent(lower(deals.title)) like ${containsPattern(f.q)}`)
  if (f.owner) q = q.where(ownerCondition(auth, 'deals.owner_id', f.owner))
  let codes: string[] | null = f.stages.length ? f.stages : null
  if (f.state) {
    const kind = f.state === 'ouvertes' ? 'open' : f.state === 'gagnees' ? 'won' : 'lost'
    const ofKind = stages.filter((s) => s.kind === kind).map((s) => s.code)
    codes = codes ? codes.filter((c) => ofKind.includes(c)) : ofKind
  }
  if (codes) q = codes.length ? q.where('deals.stage', 'in', codes) : q.where(sql<SqlBool>`false`)
  if (f.category) q = q.where('deals.category', '=', f.category)
  if (f.source) q = q.where('deals.source', '=', f.source)
  if (f.region) q = q.where('deals.region', '=', f.region)
  if (f.amountMin !== undefined) q = q.where('deals.amount_cents', '>=', f.amountMin)
  if (f.amountMax !== undefined) q = q.where('deals.amount_cents', '<=', f.amountMax)
  if (f.closeFrom) q = q.where('deals.expected_close_date', '>=', f.closeFrom)
  if (f.closeTo) q = q.where('deals.expected_close_date', '<=', f.closeTo)
  if (f.createdFrom) q = q.where(sql<SqlBool>`deals.created_at >= ${parisDayStart(f.createdFrom)}`)
  if (f.createdTo) q = q.where(sql<SqlBool>`deals.created_at < ${parisDayEnd(f.createdTo)}`)
  return q
}

export type Page<R> = { rows: R[]; next: string | null; prev: string | null }

/**
 * One keyset page of `base` (filters applied, columns selected) in `sort` order, after
 * or before `cursor`. The sort key travels as Postgres text, so timestamps keep their
 * microseconds and no row is skipped or repeated between pages.
 */
async function keysetPage<R extends { id: string }>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one keyset pager for two tables: the database and table types do not matter, the selected row R does
  base: SelectQueryBuilder<any, any, R>,
  spec: SortSpec,
  dir: SortDir,
  cursor: Cursor | null,
  size: number,
): Promise<Page<R>> {
  const backwards = cursor?.dir === 'before'
  const ascending = (dir === 'asc') !== backwards
  const order = ascending ? sql`asc` : sql`desc`
  let q = base.select(sql<string>`${spec.expr}::text`.as('_k'))
  if (cursor) {
    const cmp = ascending ? sql`>` : sql`<`
    q = q.where(sql<SqlBool>`(${spec.expr}, ${spec.id}) ${cmp} (${cursor.key}::${sql.raw(spec.cast)}, ${cursor.id}::uuid)`)
  }
  q = q
    .orderBy(sql`${spec.expr} ${order}`)
    .orderBy(sql`${spec.id} ${order}`)
    .limit(size + 1)
  let rows = (await q.execute()) as (R & { _k: string })[]
  const more = rows.length > size
  rows = rows.slice(0, size)
  if (backwards) rows.reverse()
  const first = rows[0]
  const last = rows[rows.length - 1]
  const hasNext = backwards ? true : more
  const hasPrev = backwards ? more : cursor !== null
  return {
    rows: rows.map(({ _k, ...r }) => r as unknown as R),
    next: hasNext && last ? encodeCursor(last._k, last.id) : null,
    prev: hasPrev && first ? encodeCursor(first._k, first.id) : null,
  }
}

function organisationRows(auth: Auth, f: OrganisationFilters) {
  return organisationsMatching(auth, f)
    .leftJoin('users as owner', 'owner.id', 'organisations.owner_id')
    .select([
      'organisations.id',
      'organisations.name',
      'organisations.siren',
      'organisations.siret',
      'organisations.vat_number',
      'organisations.phone',
      'organisations.email',
      'organisations.website',
      'organisations.address',
      'organisations.postal_code',
      'organisations.city',
      'organisations.sector',
      'organisations.size',
      'organisations.status',
      'organisations.tags',
      'organisations.created_at',
      'owner.full_name as owner_name',
    ])
}
export type OrganisationRow = Awaited<ReturnType<ReturnType<typeof organisationRows>['execute']>>[number]

function dealRows(auth: Auth, f: DealFilters, stages: Stage[]) {
  return dealsMatching(auth, f, stages)
    .innerJoin('organisations', (j) => j.onRef('organisations.id', '=', 'deals.organisation_id').onRef('organisations.workspace_id', '=', 'deals.workspace_id'))
    .leftJoin('users as owner', 'owner.id', 'deals.owner_id')
    .select([
      'deals.id',
      'deals.title',
      'deals.amount_cents',
      'deals.stage',
      'deals.probability',
      'deals.expected_close_date',
      'deals.category',
      'deals.source',
      'deals.region',
      'deals.created_at',
      'organisations.name as organisation_name',
      'owner.full_name as owner_name',
    ])
}
export type DealRow = Awaited<ReturnType<ReturnType<typeof dealRows>['execute']>>[number]

export function organisationPage(auth: Auth, list: ParsedList<OrganisationFilters, OrganisationSortKey>, size = PAGE_SIZE) {
  return keysetPage(organisationRows(auth, list.filters), ORG_SORT_SPECS[list.sort.key], list.sort.dir, list.cursor, size)
}

export function dealPage(auth: Auth, list: ParsedList<DealFilters, DealSortKey>, stages: Stage[], size = PAGE_SIZE) {
  return keysetPage(dealRows(auth, list.filters, stages), DEAL_SORT_SPECS[list.sort.key], list.sort.dir, list.cursor, size)
}

/** Every row of the list from its first page on, in pages of `batch`, at most `cap` rows. */
async function* allPages<R extends { id: string }>(page: (cursor: Cursor | null, size: number) => Promise<Page<R>>, cap: number, batch = 2_000) {
  let cursor: Cursor | null = null
  let sent = 0
  while (sent < cap) {
    const p: Page<R> = await page(cursor, Math.min(batch, cap - sent))
    if (p.rows.length) yield p.rows
    sent += p.rows.length
    if (!p.next) return
    const [key, id] = JSON.parse(Buffer.from(p.next, 'base64url').toString('utf8')) as [string, string]
    cursor = { dir: 'after', key, id }
  }
}

export function allOrganisations(auth: Auth, list: ParsedList<OrganisationFilters, OrganisationSortKey>, cap = EXPORT_CAP) {
  return allPages((cursor, size) => organisationPage(auth, { ...list, cursor }, size), cap)
}

export function allDeals(auth: Auth, list: ParsedList<DealFilters, DealSortKey>, stages: Stage[], cap = EXPORT_CAP) {
  return allPages((cursor, size) => dealPage(auth, { ...list, cursor }, stages, size), cap)
}

// ---- Counting ------------------------------------------------------------------------

export type ListCount = { kind: 'exact' | 'more' | 'about'; n: number } | null

/**
 * The number of matching rows if it is cheap. The planner's estimate comes first (no
 * rows read): well above the cap, it is shown as such ("environ 1 000 000"). Otherwise
 * the rows are counted, exactly up to `cap` ("plus de 10 000" beyond), within
 * `budgetMs`; past the budget, the estimate again. Never slows a page down by more
 * than the budget, and never counts ten thousand rows to say "a million".
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type -- counts any list's filtered query, whatever its table, before anything is selected
export async function countRows(auth: Auth, matching: SelectQueryBuilder<any, any, {}>, cap = COUNT_CAP, budgetMs = 60): Promise<ListCount> {
  const db = auth.tenant.db
  const compiled = matching.select(sql`1`.as('one')).compile()
  const plan = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]),
  )
  const estimate = plan.rows[0]?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows']
  // Rounded to two significant digits: it is an estimate.
  const about = (n: number) => {
    const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(n, 1))) - 1)
    return { kind: 'about' as const, n: Math.round(n / magnitude) * magnitude }
  }
  if (typeof estimate === 'number' && estimate > cap * 2) return about(estimate)

  const capped = db
    .selectFrom(
      matching
        .select(sql`1`.as('one'))
        .limit(cap + 1)
        .as('t'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
  try {
    const n = await db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = ${sql.lit(budgetMs)}`.execute(trx)
      return Number((await trx.executeQuery(capped.compile())).rows[0]?.n ?? 0)
    })
    return n > cap ? { kind: 'more', n: cap } : { kind: 'exact', n }
  } catch (e) {
    if ((e as { code?: string }).code !== '57014') throw e // only a cancelled statement falls back
  }
  return typeof estimate === 'number' ? about(estimate) : null
}

// ---- Filter choices ------------------------------------------------------------------
