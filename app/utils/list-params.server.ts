import { amountProblem, dayProblem } from '../../domain/shared/plausible'
import { sql, type RawBuilder } from 'kysely'
import { z } from 'zod'
import type { OrganisationStatus } from '../../db/schema'
import type { Stage } from '../../domain/crm/pipeline'
import { parseEurosToCents } from '../../domain/shared/money'
import type { MessageKey } from '~/i18n/i18n'
import { DEAL_SORTS, ORG_SORTS, type DealSortKey, type OrganisationSortKey, type SortDir } from './list-sorts'

// The organisation and deal lists' URLs read into filters, a whitelisted sort and a
// keyset cursor (validated with zod: an invalid value is dropped and named, never a
// 500). The queries that run them are in list-query.server.ts.

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

export type Cursor = { dir: 'after' | 'before'; key: string; id: string }

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
// The same plausible days and amounts as the commands take (domain/shared/plausible).
const isoDate = z.string().refine((s) => dayProblem(s, 'validation.invalid') === null)
const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  .transform((s) => s.toLowerCase())
const owner = z.union([z.enum(['moi', 'aucun']), uuid])
const euros = z.string().transform((s, ctx) => {
  const r = parseEurosToCents(s)
  if (!r.ok || amountProblem(r.cents)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom })
    return z.NEVER
  }
  return r.cents
})
// Metropolitan (01–95), overseas (971–976) and Corsica (2A, 2B).
const department = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(0[1-9]|[1-8]\d|9[0-5]|97[1-6]|2A|2B)$/)
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
      const raws = p
        .getAll(name)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean)
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
  const schema = z
    .string()
    .max(400)
    .transform((s, ctx) => {
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

export const encodeCursor = (key: string, id: string) => Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url')

function canonical(entries: [string, string | number | undefined | string[]][]): string {
  const p = new URLSearchParams()
  for (const [k, v] of entries) {
    if (Array.isArray(v)) for (const x of v) p.append(k, x)
    else if (v !== undefined && v !== '') p.set(k, String(v))
  }
  return p.toString()
}

const sortEntries = <K extends string>(sort: { key: K; dir: SortDir }, fallback: K, defaults: Record<K, SortDir>): [string, string | undefined][] =>
  sort.key === fallback && sort.dir === defaults[fallback]
    ? []
    : [
        ['tri', sort.key],
        ['sens', sort.dir],
      ]

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
    ['q', f.q],
    ['responsable', f.owner],
    ['statut', f.status],
    ['secteur', f.sector],
    ['taille', f.size],
    ['ville', f.city],
    ['departement', f.department],
    ['etiquette', f.tags],
    ['cree_du', f.createdFrom],
    ['cree_au', f.createdTo],
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
    ['q', f.q],
    ['responsable', f.owner],
    ['etape', f.stages],
    ['etat', f.state],
    ['categorie', f.category],
    ['source', f.source],
    ['region', f.region],
    ['montant_min', centsParam(f.amountMin)],
    ['montant_max', centsParam(f.amountMax)],
    ['cloture_du', f.closeFrom],
    ['cloture_au', f.closeTo],
    ['cree_du', f.createdFrom],
    ['cree_au', f.createdTo],
    ...sortEntries(sort, 'creation', DEAL_SORTS),
  ])
  return { filters, sort, cursor, ignored: [...r.ignored], query }
}

// ---- Queries -------------------------------------------------------------------------

/** How a sort key is ordered and how its cursor value is cast back: the expressions match the indexes of migration 0005. */
export type SortSpec = { expr: RawBuilder<unknown>; id: RawBuilder<unknown>; cast: 'text' | 'timestamptz' | 'bigint' | 'date' }

export const ORG_SORT_SPECS: Record<OrganisationSortKey, SortSpec> = {
  // French dictionary order (migration 0010's index): "École" between "Eau" and "Ferme".
  nom: { expr: sql`organisations.name collate "fr-x-icu"`, id: sql`organisations.id`, cast: 'text' },
  creation: { expr: sql`organisations.created_at`, id: sql`organisations.id`, cast: 'timestamptz' },
}
export const DEAL_SORT_SPECS: Record<DealSortKey, SortSpec> = {
  creation: { expr: sql`deals.created_at`, id: sql`deals.id`, cast: 'timestamptz' },
  montant: { expr: sql`deals.amount_cents`, id: sql`deals.id`, cast: 'bigint' },
  cloture: { expr: sql`coalesce(deals.expected_close_date, 'infinity'::date)`, id: sql`deals.id`, cast: 'date' },
  intitule: { expr: sql`deals.title collate "fr-x-icu"`, id: sql`deals.id`, cast: 'text' },
}
