import { CompiledQuery, sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { Database, OrganisationStatus } from '../../db/schema'
import type { Stage } from '../../domain/crm/pipeline'
import type { MessageKey } from '~/i18n/i18n'
import type { Auth } from './auth.server'
import { DEAL_SORTS, ORG_SORTS, type DealSortKey, type OrganisationSortKey, type SortDir } from './list-sorts'
import { parseEurosToCents } from '../../domain/shared/money'
import { containsPattern } from './records.server'
import { visibleTo } from './visibility.server'

// The organisation and deal lists: filters read from the URL (validated with zod, an
// invalid value is dropped and named, never a 500), a whitelisted sort, and keyset
// pages — `(sort key, id)` after or before a cursor, an index range scan at any depth
// (indexes: migration 0005). The list pages and their exports share these queries, so
// an export holds exactly the rows the list pages through.

export const PAGE_SIZE = 25
/** Counted exactly up to this many rows; beyond, "plus de 10 000". */
export const COUNT_CAP = 10_000
/** Rows an export writes at most. */
export const EXPORT_CAP = 100_000

export type DealState = 'ouvertes' | 'gagnees' | 'perdues'
export type OwnerFilter = 'moi' | 'aucun' | string

export type OrganisationFilters = {
  q?: string
  owner?: OwnerFilter
  status: OrganisationStatus[]
  sector?: string
  size?: string
  city?: string
  department?: string
  tags: string[]
  createdFrom?: string
  createdTo?: string
}

export type DealFilters = {
  q?: string
  owner?: OwnerFilter
  stages: string[]
  state?: DealState
  category?: string
  source?: string
  region?: string
  amountMin?: number
  amountMax?: number
  closeFrom?: string
  closeTo?: string
  createdFrom?: string
  createdTo?: string
}

type Cursor = { dir: 'after' | 'before'; key: string; id: string }

export type ParsedList<F, K extends string> = {
  filters: F
  sort: { key: K; dir: SortDir }
  cursor: Cursor | null
  /** Labels of the parameters dropped as invalid, for the notice. */
  ignored: MessageKey[]
  /** The filters and sort as a canonical query string (no cursor): saved filters, exports, page links. */
  query: string
}

// ---- Parsing -------------------------------------------------------------------------

const text = z.string().trim().min(1).max(100)
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => {
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= '1900-01-01' && s <= '2999-12-31'
})
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i).transform((s) => s.toLowerCase())
const owner = z.union([z.enum(['moi', 'aucun']), uuid])
const euros = z.string().transform((s, ctx) => {
  const r = parseEurosToCents(s)
  if (!r.ok || r.cents < 0) {
    ctx.addIssue({ code: z.ZodIssueCode.custom })
    return z.NEVER
  }
  return r.cents
})
// Metropolitan (01–95), overseas (971–976) and Corsica (2A, 2B).
const department = z.string().trim().toUpperCase().regex(/^(0[1-9]|[1-8]\d|9[0-5]|97[1-6]|2A|2B)$/)
const STATUSES = ['prospect', 'client', 'ancien_client'] as const satisfies readonly OrganisationStatus[]

function reader(url: URL) {
  const ignored = new Set<MessageKey>()
  const p = url.searchParams
  return {
    ignored,
    one<T>(name: string, label: MessageKey, schema: z.ZodType<T, z.ZodTypeDef, string>): T | undefined {
      const raw = p.get(name)?.trim()
      if (!raw) return undefined
      const r = schema.safeParse(raw)
      if (r.success) return r.data
      ignored.add(label)
      return undefined
    },
    /** Repeated parameters (`etape=A&etape=B`) and comma lists (`etape=A,B`) alike. */
    many<T>(name: string, label: MessageKey, schema: z.ZodType<T, z.ZodTypeDef, string>): T[] {
      const out: T[] = []
      const raws = p.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
      for (const raw of raws.slice(0, 50)) {
        const r = schema.safeParse(raw)
        if (!r.success) ignored.add(label)
        else if (!out.includes(r.data)) out.push(r.data)
      }
      return out
    },
  }
}

