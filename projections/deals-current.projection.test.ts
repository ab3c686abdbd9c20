import { describe, expect, it } from 'vitest'
import { type DealCurrentRow, dealRowFromClickHouse, foldDeal } from './deals-current.projection.js'
import type { ProjectedEvent } from './projected-event.js'
import { created, deleted, event, lost, ORG, OWNER, qualified, repriced, WS, DEAL, won } from './testing/deal-events.js'

const fold = (events: ProjectedEvent[]) => events.reduce<DealCurrentRow | null>(foldDeal, null)

describe('deals_current rows', () => {
  it('start from the creation with the deal fields, open, version 1', () => {
    expect(fold([created])).toEqual({
      workspace_id: WS,
      deal_id: DEAL,
      title: 'Fours 2027',
      organisation_id: ORG,
      owner_id: OWNER,
      stage: 'PROSPECT',
      probability: 10,
      amount_cents: 1_250_000,
      category: 'Équipement',
      region: 'Bretagne',
      source: 'Salon',
      expected_close_date: '2026-06-30',
      lost_reason: null,
      created_at: '2026-03-02T09:00:00.000Z',
      updated_at: '2026-03-02T09:00:00.000Z',
      stage_changed_at: '2026-03-02T09:00:00.000Z',
      closed_at: null,
      closed: false,
      won: false,
      deleted: false,
      deleted_at: null,
      version: 1,
    })
  })

  it('apply only the changed fields of an update', () => {
    expect(fold([created, qualified, repriced])).toMatchObject({
      stage: 'QUALIFICATION',
      probability: 25,
      amount_cents: 1_400_000,
      owner_id: null,
      title: 'Fours 2027',
      updated_at: '2026-03-05T10:00:00.000Z',
      stage_changed_at: '2026-03-04T09:00:30.000Z',
      version: 3,
    })
  })

  it('mark a deal closed without a lost reason as won, and one with a reason as lost', () => {
    expect(fold([created, qualified, repriced, won])).toMatchObject({ closed: true, won: true, closed_at: '2026-03-10T10:00:00.000Z', lost_reason: null })
    expect(fold([created, qualified, repriced, lost])).toMatchObject({ closed: true, won: false, lost_reason: 'Budget gelé' })
  })

  it('reopen a closed deal', () => {
    const reopened = event(5, 'DealStageChanged', {
      id: DEAL,
      at: '2026-03-12T10:00:00.000Z',
      from: 'SIGNE',
      to: 'NEGOCIATION',
      probability: 75,
      amount_cents: 1_400_000,
      lost_reason: null,
      closed: false,
    })
    expect(fold([created, qualified, repriced, won, reopened])).toMatchObject({ stage: 'NEGOCIATION', closed: false, won: false, closed_at: null, version: 5 })
  })

  it('keep a deleted deal as a row flagged deleted', () => {
    expect(fold([created, qualified, repriced, won, deleted])).toMatchObject({ deleted: true, deleted_at: '2026-03-11T08:00:00.000Z', version: 5 })
  })

  it('only move the version on an event type they do not know', () => {
    const noted = event(2, 'DealNoteAdded', { id: DEAL, at: '2026-03-03T09:00:00.000Z', text: 'Rappeler' })
    expect(fold([created, noted])).toEqual({ ...fold([created]), version: 2 })
  })

  it('refuse an update without a creation rather than invent a deal', () => {
    expect(() => fold([repriced])).toThrow(/sans création préalable/)
  })

  it('read back from ClickHouse into the same row', () => {
    const row = fold([created, qualified, repriced, won])!
    const fromServer = {
      ...row,
      amount_cents: String(row.amount_cents),
      version: String(row.version),
      created_at: '2026-03-02 09:00:00.000',
      updated_at: '2026-03-10 10:00:00.000',
      stage_changed_at: '2026-03-10 10:00:00.000',
      closed_at: '2026-03-10 10:00:00.000',
    }
    expect(dealRowFromClickHouse(fromServer)).toEqual(row)
  })
})
