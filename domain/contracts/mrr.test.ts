import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../shared/events.js'
import { evolveContract, type ContractEvent, type ContractFields, type ContractState } from './contract.js'
import { amendContract, closeTerm, createContract, terminateContract } from './contract.decide.js'
import { bridgeGap, monthlyCents, mrrBridge, mrrOn, mrrTimeline, type MrrMonth } from './mrr.js'

// MRR bridges on hand-built contract histories: the rule (month-end snapshot, half-up
// monthly price) and the identity start + new + expansion − contraction − churn +
// reactivation = end, every month.

const at = (day: string): CommandContext => ({ workspaceId: 'ws', actorId: 'u', now: new Date(`${day}T10:00:00Z`) })

const fields = (over: Partial<ContractFields> = {}): ContractFields => ({
  title: 'Maintenance du parc',
  organisation_id: 'org-a',
  deal_id: null,
  quote_id: null,
  contact_id: null,
  owner_id: 'u',
  type: 'abonnement',
  start_date: '2025-01-01',
  end_date: '2025-12-31',
  unit_amount_cents: 100_00,
  quantity: 1,
  amount_period: 'mensuel',
  billing_frequency: 'mensuel',
  payment_terms_days: 30,
  tacit_renewal: false,
  renewal_months: 12,
  notice_months: 0,
  indexation_bp: null,
  notes: null,
  ...over,
})

/** A contract's history, written by the real decisions. */
class History {
  events: ContractEvent[] = []
  state: ContractState | null = null
  constructor(id: string, f: ContractFields, day: string) {
    this.apply(createContract(null, { id, fields: f, activate: true }, at(day)))
  }
  apply(events: ContractEvent[]) {
    for (const e of events) {
      this.events.push(e)
      this.state = evolveContract(this.state, e)
    }
    return this
  }
}

const month = (rows: MrrMonth[], m: string) => rows.find((r) => r.month === `${m}-01`)!
const bridge = (hs: History[], from: string, to: string) => {
  const rows = mrrBridge(
    hs.map((h) => mrrTimeline(h.events)!),
    `${from}-01`,
    `${to}-01`,
  )
  for (const r of rows) expect(bridgeGap(r), `bridge of ${r.month}`).toBe(0)
  return rows
}

describe('monthly price', () => {
  it('divides a quarter by 3 and a year by 12, rounding half-up to the cent', () => {
    expect(monthlyCents(1000_00, 'annuel')).toBe(83_33)
    expect(monthlyCents(6, 'annuel')).toBe(1) // 0,5 cent → 1
    expect(monthlyCents(5, 'annuel')).toBe(0)
    expect(monthlyCents(100_00, 'trimestriel')).toBe(33_33)
    expect(monthlyCents(200_00, 'trimestriel')).toBe(66_67)
    expect(monthlyCents(42_00, 'mensuel')).toBe(42_00)
  })
})