function readSort<K extends string>(url: URL, r: ReturnType<typeof reader>, defaults: Record<K, SortDir>, fallback: K) {
  const keys = Object.keys(defaults) as [K, ...K[]]
  const key = r.one('tri', 'list.sortBy', z.enum(keys)) ?? fallback
  const dir = r.one('sens', 'list.sortDir', z.enum(['asc', 'desc'])) ?? defaults[key]
  return { key, dir }
}

function readCursor(url: URL, r: ReturnType<typeof reader>): Cursor | null {
  const schema = z.string().max(400).transform((s, ctx) => {
    try {
      const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown
      const parsed = z.tuple([z.string().max(300), uuid]).parse(v)
      return { key: parsed[0], id: parsed[1] }
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom })
      return z.NEVER
    }
  })
  const after = r.one('apres', 'list.cursor', schema)
  if (after) return { dir: 'after', ...after }
  const before = r.one('avant', 'list.cursor', schema)
  return before ? { dir: 'before', ...before } : null
}

/** A cursor's key must cast to its sort's type: a hand-edited one is ignored, never a database error. */
const calendarDay = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}
const CURSOR_KEY_OK: Record<'text' | 'timestamptz' | 'bigint' | 'date', (k: string) => boolean> = {
  text: (k) => !k.includes('\u0000'),
  bigint: (k) => /^\d{1,15}$/.test(k),
  date: (k) => k === 'infinity' || (/^\d{4}-\d{2}-\d{2}$/.test(k) && calendarDay(k)),
  // Postgres's text form of a timestamptz: "2026-11-27 10:05:00.123456+00".
  timestamptz: (k) => {
    const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.exec(k)
    return !!m && calendarDay(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60
  },
}

function checkedCursor(cursor: Cursor | null, cast: keyof typeof CURSOR_KEY_OK, r: ReturnType<typeof reader>): Cursor | null {
  if (!cursor || CURSOR_KEY_OK[cast](cursor.key)) return cursor
  r.ignored.add('list.cursor')
  return null
}

const encodeCursor = (key: string, id: string) => Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url')


function canonical(entries: [string, string | number | undefined | string[]][]): string {
  const p = new URLSearchParams()
  for (const [k, v] of entries) {
    if (Array.isArray(v)) for (const x of v) p.append(k, x)
    else if (v !== undefined && v !== '') p.set(k, String(v))
  }
  return p.toString()
}

const sortEntries = <K extends string>(sort: { key: K; dir: SortDir }, fallback: K, defaults: Record<K, SortDir>): [string, string | undefined][] =>
  sort.key === fallback && sort.dir === defaults[fallback] ? [] : [['tri', sort.key], ['sens', sort.dir]]

/** cents → "12500,50" as typed back into the amount fields. */
const centsParam = (c: number | undefined) => (c === undefined ? undefined : `${Math.trunc(c / 100)}${c % 100 ? `,${String(c % 100).padStart(2, '0')}` : ''}`)

export function parseOrganisationList(url: URL): ParsedList<OrganisationFilters, OrganisationSortKey> {
  const r = reader(url)
  const tagSchema = z.string().trim().min(1).max(50)
  const filters: OrganisationFilters = {
    q: r.one('q', 'list.search', text),
    owner: r.one('responsable', 'list.owner', owner),
    status: r.many('statut', 'list.statuses', z.enum(STATUSES)),
    sector: r.one('secteur', 'list.sector', text),
    size: r.one('taille', 'list.size', text),
    city: r.one('ville', 'list.city', text),
    department: r.one('departement', 'list.department', department),
    tags: r.many('etiquette', 'list.tags', tagSchema).slice(0, 10),
    createdFrom: r.one('cree_du', 'list.createdFrom', isoDate),
    createdTo: r.one('cree_au', 'list.createdTo', isoDate),
  }
  const sort = readSort(url, r, ORG_SORTS, 'nom')
  const cursor = checkedCursor(readCursor(url, r), ORG_SORT_SPECS[sort.key].cast, r)
  const f = filters
  const query = canonical([
    ['q', f.q], ['responsable', f.owner], ['statut', f.status], ['secteur', f.sector], ['taille', f.size], ['ville', f.city],
    ['departement', f.department], ['etiquette', f.tags], ['cree_du', f.createdFrom], ['cree_au', f.createdTo],
    ...sortEntries(sort, 'nom', ORG_SORTS),
  ])
  return { filters, sort, cursor, ignored: [...r.ignored], query }
}

export function parseDealList(url: URL, stages: Stage[]): ParsedList<DealFilters, DealSortKey> {
  const r = reader(url)
  const codes = stages.map((s) => s.code) as [string, ...string[]]
  const filters: DealFilters = {
    q: r.one('q', 'list.search', text),
    owner: r.one('responsable', 'list.owner', owner),
    stages: r.many('etape', 'list.stages', z.enum(codes)),
    state: r.one('etat', 'list.state', z.enum(['ouvertes', 'gagnees', 'perdues'])),
    category: r.one('categorie', 'list.category', text),
    source: r.one('source', 'list.source', text),
    region: r.one('region', 'list.region', text),
    amountMin: r.one('montant_min', 'list.amountMin', euros),
    amountMax: r.one('montant_max', 'list.amountMax', euros),
    closeFrom: r.one('cloture_du', 'list.closeFrom', isoDate),
    closeTo: r.one('cloture_au', 'list.closeTo', isoDate),
    createdFrom: r.one('cree_du', 'list.createdFrom', isoDate),
    createdTo: r.one('cree_au', 'list.createdTo', isoDate),
  }
  const sort = readSort(url, r, DEAL_SORTS, 'creation')
  const cursor = checkedCursor(readCursor(url, r), DEAL_SORT_SPECS[sort.key].cast, r)
  const f = filters
  const query = canonical([
    ['q', f.q], ['responsable', f.owner], ['etape', f.stages], ['etat', f.state], ['categorie', f.category], ['source', f.source],
    ['region', f.region], ['montant_min', centsParam(f.amountMin)], ['montant_max', centsParam(f.amountMax)],
    ['cloture_du', f.closeFrom], ['cloture_au', f.closeTo], ['cree_du', f.createdFrom], ['cree_au', f.createdTo],
    ...sortEntries(sort, 'creation', DEAL_SORTS),
  ])
  return { filters, sort, cursor, ignored: [...r.ignored], query }
}

// ---- Queries -------------------------------------------------------------------------

type OrgQuery = SelectQueryBuilder<Database, 'organisations', {}>
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
  let q = auth.tenant.selectFrom('organisations')
    .where('organisations.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'organisations'))
  if (f.q) {
    const byName = sql<SqlBool>`f_unaccent(lower(organisations.name)) like ${containsPattern(f.q)}`
    const digits = f.q.replace(/\s/g, '')
    q = /^\d{3,9}$/.test(digits)
      ? q.where((eb) => eb.or([byName, eb('organisations.siren', 'like', `${digits}%`)]))
      : q.where(byName)
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
  let q = auth.tenant.selectFrom('deals')
    .where('deals.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'deals'))
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

/** How a sort key is ordered and how its cursor value is cast back: the expressions match the indexes of migration 0005. */
type SortSpec = { expr: RawBuilder<unknown>; id: RawBuilder<unknown>; cast: 'text' | 'timestamptz' | 'bigint' | 'date' }

const ORG_SORT_SPECS: Record<OrganisationSortKey, SortSpec> = {
  // French dictionary order (migration 0010's index): "École" between "Eau" and "Ferme".
  nom: { expr: sql`organisations.name collate "fr-x-icu"`, id: sql`organisations.id`, cast: 'text' },
  creation: { expr: sql`organisations.created_at`, id: sql`organisations.id`, cast: 'timestamptz' },
}
const DEAL_SORT_SPECS: Record<DealSortKey, SortSpec> = {
  creation: { expr: sql`deals.created_at`, id: sql`deals.id`, cast: 'timestamptz' },
  montant: { expr: sql`deals.amount_cents`, id: sql`deals.id`, cast: 'bigint' },
  cloture: { expr: sql`coalesce(deals.expected_close_date, 'infinity'::date)`, id: sql`deals.id`, cast: 'date' },
  intitule: { expr: sql`deals.title collate "fr-x-icu"`, id: sql`deals.id`, cast: 'text' },
}

export type Page<R> = { rows: R[]; next: string | null; prev: string | null }

/**
 * One keyset page of `base` (filters applied, columns selected) in `sort` order, after
 * or before `cursor`. The sort key travels as Postgres text, so timestamps keep their
 * microseconds and no row is skipped or repeated between pages.
 */
async function keysetPage<R extends { id: string }>(
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
  q = q.orderBy(sql`${spec.expr} ${order}`).orderBy(sql`${spec.id} ${order}`).limit(size + 1)
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
      'organisations.id', 'organisations.name', 'organisations.siren', 'organisations.siret', 'organisations.vat_number',
      'organisations.address', 'organisations.postal_code', 'organisations.city', 'organisations.sector', 'organisations.size',
      'organisations.status', 'organisations.tags', 'organisations.created_at', 'owner.full_name as owner_name',
    ])
}
export type OrganisationRow = Awaited<ReturnType<ReturnType<typeof organisationRows>['execute']>>[number]

function dealRows(auth: Auth, f: DealFilters, stages: Stage[]) {
  return dealsMatching(auth, f, stages)
    .innerJoin('organisations', (j) => j.onRef('organisations.id', '=', 'deals.organisation_id').onRef('organisations.workspace_id', '=', 'deals.workspace_id'))
    .leftJoin('users as owner', 'owner.id', 'deals.owner_id')
    .select([
      'deals.id', 'deals.title', 'deals.amount_cents', 'deals.stage', 'deals.probability', 'deals.expected_close_date',
      'deals.category', 'deals.source', 'deals.region', 'deals.created_at', 'organisations.name as organisation_name',
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

  const capped = db.selectFrom(matching.select(sql`1`.as('one')).limit(cap + 1).as('t')).select((eb) => eb.fn.countAll<number>().as('n'))
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
      fresh.then((v) => choiceCache.set(key, { at: Date.now(), value: Promise.resolve(v) }), () => { hit.refreshing = false })
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
  const list = (v: unknown) => ((v as (string | null)[] | null) ?? []).filter((x): x is string => !!x).sort((a, b) => a.localeCompare(b, 'fr')).slice(0, 300)
  return table === 'organisations'
    ? sql<{ sectors: string[]; tags: string[] }>`
        select (select array_agg(distinct sector) from organisations where workspace_id = ${ws} and deleted_at is null) as sectors,
               (select array_agg(distinct t) from organisations, unnest(tags) t where workspace_id = ${ws} and deleted_at is null) as tags`
      .execute(db).then((r) => ({ sectors: list(r.rows[0]?.sectors), tags: list(r.rows[0]?.tags) }))
    // One scan, three hashed groupings.
    : sql<{ category: string | null; source: string | null; region: string | null }>`
        select category, source, region from deals where workspace_id = ${ws} and deleted_at is null
        group by grouping sets ((category), (source), (region))`
      .execute(db).then((r) => ({
        categories: list(r.rows.map((x) => x.category)), sources: list(r.rows.map((x) => x.source)), regions: list(r.rows.map((x) => x.region)),
      }))
}

/** The workspace's people, to filter by owner. */
export function ownerChoices(auth: Auth) {
  return auth.tenant.selectFrom('users').select(['users.id', 'users.full_name as name'])
    .where('users.role', '!=', 'finance').orderBy('users.full_name').execute()
}

/** This user's saved filters for one list. */
export function savedFiltersOf(auth: Auth, entity: 'organisations' | 'deals') {
  return auth.tenant.selectFrom('saved_filters').select(['saved_filters.id', 'saved_filters.name', 'saved_filters.query'])
    .where('saved_filters.user_id', '=', auth.user.id).where('saved_filters.entity', '=', entity)
    .orderBy('saved_filters.name').execute()
}
