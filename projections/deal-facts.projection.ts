import type { DealCreated, DealStageChanged, DealUpdated } from '../domain/crm/deal.js'
import { parisDay } from '../domain/shared/paris-time.js'
import { chTime, fromChTime, type ProjectedEvent } from './projected-event.js'

// deal_facts: the analytics view of each deal, folded from its stream under its own
// checkpoint ('deal-analytics'), so the dashboards' tables are rebuilt apart from the
// pipeline's deals_current. Beyond the current state it keeps what a rollup needs and
// no single event carries: the amount at close and every stage the deal ever entered.
//
// It also keeps the deal's open-pipeline history, for "the pipeline as it stood at the
// end of a day" (the previous period of the open-pipeline KPIs): one point per Paris day
// on which what the deal counts for changed, with its value at the end of that day.
//
// Won and lost follow deals_current: a closing stage change with a lost reason is a
// loss (a lost stage requires one), without one a win. A reopened deal is neither.

export const DEAL_FACTS_TABLE = 'deal_facts'

export type DealFactRow = {
  workspace_id: string
  deal_id: string
  title: string
  organisation_id: string
  owner_id: string | null
  stage: string
  probability: number
  amount_cents: number
  category: string | null
  region: string | null
  /** Instants as ISO-8601 UTC strings. */
  created_at: string
  closed_at: string | null
  won: boolean
  lost: boolean
  /** The amount the closing stage change carried (revenue of a won deal); null while open. */
  close_amount_cents: number | null
  /** Stage codes entered at least once, in the order first entered (creation stage first). */
  reached: string[]
  deleted: boolean
  /** See OpenPoint: oldest first, one per day, each differing from the one before. */
  open_history: OpenPoint[]
  version: number
}

/**
 * What a deal counts for in the open pipeline at the end of a Paris day from which it
 * holds: [day 'YYYY-MM-DD', open deals (1 or 0), amount in cents, amount × probability].
 * A closed or deleted deal is [day, 0, 0, 0]. Days follow the events' `at`, never going
 * back: an event dated before the previous one of the stream takes that one's day.
 */
export type OpenPoint = [day: string, deals: number, cents: number, weightedX100: number]

/** The deal's open-pipeline value after an event dated `at`, appended to (or replacing the same day's point of) its history. */
function withOpenPoint(history: OpenPoint[], r: DealFactRow, at: string): OpenPoint[] {
  const open = !r.deleted && !r.closed_at
  const last = history[history.length - 1]
  const day = last && last[0] > parisDay(at) ? last[0] : parisDay(at)
  const point: OpenPoint = open ? [day, 1, r.amount_cents, r.amount_cents * r.probability] : [day, 0, 0, 0]
  const before = last && last[0] === day ? history[history.length - 2] : last
  const same = (a: OpenPoint | undefined) =>
    a ? a[1] === point[1] && a[2] === point[2] && a[3] === point[3] : point[1] === 0 && point[2] === 0 && point[3] === 0
  const kept = last && last[0] === day ? history.slice(0, -1) : history
  // Back to the value of the point before: that day's change cancels out.
  return same(before) ? kept : [...kept, point]
}

const FIELDS = ['title', 'organisation_id', 'amount_cents', 'owner_id', 'category', 'region'] as const

/**
 * The deal's analytics row after one more event of its stream (null before creation).
 * Unknown event types only move the version. Copies, never spreads (see foldDeal).
 *
 * @example foldDealFacts(null, dealCreatedEvent) // { stage: 'PROSPECT', reached: ['PROSPECT'], won: false, … }
 */
