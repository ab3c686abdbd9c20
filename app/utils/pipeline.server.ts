import { sql, type ExpressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely'
import type { Database } from '../../db/schema'
import type { Stage } from '../../domain/crm/pipeline'
import { canWriteRecord } from '../../domain/identity/roles'
import type { Auth } from './auth.server'
import { isUuid } from './forms.server'
import { visibleTo } from './visibility.server'

// The pipeline board's reads: per column the SQL totals over every visible deal, and
// the most recently moved cards (migration 0006's deals_board_idx serves both).

/**
 * Cards a column shows at first; "+ N affaires" asks for this many more (a link, with or
 * without JavaScript). About what a column shows on a laptop screen: every card is
 * hydrated (drag handle, fetcher), and 20 per column kept a phone's main thread busy for
 * seconds (Lighthouse, docs/performance.md).
 */
export const CARDS_PER_PAGE = 10
/** The most one column shows: past that, the deals list (filtered on the stage) is the place. */
export const CARDS_MAX = 200

/** The URL parameter holding how many cards a column shows (`cartes_PROSPECT=40`). */
export const columnParam = (stage: string) => `cartes_${stage}`

/** How many cards each column shows: a multiple of CARDS_PER_PAGE between one page and CARDS_MAX. */
export function columnLimits(url: URL, stages: { code: string }[]): Record<string, number> {
  return Object.fromEntries(
    stages.map((s) => {
      const n = Number(url.searchParams.get(columnParam(s.code)))
      const pages = Number.isSafeInteger(n) && n > CARDS_PER_PAGE ? Math.ceil(n / CARDS_PER_PAGE) : 1
      return [s.code, Math.min(CARDS_MAX, pages * CARDS_PER_PAGE)]
    }),
  )
}

/** The columns grown past their first page, as query parameters (kept across moves and "+ N affaires"). */
export function limitsQuery(limits: Record<string, number>): [string, string][] {
  return Object.entries(limits)
    .filter(([, n]) => n > CARDS_PER_PAGE)
    .map(([code, n]) => [columnParam(code), String(n)])
}

export const CLOSED_PERIODS = ['30', '90', '365', 'tout'] as const
export type ClosedPeriod = (typeof CLOSED_PERIODS)[number]
/** Won and lost columns show the deals closed in the last 90 days unless asked otherwise. */
export const DEFAULT_CLOSED_PERIOD: ClosedPeriod = '90'

/**
 * `responsable`: a user id or `aucun` (unassigned); `equipe`: a team id; `clos`: how far
 * back the won and lost columns go (days, or `tout`).
 */
export type BoardFilters = {
  owner: string
  team: string
  period: ClosedPeriod
  /** The pipeline asked for (`pipeline`), '' for the default one. */ pipeline?: string
}

export function boardFiltersOf(url: URL): BoardFilters {
  const owner = url.searchParams.get('responsable') ?? ''
  const team = url.searchParams.get('equipe') ?? ''
  const period = url.searchParams.get('clos') as ClosedPeriod | null
  const pipeline = url.searchParams.get('pipeline') ?? ''
  return {
    pipeline: isUuid(pipeline) ? pipeline : '',
    owner: owner === 'aucun' || isUuid(owner) ? owner : '',
    team: isUuid(team) ? team : '',
    period: period && CLOSED_PERIODS.includes(period) ? period : DEFAULT_CLOSED_PERIOD,
  }
}

/** The start of the closed columns' window, or null for all time. */
export function closedSince(f: BoardFilters, now = new Date()): Date | null {
  return f.period === 'tout' ? null : new Date(now.getTime() - Number(f.period) * 86_400_000)
}

/** The same filters as a query string ('' when none), to keep them across a move. */
export function boardQuery(f: BoardFilters): string {
  const p = new URLSearchParams()
  if (f.pipeline) p.set('pipeline', f.pipeline)
  if (f.owner) p.set('responsable', f.owner)
  if (f.team) p.set('equipe', f.team)
  if (f.period !== DEFAULT_CLOSED_PERIOD) p.set('clos', f.period)
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** The board with these filters and grown columns (the no-JS move step and a move's redirect come back to it). */
export function boardHref(f: BoardFilters, limits: Record<string, number>): string {
  const p = new URLSearchParams(boardQuery(f).slice(1))
  for (const [k, v] of limitsQuery(limits)) p.set(k, v)
  const s = p.toString()
  return s ? `/pipeline?${s}` : '/pipeline'
}

/** "+ N affaires": the same board with one more page in this column, scrolled to the first new card. */
export function moreHref(f: BoardFilters, limits: Record<string, number>, stage: string): string {
  const shown = limits[stage] ?? CARDS_PER_PAGE
  return `${boardHref(f, { ...limits, [stage]: Math.min(CARDS_MAX, shown + CARDS_PER_PAGE) })}#cartes-${stage}-${shown}`
}

function filtered(auth: Auth, f: BoardFilters) {
  return (eb: ExpressionBuilder<Database, 'deals'>): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [visibleTo(auth.actor, 'deals')(eb)]
    if (f.owner === 'aucun') parts.push(eb('deals.owner_id', 'is', null))
    else if (f.owner) parts.push(eb('deals.owner_id', '=', f.owner))
    if (f.team) {
      parts.push(
        eb(
          'deals.owner_id',
          'in',
          eb.selectFrom('users').select('users.id').where('users.workspace_id', '=', auth.user.workspaceId).where('users.team_id', '=', f.team),
        ),
      )
    }
    return eb.and(parts)
  }
}

export type ColumnTotals = { count: number; amountCents: number; weightedCents: number }

/**
 * Count, amount and probability-weighted amount per stage, over every deal this user
 * may see (not only the cards shown) — for won and lost stages, those closed within the
 * period. Weighted = Σ amount × the stage's configured probability / 100, rounded once per column.
 * Read from rollups kept by triggers: open stages from deal_stage_totals (migration 0017),
 * closed ones from deal_board_totals (0016) from the day after `since`, plus the deals of
 * `since`'s own day read from deals_board_idx.
 */
export async function boardTotals(auth: Auth, stages: Stage[], f: BoardFilters): Promise<Record<string, ColumnTotals>> {
  const [open, closed] = await Promise.all([
    boardTotalsQuery(
      auth,
      stages.filter((s) => s.kind === 'open').map((s) => s.code),
      f,
      null,
    ).execute(),
    boardTotalsQuery(
      auth,
      stages.filter((s) => s.kind !== 'open').map((s) => s.code),
      f,
      closedSince(f, auth.now()),
    ).execute(),
  ])
  // An open column weighs by its configured probability (an admin may have changed it since
  // the deals got there): the same for every deal of the column, so Σ amount × p / 100 is
  // exact from the column's amount, rounded half up once as before.
  const probability = new Map(stages.filter((s) => s.kind === 'open').map((s) => [s.code, s.probability]))
  return Object.fromEntries(
    [...open, ...closed].map((r) => {
      const amountCents = Number(r.amount)
      const p = probability.get(r.stage)
      const weightedCents = p === undefined ? Number(r.weighted) : Math.floor((amountCents * p + 50) / 100)
      return [r.stage, { count: Number(r.count), amountCents, weightedCents }]
    }),
  )
}

// The rollups kept by triggers (not part of the domain schema: nothing writes them by hand).
type StageTotalsTable = { workspace_id: string; stage: string; owner_id: string | null; shared: boolean; deals: number; amount_cents: number; weighted: string }
type WithBoardTotals = Database & { deal_stage_totals: StageTotalsTable; deal_board_totals: StageTotalsTable & { day: string } }

/** One totals query (these stages, changed since `since` if given), unexecuted: benchmarks EXPLAIN it. */
export function boardTotalsQuery(auth: Auth, codes: string[], f: BoardFilters, since: Date | null) {
  const db = auth.tenant.db as unknown as Kysely<WithBoardTotals>
  const stages = codes.length ? codes : ['']
  // Aliased `deals`: the role and owner filters read deals.owner_id and deals.shared, which the rollups key on.
  const byRole = filtered(auth, f) as unknown as (eb: ExpressionBuilder<WithBoardTotals, 'deals'>) => Expression<SqlBool>
  // A whole column: per (stage, owner, shared), no day (migration 0017); a window: per day (0016).
  let rolled = db
    .selectFrom((since ? 'deal_board_totals as deals' : 'deal_stage_totals as deals') as 'deal_stage_totals as deals')
    .select(['deals.stage', 'deals.deals as n', 'deals.amount_cents as amount', sql<string>`deals.weighted`.as('weighted')])
    .where('deals.workspace_id', '=', auth.user.workspaceId)
    .where('deals.stage', 'in', stages)
    .where(byRole)
  let parts = rolled
  if (since) {
    const next = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate() + 1))
    rolled = rolled.where(sql.ref('deals.day'), '>', since.toISOString().slice(0, 10))
    const edge = auth.tenant
      .selectFrom('deals')
      .select([
        'deals.stage',
        sql<number>`1`.as('n'),
        'deals.amount_cents as amount',
        sql<string>`deals.amount_cents::numeric * deals.probability`.as('weighted'),
      ])
      .where('deals.stage', 'in', stages)
      .where('deals.deleted_at', 'is', null)
      .where(filtered(auth, f))
      .where('deals.stage_changed_at', '>=', since)
      .where('deals.stage_changed_at', '<', next)
    parts = rolled.unionAll(edge as unknown as typeof rolled)
  }
  return db
    .selectFrom(parts.as('t'))
    .select([
      't.stage',
      sql<number>`coalesce(sum(t.n), 0)::int`.as('count'),
      sql<number>`coalesce(sum(t.amount), 0)::bigint`.as('amount'),
      sql<number>`coalesce(round(sum(t.weighted) / 100), 0)::bigint`.as('weighted'),
    ])
    .groupBy('t.stage')
}