describe('MRR bridge', () => {
  it('counts a contract starting mid-month for that whole month (month-end snapshot), as new', () => {
    const h = new History('c1', fields({ start_date: '2025-03-15', end_date: '2026-03-14' }), '2025-03-10')
    const rows = bridge([h], '2025-02', '2025-04')
    expect(month(rows, '2025-02').end).toBe(0)
    expect(month(rows, '2025-03')).toMatchObject({ start: 0, new: 100_00, end: 100_00 })
    expect(month(rows, '2025-04')).toMatchObject({ start: 100_00, new: 0, end: 100_00 })
  })

  it('turns an annual contract into a twelfth a month', () => {
    const h = new History('c1', fields({ unit_amount_cents: 12_000_00, amount_period: 'annuel' }), '2024-12-20')
    const rows = bridge([h], '2025-01', '2025-12')
    expect(rows.every((r) => r.end === 1_000_00)).toBe(true)
  })

  it('books an amendment raising the quantity as expansion in the month of its effective date, and a price cut as contraction', () => {
    const h = new History('c1', fields(), '2024-12-20')
    h.apply(amendContract(h.state, { effectiveDate: '2025-04-10', changes: { quantity: 3 }, reason: 'Deux sites de plus' }, at('2025-04-01')))
    h.apply(amendContract(h.state, { effectiveDate: '2025-07-01', changes: { unit_amount_cents: 80_00 }, reason: null }, at('2025-06-20')))
    const rows = bridge([h], '2025-01', '2025-08')
    expect(month(rows, '2025-03').end).toBe(100_00)
    expect(month(rows, '2025-04')).toMatchObject({ expansion: 200_00, end: 300_00 })
    expect(month(rows, '2025-07')).toMatchObject({ contraction: 60_00, end: 240_00 })
    expect(h.state!.amendment_number).toBe(2)
  })

  it('keeps a terminated contract until its effective date, then books churn that month', () => {
    const h = new History('c1', fields({ notice_months: 2 }), '2024-12-20')
    h.apply(terminateContract(h.state, { reason: 'prix', effectiveDate: '2025-09-30', comment: null }, at('2025-06-15')))
    expect(h.state!.termination_notice_respected).toBe(true)
    const rows = bridge([h], '2025-08', '2025-11')
    expect(month(rows, '2025-09')).toMatchObject({ churn: 0, end: 100_00 })
    expect(month(rows, '2025-10')).toMatchObject({ churn: 100_00, end: 0, churnedCustomers: 1 })
  })

  it('marks notice as not respected when given after the last day to terminate', () => {
    const h = new History('c1', fields({ notice_months: 3, tacit_renewal: true }), '2024-12-20')
    h.apply(terminateContract(h.state, { reason: 'concurrence', effectiveDate: '2025-12-31', comment: null }, at('2025-11-02')))
    expect(h.state!.termination_notice_respected).toBe(false)
  })

  it('books a returning customer as reactivation, not new business', () => {
    const first = new History('c1', fields({ end_date: '2025-03-31' }), '2024-12-20')
    first.apply(closeTerm(first.state, { periodIndex: 0 }, at('2025-04-01')))
    expect(first.state!.status).toBe('expire')
    const back = new History('c2', fields({ start_date: '2025-07-01', end_date: '2026-06-30', unit_amount_cents: 150_00 }), '2025-06-25')
    const rows = bridge([first, back], '2025-03', '2025-07')
    expect(month(rows, '2025-04')).toMatchObject({ churn: 100_00, end: 0 })
    expect(month(rows, '2025-07')).toMatchObject({ new: 0, reactivation: 150_00, end: 150_00 })
  })

  it('renews tacitly once per term: a second close of the same term changes nothing, and the indexed price shows as expansion', () => {
    const h = new History('c1', fields({ tacit_renewal: true, indexation_bp: 200 }), '2024-12-20')
    const renewal = closeTerm(h.state, { periodIndex: 0 }, at('2026-01-01'))
    h.apply(renewal)
    expect(closeTerm(h.state, { periodIndex: 0 }, at('2026-01-01'))).toEqual([])
    expect(h.state).toMatchObject({ status: 'actif', period_index: 1, end_date: '2026-12-31', unit_amount_cents: 102_00 })
    const rows = bridge([h], '2025-12', '2026-02')
    expect(month(rows, '2025-12').end).toBe(100_00)
    expect(month(rows, '2026-01')).toMatchObject({ expansion: 2_00, churn: 0, end: 102_00 })
  })

  it('sums several contracts per customer and holds the bridge across a mixed portfolio', () => {
    const a1 = new History('a1', fields(), '2024-12-20')
    const a2 = new History('a2', fields({ start_date: '2025-05-01', end_date: '2025-08-31', unit_amount_cents: 50_00 }), '2025-04-20')
    const b = new History('b', fields({ organisation_id: 'org-b', unit_amount_cents: 3_000_00, amount_period: 'trimestriel' }), '2024-12-20')
    b.apply(terminateContract(b.state, { reason: 'insatisfaction', effectiveDate: '2025-06-10', comment: null }, at('2025-05-01')))
    const rows = bridge([a1, a2, b], '2025-01', '2025-12')
    expect(month(rows, '2025-05')).toMatchObject({ expansion: 50_00, end: 150_00 + 1_000_00 })
    expect(month(rows, '2025-06')).toMatchObject({ churn: 1_000_00, end: 150_00 })
    expect(month(rows, '2025-09')).toMatchObject({ contraction: 50_00, end: 100_00 })
    const t = mrrTimeline(a1.events)!
    expect(mrrOn(t, '2024-12-31')).toBe(0)
    expect(mrrOn(t, '2025-12-31')).toBe(100_00)
    expect(mrrOn(t, '2026-01-01')).toBe(0)
  })
})
