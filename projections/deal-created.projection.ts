import type { DealFactRow } from './deal-facts.projection.js'
import { dims } from './deal-rollups.js'
import { parisDay } from '../domain/shared/paris-time.js'
import type { ProjectedEvent } from './projected-event.js'

// deal_created: each deal filed under its Paris creation day, with the set of stages it
// entered and its current amount, owner, category and region — what the funnel counts.
// A funnel step is "reached this stage or a later one", which depends on the
// workspace's stage order, so the sets are kept per deal and the query decides; as a
// rollup by day and filter columns that was nearly one cell per deal, so it is a fact
// table keyed by (day, deal): the creation day never changes, a newer version of the
// deal replaces the row (ReplacingMergeTree(version, is_deleted)), a deleted deal is a
// tombstone. Rides on the deal-analytics fold.

export const DEAL_CREATED_TABLE = 'deal_created'

export type DealCreatedRow = {
  workspace_id: string
  created_day: string
  deal_id: string
  owner_id: string
  category: string
  region: string
  reached: string
  amount_cents: number
  version: number
  is_deleted: 0 | 1
}

const reachedSet = (r: DealFactRow) => [...r.reached].sort().join(',')

/**
 * The row an event writes: the deal as it now is, when anything the funnel reads
 * changed (or it was deleted); nothing otherwise.
 *
 * @example dealCreatedRows(null, created, dealCreatedEvent) // [{ created_day: '2026-03-02', reached: 'PROSPECT', … }]
 */
export function dealCreatedRows(before: DealFactRow | null, after: DealFactRow | null, _e: ProjectedEvent): DealCreatedRow[] {
  if (!after) return []
  if (
    before &&
    before.deleted === after.deleted &&
    before.amount_cents === after.amount_cents &&
    before.owner_id === after.owner_id &&
    before.category === after.category &&
    before.region === after.region &&
    before.reached.length === after.reached.length
  )
    return []
  const [owner, category, region] = dims(after)
  return [
    {
      workspace_id: after.workspace_id,
      created_day: parisDay(after.created_at),
      deal_id: after.deal_id,
      owner_id: owner,
      category,
      region,
      reached: reachedSet(after),
      amount_cents: after.amount_cents,
      version: after.version,
      is_deleted: after.deleted ? 1 : 0,
    },
  ]
}