export type BoardCard = {
  id: string
  title: string
  stage: string
  version: number
  amount_cents: number
  probability: number
  expected_close_date: string | null
  organisation_name: string
  owner_name: string | null
  /** An accepted (signed) quote is attached: moving to or out of a won stage says so. */
  signed_quote: boolean
  canWrite: boolean
}

/**
 * Each column's most recently moved deals (closed ones within the period), as many as
 * `limits` says for it (CARDS_PER_PAGE by default), in parallel. Only what a card shows
 * goes to the page: the board's hydration data stays small.
 */
export async function boardCards(auth: Auth, stages: Stage[], f: BoardFilters, limits: Record<string, number> = {}): Promise<Record<string, BoardCard[]>> {
  const since = closedSince(f, auth.now())
  const columns = await Promise.all(
    stages.map((s) => boardColumnQuery(auth, s.code, f, limits[s.code] ?? CARDS_PER_PAGE, s.kind === 'open' ? null : since).execute()),
  )
  return Object.fromEntries(
    stages.map((s, i) => [
      s.code,
      columns[i].map(({ owner_team_id, owner_id, signed_quote, ...d }) => ({
        ...d,
        signed_quote: !!signed_quote,
        canWrite: canWriteRecord(auth.actor, { owner_id, ownerTeamId: owner_team_id }),
      })),
    ]),
  )
}

