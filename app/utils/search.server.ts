import { sql, type RawBuilder } from 'kysely'
import { toE164 } from '../../domain/crm/contact-points'
import { normaliseDigits } from '../../domain/crm/french-ids'
import type { Auth } from './auth.server'
import { visibleTo } from './visibility.server'

// Accent- and typo-tolerant search. Every condition is written on the exact indexed
// expressions (f_unaccent(lower(col)), and its 'simple' tsvector) so Postgres ORs bitmap
// scans of those indexes:
//   col like '%q%'   plain substring, accents and case folded (trigram GIN, migration 0003)
//   tsvector @@ fuzzy  every word of 4+ letters of the query, as typed (a prefix, unless it
//             is a known word) or as one of the closest words the workspace uses
//             (search_words, migration 0015):
//             "Bouyges" finds "Bouygues Construction", "Lefevre Helene" finds "Hélène
//             Lefèvre" (any order), "constrution" finds "construction".
// The correction runs on the workspace's distinct words (about a thousand for the demo
// workspace of a million deals; tens of thousands at most), not on the
// records: word similarity straight on a million deal titles (`col %> q`) read the
// trigram posting lists of ~15,000 candidates, 100–300 ms (docs/decisions/0012).
// Ranking: names starting with the query, then a word starting with it, then similarity.
// A common word ("maintenance" among a million deal titles) matches tens of thousands of
// rows: the first SEARCH_CANDIDATES matches the index yields are ranked, not all of them
// (the LIMIT in the subquery stops the heap scan early; ranking 50,000 rows took a second).

export const SEARCH_MIN_LENGTH = 2
export const SEARCH_MAX_LENGTH = 100
const SEARCH_CANDIDATES = 300
// Known words tried for each word of the query (besides the word itself as a prefix).
const FUZZY_ALTERNATIVES = 5
const FUZZY_MIN_WORD = 4

/** The query as typed, trimmed, spaces collapsed, capped. */
export const normaliseQuery = (q: string | null | undefined) => (q ?? '').replace(/\s+/g, ' ').trim().slice(0, SEARCH_MAX_LENGTH)

const escapeLike = (s: string) => s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)

type Matcher = {
  where: RawBuilder<boolean>
  /** 0 when `n` (the folded text) starts with the query, 1 when one of its words does, else 2. */
  rank: (n: RawBuilder<string>) => RawBuilder<number>
  score: (n: RawBuilder<string>) => RawBuilder<number>
}

/**
 * The full-text query of the typo-tolerant part: each word of FUZZY_MIN_WORD+ letters of
 * `q`, as itself (a prefix if this workspace does not use that word) or one of its
 * closest known words in this workspace; null when `q`
 * has no such word. One small query, shared by the three groups of a search.
 * fuzzyQuery(auth, 'Bouyges constrution') → "(bouyges:* | bouygues) & (constrution:* | construction | constructions)"
 */
export async function fuzzyQuery(auth: Auth, q: string): Promise<string | null> {
  if (normaliseQuery(q).length < 3) return null
  const { rows } = await sql<{ word: string; known: boolean; alternatives: string[] }>`
    select t.lexeme as word,
    exists (select 1 from search_words w where w.workspace_id = ${auth.user.workspaceId} and w.word = t.lexeme) as known,
    array(
      select w.word from search_words w
      where w.workspace_id = ${auth.user.workspaceId} and w.word % t.lexeme and w.word <> t.lexeme
      order by similarity(w.word, t.lexeme) desc, w.word limit ${FUZZY_ALTERNATIVES}
    ) as alternatives
    from unnest(to_tsvector('simple', f_unaccent(lower(${normaliseQuery(q)})))) t
    where length(t.lexeme) >= ${FUZZY_MIN_WORD}`.execute(auth.tenant.db)
  // Only plain words go into the tsquery text (no operator or quote can slip in).
  const plain = (w: string) => /^[a-z0-9]+$/.test(w)
  // A word the workspace uses is matched as itself: as a prefix, "saint" would also read
  // the postings of every "sainte…" and "saint-…" among a million titles.
  const groups = rows.filter((r) => plain(r.word)).map((r) => `(${[r.known ? r.word : `${r.word}:*`, ...r.alternatives.filter(plain)].join(' | ')})`)
  return groups.length ? groups.join(' & ') : null
}

