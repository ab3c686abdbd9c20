import type { DealCreated, DealDeleted, DealStageChanged, DealUpdated } from '../domain/crm/deal.js'
import { chTime, fromChTime, type ProjectedEvent } from './projected-event.js'

// deals_current: one row per deal, its state after its latest event. DealUpdated
// carries only the changed fields, so the row is a fold of the whole stream; the
// projector feeds it the previous row (see docs/decisions/0002). The fold is this
// read model's own, over its own columns: a field the domain adds later changes
// nothing here until analytics needs it.

export const DEALS_CURRENT_TABLE = 'deals_current'

export type DealCurrentRow = {
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
  source: string | null
  expected_close_date: string | null
  lost_reason: string | null
  /** Instants as ISO-8601 UTC strings. */
  created_at: string
  updated_at: string
  stage_changed_at: string
  closed_at: string | null
  closed: boolean
  won: boolean
  deleted: boolean
  deleted_at: string | null
  /** The deal stream's version: equal to deals.version in Postgres. */
  version: number
}

const FIELDS = ['title', 'organisation_id', 'amount_cents', 'expected_close_date', 'owner_id', 'category', 'source', 'region'] as const

/**
 * The deal row after one more event of its stream (null before creation). Event
 * types this read model does not know only move the version, which keeps the
 * "no gap between row and batch" check exact. Rows are copied field by field rather
 * than spread: V8's object spread was the projector's hottest path (docs/performance.md).
 *
 * @example foldDeal(null, dealCreatedEvent) // { deal_id, stage: 'PROSPECT', version: 1, … }
 */
export function foldDeal(row: DealCurrentRow | null, e: ProjectedEvent): DealCurrentRow | null {
  switch (e.type) {
    case 'DealCreated': {
      const d = e.data as DealCreated['data']
      const when = chTime(d.at)!
      return {
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
        source: d.source ?? null,
        expected_close_date: d.expected_close_date ?? null,
        lost_reason: null,
        created_at: when,
        updated_at: when,
        stage_changed_at: when,
        closed_at: null,
        closed: false,
        won: false,
        deleted: false,
        deleted_at: null,
        version: e.stream_version,
      }
    }
    case 'DealUpdated': {
      const d = e.data as DealUpdated['data']
      const next = copyDeal(need(row, e))
      const changes = d.changes as Record<string, unknown>
      for (const k of FIELDS) if (k in changes) (next as Record<string, unknown>)[k] = changes[k] ?? null
      next.updated_at = chTime(d.at)!
      next.version = e.stream_version
      return next
    }
    case 'DealStageChanged': {
      const d = e.data as DealStageChanged['data']
      const when = chTime(d.at)!
      const lostReason = d.lost_reason ?? null
      const next = copyDeal(need(row, e))
      next.stage = d.to
      next.probability = d.probability
      next.lost_reason = lostReason
      next.closed_at = d.closed ? when : null
      next.closed = d.closed
      // A lost stage requires a reason: closed without one is won.
      next.won = d.closed && !lostReason
      next.stage_changed_at = when
      next.updated_at = when
      next.version = e.stream_version
      return next
    }
    case 'DealDeleted': {
      const when = chTime((e.data as DealDeleted['data']).at)!
      const next = copyDeal(need(row, e))
      next.deleted = true
      next.deleted_at = when
      next.updated_at = when
      next.version = e.stream_version
      return next
    }
    default: {
      if (!row) return null
      const next = copyDeal(row)
      next.version = e.stream_version
      return next
    }
  }
}

function copyDeal(r: DealCurrentRow): DealCurrentRow {
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
    source: r.source,
    expected_close_date: r.expected_close_date,
    lost_reason: r.lost_reason,
    created_at: r.created_at,
    updated_at: r.updated_at,
    stage_changed_at: r.stage_changed_at,
    closed_at: r.closed_at,
    closed: r.closed,
    won: r.won,
    deleted: r.deleted,
    deleted_at: r.deleted_at,
    version: r.version,
  }
}

function need(row: DealCurrentRow | null, e: ProjectedEvent): DealCurrentRow {
  // Only a broken stream gets here: throwing holds the checkpoint and shows it in the log.
  if (!row) throw new Error(`Affaire ${e.stream_id} : ${e.type} (version ${e.stream_version}) sans création préalable`)
  return row
}

/** A row read back from ClickHouse (UInt/Int64 as numbers or strings, `YYYY-MM-DD hh:mm:ss.sss` instants). */
export function dealRowFromClickHouse(r: Record<string, unknown>): DealCurrentRow {
  const t = (v: unknown) => (v === null ? null : fromChTime(String(v))!.toISOString())
  const row = copyDeal(r as DealCurrentRow)
  row.probability = Number(r.probability)
  row.amount_cents = Number(r.amount_cents)
  row.version = Number(r.version)
  row.closed = Boolean(r.closed)
  row.won = Boolean(r.won)
  row.deleted = Boolean(r.deleted)
  row.created_at = t(r.created_at)!
  row.updated_at = t(r.updated_at)!
  row.stage_changed_at = t(r.stage_changed_at)!
  row.closed_at = t(r.closed_at)
  row.deleted_at = t(r.deleted_at)
  return row
}
