import { describe, expect, it } from 'vitest'
import { describeHistory, type HistoryEvent } from './history.js'

const ev = (v: number, type: string, data: Record<string, unknown>, actorId = 'u-1'): HistoryEvent => ({
  type,
  data,
  meta: { actorId, source: 'web' },
  occurred_at: new Date(`2026-01-0${v}T10:00:00Z`),
  stream_version: v,
})

describe('record history', () => {
  it('tells who changed which field from what to what, newest first', () => {
    const h = describeHistory([
      ev(1, 'DealCreated', { id: 'd', title: 'ERP', amount_cents: 100_000, stage: 'PROSPECT', probability: 10, owner_id: 'u-1', region: null }),
      ev(2, 'DealUpdated', { id: 'd', changes: { amount_cents: 250_000 } }, 'u-2'),
      ev(3, 'DealStageChanged', { id: 'd', from: 'PROSPECT', to: 'PERDU', lost_reason: 'Prix', probability: 0, closed: true }),
    ])
    expect(h.map((e) => e.title)).toEqual(['Changement d’étape', 'Affaire modifiée', 'Affaire créée'])
    expect(h[1]).toMatchObject({ actorId: 'u-2', changes: [{ field: 'amount_cents', label: 'Montant', from: 100_000, to: 250_000 }] })
    expect(h[0].changes).toEqual([
      { field: 'stage', label: 'Étape', from: 'PROSPECT', to: 'PERDU' },
      { field: 'lost_reason', label: 'Raison de la perte', from: null, to: 'Prix' },
    ])
    expect(h[2].changes.map((c) => c.field)).toEqual(['title', 'amount_cents', 'stage', 'owner_id'])
  })
})