/** The WHERE on one indexed text expression, and the ranking of the folded text it yields. */
function matcher(col: RawBuilder<string>, q: string, fuzzy: string | null): Matcher {
  const term = sql<string>`f_unaccent(lower(${q}))`
  const prefix = sql<string>`f_unaccent(${`${escapeLike(q)}%`})`
  const wordPrefix = sql<string>`f_unaccent(${`% ${escapeLike(q)}%`})`
  const substring = sql<boolean>`${col} like ${sql<string>`f_unaccent(${`%${escapeLike(q)}%`})`}`
  // Under three characters a trigram comparison means nothing: prefixes only.
  const where =
    q.length < 3
      ? sql<boolean>`(${col} like ${prefix} or ${col} like ${wordPrefix})`
      : fuzzy
        ? sql<boolean>`(${substring} or to_tsvector('simple', ${col}) @@ to_tsquery('simple', ${fuzzy}))`
        : substring
  return {
    where,
    rank: (n) => sql<number>`(case when ${n} like ${prefix} then 0 when ${n} like ${wordPrefix} then 1 else 2 end)`,
    score: (n) => sql<number>`greatest(word_similarity(${term}, ${n}), similarity(${n}, ${term}))`,
  }
}

const HIT_N = sql.ref<string>('hit.n')

export type OrganisationHit = { id: string; name: string; city: string | null; siren: string | null; status: string }
export type ContactHit = {
  id: string
  first_name: string
  last_name: string
  job_title: string | null
  emails: string[]
  phones: string[]
  organisation_name: string | null
}
export type DealHit = { id: string; title: string; stage: string; amount_cents: number; organisation_name: string }
export type SearchResults = { q: string; organisations: OrganisationHit[]; contacts: ContactHit[]; deals: DealHit[] }

/** SIREN (9 digits) or SIRET (14 digits) typed with or without spaces. */
function frenchIdOf(q: string): { siren: string; siret?: string } | null {
  if (!/^[\d\s.]+$/.test(q)) return null
  const digits = normaliseDigits(q)
  if (digits.length === 9) return { siren: digits }
  if (digits.length === 14) return { siren: digits.slice(0, 9), siret: digits }
  return null
}

/** Organisations by name (typo-tolerant) or SIREN/SIRET, visible to this user. */
export async function searchOrganisations(auth: Auth, q: string, limit = 10, fuzzy?: string | null): Promise<OrganisationHit[]> {
  q = normaliseQuery(q)
  if (q.length < SEARCH_MIN_LENGTH) return []
  return organisationsQuery(auth, q, limit, fuzzy === undefined ? await fuzzyQuery(auth, q) : fuzzy).execute()
}

