import type { DealCreated, DealDeleted, DealFields, DealStageChanged, DealUpdated } from '../domain/crm/deal.js'
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

function pickFields(d: Partial<DealFields>): Partial<Pick<DealCurrentRow, (typeof FIELDS)[number]>> {
  const out: Record<string, unknown> = {}
  for (const k of FIELDS) if (k in d) out[k] = d[k] ?? null
  return out
}

/**
 * The deal row after one more event of its stream (null before creation). Event
 * types this read model does not know only move the version, which keeps the
 * "no gap between row and batch" check exact.
 *
 * @example foldDeal(null, dealCreatedEvent) // { deal_id, stage: 'PROSPECT', version: 1, … }
 */
export function foldDeal(row: DealCurrentRow | null, e: ProjectedEvent): DealCurrentRow | null {
  switch (e.type) {
    case 'DealCreated': {
      const d = e.data as DealCreated['data']
      const when = chTime(d.at)!
      return {
        workspace_id: e.workspace_id, deal_id: e.stream_id,
        title: d.title, organisation_id: d.organisation_id, owner_id: d.owner_id ?? null,
        stage: d.stage, probability: d.probability, amount_cents: d.amount_cents,
        category: d.category ?? null, region: d.region ?? null, source: d.source ?? null,
        expected_close_date: d.expected_close_date ?? null, lost_reason: null,
        created_at: when, updated_at: when, stage_changed_at: when, closed_at: null,
        closed: false, won: false, deleted: false, deleted_at: null, version: e.stream_version,
      }
    }
    case 'DealUpdated': {
      const d = e.data as DealUpdated['data']
      return { ...need(row, e), ...pickFields(d.changes), updated_at: chTime(d.at)!, version: e.stream_version }
    }
    case 'DealStageChanged': {
      const d = e.data as DealStageChanged['data']
      const when = chTime(d.at)!
      const lostReason = d.lost_reason ?? null
      return {
        ...need(row, e), stage: d.to, probability: d.probability, lost_reason: lostReason,
        closed_at: d.closed ? when : null, closed: d.closed,
        // A lost stage requires a reason: closed without one is won.
        won: d.closed && !lostReason,
        stage_changed_at: when, updated_at: when, version: e.stream_version,
      }
    }
    case 'DealDeleted': {
      const when = chTime((e.data as DealDeleted['data']).at)!
      return { ...need(row, e), deleted: true, deleted_at: when, updated_at: when, version: e.stream_version }
    }
    default:
      return row && { ...row, version: e.stream_version }
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
  return {
    ...(r as DealCurrentRow),
    probability: Number(r.probability),
    amount_cents: Number(r.amount_cents),
    version: Number(r.version),
    closed: Boolean(r.closed),
    won: Boolean(r.won),
    deleted: Boolean(r.deleted),
    created_at: t(r.created_at)!,
    updated_at: t(r.updated_at)!,
    stage_changed_at: t(r.stage_changed_at)!,
    closed_at: t(r.closed_at),
    deleted_at: t(r.deleted_at),
  }
}
