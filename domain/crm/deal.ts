import type { Deal } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'

export type DealState = Deal

export type DealFields = {
  title: string
  organisation_id: string
  amount_cents: number
  expected_close_date: string | null
  owner_id: string | null
  category: string | null
  source: string | null
  region: string | null
  /** Visible to every commercial, not only its owner. */
  shared?: boolean
  contact_ids?: string[]
}

export type DealCreated = DomainEvent<'DealCreated', { id: string; workspace_id: string; at: string; stage: string; probability: number } & DealFields>
export type DealUpdated = DomainEvent<'DealUpdated', { id: string; at: string; changes: Partial<DealFields> }>
/** Every stage change is its own event: funnel, velocity and win-rate analytics read it. */
export type DealStageChanged = DomainEvent<
  'DealStageChanged',
  {
    id: string
    at: string
    from: string
    to: string
    probability: number
    amount_cents: number
    lost_reason: string | null
    closed: boolean
    /** Why a won deal was reopened (moved out of its won stage); absent on older events. */
    reopen_reason?: string | null
  }
>
export type DealDeleted = DomainEvent<'DealDeleted', { id: string; at: string }>
export type DealEvent = DealCreated | DealUpdated | DealStageChanged | DealDeleted

export const DEAL_STREAM = 'deal'

export function evolveDeal(state: DealState | null, event: DealEvent): DealState {
  switch (event.type) {
    case 'DealCreated': {
      const { at, ...d } = event.data
      const when = new Date(at)
      return {
        shared: false,
        contact_ids: [],
        ...d,
        lost_reason: null,
        closed_at: null,
        stage_changed_at: when,
        version: 0,
        created_at: when,
        updated_at: when,
        deleted_at: null,
      }
    }
    case 'DealUpdated':
      return { ...state!, ...event.data.changes, updated_at: new Date(event.data.at) }
    case 'DealStageChanged': {
      const when = new Date(event.data.at)
      return {
        ...state!,
        stage: event.data.to,
        probability: event.data.probability,
        lost_reason: event.data.lost_reason,
        closed_at: event.data.closed ? when : null,
        stage_changed_at: when,
        updated_at: when,
      }
    }
    case 'DealDeleted':
      return { ...state!, deleted_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
  }
}