/** Whether this deal has an accepted (signed) quote. */
export function signedQuoteOf(eb: ExpressionBuilder<Database, 'deals'>) {
  return eb.exists(
    eb
      .selectFrom('quotes')
      .select(sql`1`.as('one'))
      .whereRef('quotes.workspace_id', '=', 'deals.workspace_id')
      .whereRef('quotes.deal_id', '=', 'deals.id')
      .where('quotes.status', '=', 'accepte'),
  )
}

/** One column's cards query, unexecuted. */
export function boardColumnQuery(auth: Auth, stage: string, f: BoardFilters, limit = CARDS_PER_PAGE, since: Date | null = null) {
  let q = auth.tenant
    .selectFrom('deals')
    .innerJoin('organisations', (j) => j.onRef('organisations.id', '=', 'deals.organisation_id').onRef('organisations.workspace_id', '=', 'deals.workspace_id'))
    .leftJoin('users as owner', 'owner.id', 'deals.owner_id')
    .select([
      'deals.id',
      'deals.title',
      'deals.stage',
      'deals.version',
      'deals.amount_cents',
      'deals.probability',
      'deals.expected_close_date',
      'deals.owner_id',
      'organisations.name as organisation_name',
      'owner.full_name as owner_name',
      'owner.team_id as owner_team_id',
      (eb) => signedQuoteOf(eb).as('signed_quote'),
    ])
    .where('deals.stage', '=', stage)
    .where('deals.deleted_at', 'is', null)
    .where(filtered(auth, f))
    .orderBy('deals.stage_changed_at', 'desc')
    .orderBy('deals.id')
    .limit(limit)
  if (since) q = q.where('deals.stage_changed_at', '>=', since)
  return q
}

