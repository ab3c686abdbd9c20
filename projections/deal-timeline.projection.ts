import type { DealStageChanged } from '../domain/crm/deal.js'
import type { DealFactRow } from './deal-facts.projection.js'
import type { ProjectedEvent } from './projected-event.js'

// deal_timeline: the deal side of the "recent activity" feed, one row per creation and
// per stage change, ordered by time so the latest ones are read without scanning every
// deal. Facts as they were at that moment (title, owner, amount). Keyed by the event's
// position: a replay rewrites the same key. Rides on the deal-analytics fold.

export const DEAL_TIMELINE_TABLE = 'deal_timeline'

export type DealTimelineKind = 'deal_created' | 'stage_changed' | 'deal_won' | 'deal_lost'

export type DealTimelineRow = {
  workspace_id: string
  at: string
  position: number
  deal_id: string
  kind: DealTimelineKind
  stage: string
  title: string
  organisation_id: string
  owner_id: string | null
  actor_id: string | null
  amount_cents: number
  category: string | null
  region: string | null
}

/**
 * The feed row an event adds, given the deal before and after it: one for a creation
 * or a stage change, none otherwise.
 *
 * @example dealTimelineRows(null, created, dealCreatedEvent) // [{ kind: 'deal_created', … }]
 */
export function dealTimelineRows(before: DealFactRow | null, after: DealFactRow | null, e: ProjectedEvent): DealTimelineRow[] {
  if (!after) return []
  let kind: DealTimelineKind
  let amount = after.amount_cents
  if (e.type === 'DealCreated') kind = 'deal_created'
  else if (e.type === 'DealStageChanged' && before) {
    const d = e.data as DealStageChanged['data']
    kind = after.won ? 'deal_won' : after.lost ? 'deal_lost' : 'stage_changed'
    amount = d.amount_cents
  } else return []
  return [
    {
      workspace_id: e.workspace_id,
      at: (e.data as { at: string }).at,
      position: e.position,
      deal_id: e.stream_id,
      kind,
      stage: after.stage,
      title: after.title,
      organisation_id: after.organisation_id,
      owner_id: after.owner_id,
      actor_id: e.meta?.actorId ?? null,
      amount_cents: amount,
      category: after.category,
      region: after.region,
    },
  ]
}
