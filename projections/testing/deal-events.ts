// One deal's events, from creation to won/lost/deleted, for the pure projection tests.
import type { ProjectedEvent } from '../projected-event.js'

export const WS = '6f1c2a52-0000-4000-8000-000000000001'
export const DEAL = '6f1c2a52-0000-4000-8000-0000000000d1'
export const ORG = '6f1c2a52-0000-4000-8000-0000000000a1'
export const OWNER = '6f1c2a52-0000-4000-8000-0000000000b1'

let position = 100
export const event = (stream_version: number, type: string, data: Record<string, unknown>): ProjectedEvent => ({
  position: position++,
  tx_id: '900',
  workspace_id: WS,
  stream_type: 'deal',
  stream_id: DEAL,
  stream_version,
  type,
  data,
  occurred_at: new Date(),
})

export const created = event(1, 'DealCreated', {
  id: DEAL,
  workspace_id: WS,
  at: '2026-03-02T09:00:00.000Z',
  stage: 'PROSPECT',
  probability: 10,
  title: 'Fours 2027',
  organisation_id: ORG,
  amount_cents: 1_250_000,
  expected_close_date: '2026-06-30',
  owner_id: OWNER,
  category: 'Équipement',
  source: 'Salon',
  region: 'Bretagne',
  shared: true,
  contact_ids: [],
})
export const qualified = event(2, 'DealStageChanged', {
  id: DEAL,
  at: '2026-03-04T09:00:30.000Z',
  from: 'PROSPECT',
  to: 'QUALIFICATION',
  probability: 25,
  amount_cents: 1_250_000,
  lost_reason: null,
  closed: false,
})
export const repriced = event(3, 'DealUpdated', { id: DEAL, at: '2026-03-05T10:00:00.000Z', changes: { amount_cents: 1_400_000, owner_id: null } })
export const won = event(4, 'DealStageChanged', {
  id: DEAL,
  at: '2026-03-10T10:00:00.000Z',
  from: 'QUALIFICATION',
  to: 'SIGNE',
  probability: 100,
  amount_cents: 1_400_000,
  lost_reason: null,
  closed: true,
})
export const lost = event(4, 'DealStageChanged', {
  id: DEAL,
  at: '2026-03-10T10:00:00.000Z',
  from: 'QUALIFICATION',
  to: 'PERDU',
  probability: 0,
  amount_cents: 1_400_000,
  lost_reason: 'Budget gelé',
  closed: true,
})
export const deleted = event(5, 'DealDeleted', { id: DEAL, at: '2026-03-11T08:00:00.000Z' })