/** Who the owner filter offers: the people whose deals this user may see. */
export async function boardOwnerOptions(auth: Auth) {
  let q = auth.tenant
    .selectFrom('users')
    .select(['users.id', 'users.full_name as name', 'users.team_id'])
    .where('users.active', '=', true)
    .where('users.role', '!=', 'finance')
    .orderBy('users.full_name')
  const a = auth.actor
  if (a.role === 'commercial') q = q.where('users.id', '=', a.id)
  else if (a.role === 'manager')
    q = a.teamId ? q.where((eb) => eb.or([eb('users.id', '=', a.id), eb('users.team_id', '=', a.teamId)])) : q.where('users.id', '=', a.id)
  const [owners, teams] = await Promise.all([
    q.execute(),
    a.role === 'admin' || a.role === 'finance'
      ? auth.tenant.selectFrom('teams').select(['teams.id', 'teams.name']).orderBy('teams.name').execute()
      : a.teamId
        ? auth.tenant.selectFrom('teams').select(['teams.id', 'teams.name']).where('teams.id', '=', a.teamId).execute()
        : Promise.resolve([]),
  ])
  return { owners: owners.map(({ id, name }) => ({ id, name })), teams }
}

/** Whether the deal has an accepted (signed) quote: moving it to or out of a won stage says so. */
export async function hasSignedQuote(auth: Auth, dealId: string): Promise<boolean> {
  const row = await auth.tenant
    .selectFrom('quotes')
    .select('quotes.id')
    .where('quotes.deal_id', '=', dealId)
    .where('quotes.status', '=', 'accepte')
    .limit(1)
    .executeTakeFirst()
  return !!row
}

/**
 * The reason a stage change out of a won stage records (the board's move step and the
 * deal page's stage form ask the same): the one typed, or — for a signed deal marked
 * lost — the loss's reason. `missing` when the move needs one and none was given.
 */
export function reopenReasonFor(stages: Stage[], from: string, to: string, typed: { reopen: string; lost: string }): { reason: string; missing: boolean } {
  const target = stages.find((s) => s.code === to)
  const current = stages.find((s) => s.code === from)
  const reason = typed.reopen || (target?.kind === 'lost' ? typed.lost : '')
  return { reason, missing: current?.kind === 'won' && to !== from && !!target && !reason }
}

/** The pipeline a board or a figure is for: `?pipeline=<id>` if it is one of the workspace's, else the first. */
export function chosenPipeline<P extends { id: string }>(pipelines: P[], url: URL): P | undefined {
  const asked = url.searchParams.get('pipeline')
  return pipelines.find((p) => p.id === asked) ?? pipelines[0]
}
