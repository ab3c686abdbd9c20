import type { DealCreated, DealStageChanged, DealUpdated } from '../domain/crm/deal.js'
import { chTime, fromChTime, type ProjectedEvent } from './projected-event.js'

// deal_facts: the analytics view of each deal, folded from its stream under its own
// checkpoint ('deal-analytics'), so the dashboards' tables are rebuilt apart from the
// pipeline's deals_current. Beyond the current state it keeps what a rollup needs and
// no single event carries: the amount at close and every stage the deal ever entered.
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
  version: number
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
      return {
        workspace_id: e.workspace_id, deal_id: e.stream_id, title: d.title, organisation_id: d.organisation_id,
        owner_id: d.owner_id ?? null, stage: d.stage, probability: d.probability, amount_cents: d.amount_cents,
        category: d.category ?? null, region: d.region ?? null, created_at: chTime(d.at)!, closed_at: null,
        won: false, lost: false, close_amount_cents: null, reached: [d.stage], deleted: false, version: e.stream_version,
      }
    }
    case 'DealUpdated': {
      const d = e.data as DealUpdated['data']
      const next = copy(need(row, e))
      const changes = d.changes as Record<string, unknown>
      for (const k of FIELDS) if (k in changes) (next as Record<string, unknown>)[k] = changes[k] ?? null
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
      next.version = e.stream_version
      return next
    }
    case 'DealDeleted': {
      const next = copy(need(row, e))
      next.deleted = true
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
    workspace_id: r.workspace_id, deal_id: r.deal_id, title: r.title, organisation_id: r.organisation_id, owner_id: r.owner_id,
    stage: r.stage, probability: r.probability, amount_cents: r.amount_cents, category: r.category, region: r.region,
    created_at: r.created_at, closed_at: r.closed_at, won: r.won, lost: r.lost, close_amount_cents: r.close_amount_cents,
    reached: r.reached, deleted: r.deleted, version: r.version,
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
  row.created_at = fromChTime(String(r.created_at))!.toISOString()
  row.closed_at = r.closed_at === null ? null : fromChTime(String(r.closed_at))!.toISOString()
  return row
}