export function foldDealFacts(row: DealFactRow | null, e: ProjectedEvent): DealFactRow | null {
  switch (e.type) {
    case 'DealCreated': {
      const d = e.data as DealCreated['data']
      const created: DealFactRow = {
        workspace_id: e.workspace_id,
        deal_id: e.stream_id,
        title: d.title,
        organisation_id: d.organisation_id,
        owner_id: d.owner_id ?? null,
        stage: d.stage,
        probability: d.probability,
        amount_cents: d.amount_cents,
        category: d.category ?? null,
        region: d.region ?? null,
        created_at: chTime(d.at)!,
        closed_at: null,
        won: false,
        lost: false,
        close_amount_cents: null,
        reached: [d.stage],
        deleted: false,
        open_history: [],
        version: e.stream_version,
      }
      created.open_history = withOpenPoint([], created, d.at)
      return created
    }
    case 'DealUpdated': {
      const d = e.data as DealUpdated['data']
      const next = copy(need(row, e))
      const changes = d.changes as Record<string, unknown>
      for (const k of FIELDS) if (k in changes) (next as Record<string, unknown>)[k] = changes[k] ?? null
      next.open_history = withOpenPoint(next.open_history, next, d.at)
      next.version = e.stream_version
      return next
    }
    case 'DealStageChanged': {
      const d = e.data as DealStageChanged['data']
      const next = copy(need(row, e))
      const lostReason = d.lost_reason ?? null
      next.stage = d.to
      next.probability = d.probability
      next.closed_at = d.closed ? chTime(d.at) : null
      next.won = d.closed && !lostReason
      next.lost = d.closed && !!lostReason
      next.close_amount_cents = d.closed ? d.amount_cents : null
      if (!next.reached.includes(d.to)) next.reached = [...next.reached, d.to]
      next.open_history = withOpenPoint(next.open_history, next, d.at)
      next.version = e.stream_version
      return next
    }
    case 'DealDeleted': {
      const next = copy(need(row, e))
      next.deleted = true
      next.open_history = withOpenPoint(next.open_history, next, (e.data as { at: string }).at)
      next.version = e.stream_version
      return next
    }
    default: {
      if (!row) return null
      const next = copy(row)
      next.version = e.stream_version
      return next
    }
  }
}

function copy(r: DealFactRow): DealFactRow {
  return {
    workspace_id: r.workspace_id,
    deal_id: r.deal_id,
    title: r.title,
    organisation_id: r.organisation_id,
    owner_id: r.owner_id,
    stage: r.stage,
    probability: r.probability,
    amount_cents: r.amount_cents,
    category: r.category,
    region: r.region,
    created_at: r.created_at,
    closed_at: r.closed_at,
    won: r.won,
    lost: r.lost,
    close_amount_cents: r.close_amount_cents,
    reached: r.reached,
    deleted: r.deleted,
    open_history: r.open_history,
    version: r.version,
  }
}

function need(row: DealFactRow | null, e: ProjectedEvent): DealFactRow {
  if (!row) throw new Error(`Affaire ${e.stream_id} : ${e.type} (version ${e.stream_version}) sans création préalable`)
  return row
}

/** A row read back from ClickHouse (Int64 as numbers or strings, `YYYY-MM-DD hh:mm:ss.sss` instants). */
export function dealFactFromClickHouse(r: Record<string, unknown>): DealFactRow {
  const row = copy(r as DealFactRow)
  row.probability = Number(r.probability)
  row.amount_cents = Number(r.amount_cents)
  row.close_amount_cents = r.close_amount_cents === null ? null : Number(r.close_amount_cents)
  row.version = Number(r.version)
  row.won = Boolean(r.won)
  row.lost = Boolean(r.lost)
  row.deleted = Boolean(r.deleted)
  row.reached = [...(r.reached as string[])]
  // Empty on a row written before migration 010 (a deal-analytics rebuild fills it).
  row.open_history = ((r.open_history as unknown[][] | undefined) ?? []).map((p) => [String(p[0]), Number(p[1]), Number(p[2]), Number(p[3])])
  row.created_at = fromChTime(String(r.created_at))!.toISOString()
  row.closed_at = r.closed_at === null ? null : fromChTime(String(r.closed_at))!.toISOString()
  return row
}