/** The query of searchOrganisations, unexecuted (benchmarks EXPLAIN it); `fuzzy` from fuzzyQuery. */
export function organisationsQuery(auth: Auth, q: string, limit: number, fuzzy: string | null) {
  const id = frenchIdOf(q)
  const base = auth.tenant
    .selectFrom('organisations')
    .select(['organisations.id', 'organisations.name', 'organisations.city', 'organisations.siren', 'organisations.status'])
    .where('organisations.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'organisations'))
  if (id) {
    // The (workspace_id, siren) index; a SIRET narrows to that establishment's company.
    let byId = base.where('organisations.siren', '=', id.siren)
    if (id.siret) byId = byId.where('organisations.siret', '=', id.siret)
    return byId.orderBy('organisations.name').limit(limit)
  }
  const col = sql<string>`f_unaccent(lower(organisations.name))`
  const m = matcher(col, q, fuzzy)
  const candidates = base.select(col.as('n')).where(m.where).limit(SEARCH_CANDIDATES)
  return auth.tenant.db
    .selectFrom(candidates.as('hit'))
    .select(['hit.id', 'hit.name', 'hit.city', 'hit.siren', 'hit.status'])
    .orderBy(m.rank(HIT_N))
    .orderBy(m.score(HIT_N), 'desc')
    .orderBy('hit.name')
    .orderBy('hit.id')
    .limit(limit)
}

/** Contacts by name (typo-tolerant, either order), exact e-mail, or phone in any format. */
export async function searchContacts(auth: Auth, q: string, limit = 10, fuzzy?: string | null): Promise<ContactHit[]> {
  q = normaliseQuery(q)
  if (q.length < SEARCH_MIN_LENGTH) return []
  return contactsQuery(auth, q, limit, fuzzy === undefined ? await fuzzyQuery(auth, q) : fuzzy).execute()
}

export function contactsQuery(auth: Auth, q: string, limit: number, fuzzy: string | null) {
  const base = auth.tenant
    .selectFrom('contacts')
    .select([
      'contacts.id',
      'contacts.first_name',
      'contacts.last_name',
      'contacts.job_title',
      'contacts.emails',
      'contacts.phones',
      'contacts.organisation_id',
    ])
    .where('contacts.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'contacts'))
  const col = sql<string>`f_unaccent(lower(contacts.first_name || ' ' || contacts.last_name))`
  const phone = /^[+(]?\d[\d\s.()/-]{5,}$/.test(q) ? toE164(q) : null
  const m = matcher(col, q, fuzzy)
  // Phone (GIN on the E.164 array) and e-mail are exact: few rows, no ranking needed.
  const candidates = (
    phone
      ? base.where(sql<boolean>`contacts.phones @> array[${phone}]::text[]`)
      : q.includes('@')
        ? base.where(sql<boolean>`contacts.emails @> array[${q.toLowerCase()}]::text[]`)
        : base.where(m.where)
  )
    .select(col.as('n'))
    .limit(SEARCH_CANDIDATES)
  return auth.tenant.db
    .selectFrom(candidates.as('hit'))
    .leftJoin('organisations', (j) => j.onRef('organisations.id', '=', 'hit.organisation_id').on('organisations.workspace_id', '=', auth.user.workspaceId))
    .select(['hit.id', 'hit.first_name', 'hit.last_name', 'hit.job_title', 'hit.emails', 'hit.phones', 'organisations.name as organisation_name'])
    .orderBy(m.rank(HIT_N))
    .orderBy(m.score(HIT_N), 'desc')
    .orderBy('hit.last_name')
    .orderBy('hit.id')
    .limit(limit)
}

/** Deals by title (typo-tolerant), visible to this user. */
export async function searchDeals(auth: Auth, q: string, limit = 10, fuzzy?: string | null): Promise<DealHit[]> {
  q = normaliseQuery(q)
  if (q.length < SEARCH_MIN_LENGTH) return []
  return dealsQuery(auth, q, limit, fuzzy === undefined ? await fuzzyQuery(auth, q) : fuzzy).execute()
}

export function dealsQuery(auth: Auth, q: string, limit: number, fuzzy: string | null) {
  const col = sql<string>`f_unaccent(lower(deals.title))`
  const m = matcher(col, q, fuzzy)
  const candidates = auth.tenant
    .selectFrom('deals')
    .select(['deals.id', 'deals.title', 'deals.stage', 'deals.amount_cents', 'deals.organisation_id', col.as('n')])
    .where('deals.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'deals'))
    .where(m.where)
    .limit(SEARCH_CANDIDATES)
  return auth.tenant.db
    .selectFrom(candidates.as('hit'))
    .innerJoin('organisations', (j) => j.onRef('organisations.id', '=', 'hit.organisation_id').on('organisations.workspace_id', '=', auth.user.workspaceId))
    .select(['hit.id', 'hit.title', 'hit.stage', 'hit.amount_cents', 'organisations.name as organisation_name'])
    .orderBy(m.rank(HIT_N))
    .orderBy(m.score(HIT_N), 'desc')
    .orderBy('hit.title')
    .orderBy('hit.id')
    .limit(limit)
}

/** The three groups at once, each capped at `limit`. */
export async function searchAll(auth: Auth, q: string, limit = 10): Promise<SearchResults> {
  q = normaliseQuery(q)
  const fuzzy = q.length >= SEARCH_MIN_LENGTH ? await fuzzyQuery(auth, q) : null
  const [organisations, contacts, deals] = await Promise.all([
    searchOrganisations(auth, q, limit, fuzzy),
    searchContacts(auth, q, limit, fuzzy),
    searchDeals(auth, q, limit, fuzzy),
  ])
  return { q, organisations, contacts, deals }
}
