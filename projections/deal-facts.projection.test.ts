import { describe, expect, it } from 'vitest'
import { type DealFactRow, dealFactFromClickHouse, foldDealFacts } from './deal-facts.projection.js'
import { dealCreatedRows } from './deal-created.projection.js'
import { dealsDailyRollup, dealsOpenRollup, NO_OWNER } from './deal-rollups.js'
import { dealTimelineRows } from './deal-timeline.projection.js'
import type { ProjectedEvent } from './projected-event.js'
import { created, DEAL, deleted, event, lost, OWNER, qualified, repriced, WS, won } from './testing/deal-events.js'

const fold = (events: ProjectedEvent[]) => events.reduce<DealFactRow | null>(foldDealFacts, null)
const cells = (spec: typeof dealsDailyRollup, row: DealFactRow | null) => {
  const out: [string[], number[]][] = []
  if (row) spec.contributions(row, (key, values) => out.push([key, values]))
  return out
}

describe('deal_facts rows', () => {
  it('keep the stages entered and the amount the closing change carried', () => {
    expect(fold([created, qualified, repriced, won])).toMatchObject({
      stage: 'SIGNE',
      reached: ['PROSPECT', 'QUALIFICATION', 'SIGNE'],
      won: true,
      lost: false,
      closed_at: '2026-03-10T10:00:00.000Z',
      close_amount_cents: 1_400_000,
      amount_cents: 1_400_000,
      owner_id: null,
      version: 4,
    })
    expect(fold([created, qualified, repriced, lost])).toMatchObject({ won: false, lost: true, close_amount_cents: 1_400_000 })
  })

  it('forget the close of a reopened deal but not the stages it entered', () => {
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
    expect(fold([created, qualified, repriced, won, reopened])).toMatchObject({
      stage: 'NEGOCIATION',
      won: false,
      lost: false,
      closed_at: null,
      close_amount_cents: null,
      reached: ['PROSPECT', 'QUALIFICATION', 'SIGNE', 'NEGOCIATION'],
    })
  })

  it('read back from ClickHouse into the same row', () => {
    const row = fold([created, qualified, won])!
    expect(
      dealFactFromClickHouse({
        ...row,
        amount_cents: String(row.amount_cents),
        close_amount_cents: String(row.close_amount_cents),
        created_at: '2026-03-02 09:00:00.000',
        closed_at: '2026-03-10 10:00:00.000',
      }),
    ).toEqual(row)
  })
})

describe('the deal rollups', () => {
  it('count a deal on its Paris creation day and on its Paris close day', () => {
    // 2026-03-02 09:00 UTC is 10:00 in Paris; amounts in cents, cycle in ms.
    expect(cells(dealsDailyRollup, fold([created, qualified, repriced, won]))).toEqual([
      [
        ['2026-03-02', NO_OWNER, 'Équipement', 'Bretagne'],
        [1, 1_400_000, 0, 0, 0, 0],
      ],
      [
        ['2026-03-10', NO_OWNER, 'Équipement', 'Bretagne'],
        [0, 0, 1, 1_400_000, 8 * 86_400_000 + 3_600_000, 0],
      ],
    ])
    expect(cells(dealsDailyRollup, fold([created, qualified]))[0][0]).toEqual(['2026-03-02', OWNER, 'Équipement', 'Bretagne'])
  })

  it('put a deal closed late at night in Paris on the next day', () => {
    const late = event(2, 'DealStageChanged', {
      id: DEAL,
      at: '2026-03-28T23:30:00.000Z',
      from: 'PROSPECT',
      to: 'PERDU',
      probability: 0,
      amount_cents: 1_250_000,
      lost_reason: 'Budget gelé',
      closed: true,
    })
    expect(cells(dealsDailyRollup, fold([created, late]))[1]).toEqual([
      ['2026-03-29', OWNER, 'Équipement', 'Bretagne'],
      [0, 0, 0, 0, 0, 1],
    ])
  })

  it('keep the funnel by set of stages entered, and the open pipeline weighted', () => {
    const prospect = fold([created])
    expect(dealCreatedRows(prospect, fold([created, qualified]), qualified)).toEqual([
      {
        workspace_id: WS,
        created_day: '2026-03-02',
        deal_id: DEAL,
        owner_id: OWNER,
        category: 'Équipement',
        region: 'Bretagne',
        reached: 'PROSPECT,QUALIFICATION',
        amount_cents: 1_250_000,
        version: 2,
        is_deleted: 0,
      },
    ])
    expect(dealCreatedRows(fold([created, qualified, repriced, won]), fold([created, qualified, repriced, won, deleted]), deleted)[0]).toMatchObject({
      is_deleted: 1,
      version: 5,
    })
    expect(cells(dealsOpenRollup, fold([created, qualified]))).toEqual([
      [
        [OWNER, 'Équipement', 'Bretagne', 'QUALIFICATION'],
        [1, 1_250_000, 1_250_000 * 25],
      ],
    ])
    expect(cells(dealsOpenRollup, fold([created, qualified, won]))).toEqual([])
  })

  it('count a deleted deal nowhere', () => {
    for (const spec of [dealsDailyRollup, dealsOpenRollup]) expect(cells(spec, fold([created, qualified, deleted]))).toEqual([])
  })
})

describe('deal_timeline rows', () => {
  it('record creations and stage changes, telling won and lost apart', () => {
    const kinds = (events: ProjectedEvent[]) => {
      let row: DealFactRow | null = null
      return events.flatMap((e) => {
        const before = row
        row = foldDealFacts(before, e)
        return dealTimelineRows(before, row, e).map((r) => [r.kind, r.stage, r.amount_cents])
      })
    }
    expect(kinds([created, qualified, repriced, won])).toEqual([
      ['deal_created', 'PROSPECT', 1_250_000],
      ['stage_changed', 'QUALIFICATION', 1_250_000],
      ['deal_won', 'SIGNE', 1_400_000],
    ])
    expect(kinds([created, lost])).toEqual([
      ['deal_created', 'PROSPECT', 1_250_000],
      ['deal_lost', 'PERDU', 1_400_000],
    ])
    expect(dealTimelineRows(null, fold([created]), created)[0]).toMatchObject({
      workspace_id: WS,
      deal_id: DEAL,
      position: created.position,
      at: '2026-03-02T09:00:00.000Z',
    })
  })
})
