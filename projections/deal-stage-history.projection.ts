import type { DealStageChanged } from '../domain/crm/deal.js'
import type { DealCurrentRow } from './deals-current.projection.js'
import type { ProjectedEvent } from './projected-event.js'

// deal_stage_history: one row per stage a deal enters (its creation included), for
// funnel, velocity and win-rate analytics. Keyed by the event position, so a replay
// rewrites the same key. It rides on the deals fold: the owner and the time the deal
// entered its previous stage are not in a DealStageChanged event.

export const DEAL_STAGE_HISTORY_TABLE = 'deal_stage_history'

export type DealStageHistoryRow = {
  workspace_id: string
  deal_id: string
  position: number
  stream_version: number
  from_stage: string | null
  to_stage: string
  at: string
  amount_cents: number
  owner_id: string | null
  seconds_in_previous_stage: number | null
  closed: boolean
  won: boolean
}

/**
 * The rows an event adds, given the deal before and after it: one when it enters a
 * stage, none otherwise.
 *
 * @example dealStageHistoryRows(prospect, qualified, stageChangedEvent) // [{ from_stage: 'PROSPECT', to_stage: 'QUALIFICATION', seconds_in_previous_stage: 86400, … }]
 */
export function dealStageHistoryRows(before: DealCurrentRow | null, after: DealCurrentRow | null, e: ProjectedEvent): DealStageHistoryRow[] {
  if (!after) return []
  if (e.type === 'DealCreated') {
    return [
      {
        workspace_id: e.workspace_id,
        deal_id: e.stream_id,
        position: e.position,
        stream_version: e.stream_version,
        from_stage: null,
        to_stage: after.stage,
        at: after.created_at,
        amount_cents: after.amount_cents,
        owner_id: after.owner_id,
        seconds_in_previous_stage: null,
        closed: false,
        won: false,
      },
    ]
  }
  if (e.type === 'DealStageChanged' && before) {
    const d = e.data as DealStageChanged['data']
    const ms = Date.parse(d.at) - Date.parse(before.stage_changed_at)
    // Literal objects, not spreads: see foldDeal.
    return [
      {
        workspace_id: e.workspace_id,
        deal_id: e.stream_id,
        position: e.position,
        stream_version: e.stream_version,
        from_stage: d.from,
        to_stage: d.to,
        at: after.stage_changed_at,
        amount_cents: d.amount_cents,
        owner_id: before.owner_id,
        seconds_in_previous_stage: Math.max(0, Math.round(ms / 1000)),
        closed: after.closed,
        won: after.won,
      },
    ]
  }
  return []
}
