import type { ContractEvent } from '../domain/contracts/contract.js'
import { foldMrr, timelineOf, type MrrFold } from '../domain/contracts/mrr.js'
import type { ProjectedEvent } from './projected-event.js'

// contract_mrr: the recurring-revenue read model, one row per contract folded from its
// stream by the same fold as the Postgres replay (domain/contracts/mrr.ts), so the two
// cannot drift apart in their rules; the MRR bridge is then computed in ClickHouse
// (projections/queries/recurring-revenue.ts) and proven equal to the replay in tests.

export const CONTRACT_MRR_TABLE = 'contract_mrr'

export type ContractMrrRow = {
  workspace_id: string
  contract_id: string
  organisation_id: string
  owner_id: string | null
  type: string
  first_day: string | null
  last_day: string | null
  change_days: string[]
  change_cents: number[]
  term_end_days: string[]
  term_outcomes: string[]
  /** The MrrFold as JSON: what the next event of the stream folds from. */
  fold: string
  version: number
}

/** The row after one more event of the contract's stream; unknown events only move the version. */
export function foldContractMrr(row: ContractMrrRow | null, e: ProjectedEvent): ContractMrrRow | null {
  const before = row ? (JSON.parse(row.fold) as MrrFold) : null
  const s = foldMrr(before, { type: e.type, data: e.data } as ContractEvent)
  if (!s) return null
  const t = timelineOf(s)
  return {
    workspace_id: e.workspace_id,
    contract_id: e.stream_id,
    organisation_id: t.organisationId,
    owner_id: t.ownerId,
    type: t.type,
    first_day: t.firstDay,
    last_day: t.lastDay,
    change_days: t.changes.map((c) => c.from),
    change_cents: t.changes.map((c) => c.cents),
    term_end_days: t.termEnds.map((x) => x.day),
    term_outcomes: t.termEnds.map((x) => x.outcome),
    fold: JSON.stringify(s),
    version: e.stream_version,
  }
}

/** A row as ClickHouse returns it (Int64 as strings or numbers) back into a ContractMrrRow. */
export function contractMrrFromClickHouse(raw: Record<string, unknown>): ContractMrrRow {
  return {
    workspace_id: String(raw.workspace_id),
    contract_id: String(raw.contract_id),
    organisation_id: String(raw.organisation_id),
    owner_id: (raw.owner_id as string | null) ?? null,
    type: String(raw.type),
    first_day: (raw.first_day as string | null) ?? null,
    last_day: (raw.last_day as string | null) ?? null,
    change_days: (raw.change_days as string[]) ?? [],
    change_cents: ((raw.change_cents as (string | number)[]) ?? []).map(Number),
    term_end_days: (raw.term_end_days as string[]) ?? [],
    term_outcomes: (raw.term_outcomes as string[]) ?? [],
    fold: String(raw.fold),
    version: Number(raw.version),
  }
}
