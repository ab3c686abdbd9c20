import { describe, expect, it } from 'vitest'
import { dealStageHistoryRows } from './deal-stage-history.projection.js'
import { type DealCurrentRow, foldDeal } from './deals-current.projection.js'
import type { ProjectedEvent } from './projected-event.js'
import { created, deleted, DEAL, OWNER, qualified, repriced, WS, won } from './testing/deal-events.js'

describe('deal_stage_history rows', () => {
  const rowsFor = (events: ProjectedEvent[]) => {
    let state: DealCurrentRow | null = null
    return events.flatMap((e) => {
      const before = state
      state = foldDeal(before, e)
      return dealStageHistoryRows(before, state, e)
    })
  }

  it('record the creation and each stage change with the time spent in the stage left', () => {
    expect(rowsFor([created, qualified, repriced, won])).toEqual([
      {
        workspace_id: WS,
        deal_id: DEAL,
        position: created.position,
        stream_version: 1,
        from_stage: null,
        to_stage: 'PROSPECT',
        at: '2026-03-02T09:00:00.000Z',
        amount_cents: 1_250_000,
        owner_id: OWNER,
        seconds_in_previous_stage: null,
        closed: false,
        won: false,
      },
      {
        workspace_id: WS,
        deal_id: DEAL,
        position: qualified.position,
        stream_version: 2,
        from_stage: 'PROSPECT',
        to_stage: 'QUALIFICATION',
        at: '2026-03-04T09:00:30.000Z',
        amount_cents: 1_250_000,
        owner_id: OWNER,
        seconds_in_previous_stage: 2 * 86_400 + 30,
        closed: false,
        won: false,
      },
      {
        workspace_id: WS,
        deal_id: DEAL,
        position: won.position,
        stream_version: 4,
        from_stage: 'QUALIFICATION',
        to_stage: 'SIGNE',
        at: '2026-03-10T10:00:00.000Z',
        amount_cents: 1_400_000,
        owner_id: null,
        seconds_in_previous_stage: 6 * 86_400 + 3_600 - 30,
        closed: true,
        won: true,
      },
    ])
  })

  it('add nothing for updates and deletions', () => {
    expect(rowsFor([created, repriced, deleted]).map((r) => r.stream_version)).toEqual([1])
  })

  it('give the same rows when the same events come again', () => {
    expect(rowsFor([created, qualified, won])).toEqual(rowsFor([created, qualified, won]))
  })
})
