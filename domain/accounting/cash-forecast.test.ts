import { describe, expect, it } from 'vitest'
import { addDays } from '../shared/paris-time.js'
import { backtest, cashForecast, observedHabits, totalOf, type ClientHabit } from './cash-forecast.js'

// A hand-built case, every figure worked out by hand: three clients who pay on time,
// 20 days late and 50 days late; two contract schedules; a weighted pipeline.

const D = '2026-06-15'
const day = (n: number) => addDays(D, n)
const habits = new Map<string, ClientHabit>([
  ['ponctuel', { delay_days: 0, days_to_pay: 30 }],
  ['retard', { delay_days: 20, days_to_pay: 50 }],
  ['lent', { delay_days: 50, days_to_pay: 80 }],
])

describe('the cash forecast', () => {
  const f = cashForecast({
    asOf: D,
    invoices: [
      { organisation_id: 'ponctuel', open_cents: 100_000, due_date: day(10) }, // expected D+10
      { organisation_id: 'retard', open_cents: 200_000, due_date: day(25) }, // D+45
      { organisation_id: 'lent', open_cents: 300_000, due_date: day(-10) }, // D+40
      { organisation_id: 'lent', open_cents: 50_000, due_date: day(-80) }, // past its habit: D+1
      { organisation_id: 'inconnu', open_cents: 70_000, due_date: day(70) }, // default habit +5: D+75
    ],
    billing: [
      // Schedule 1: monthly 12 000,00 € for "ponctuel", billed D+5, D+35, D+65 → paid D+35, D+65, D+95.
      ...[5, 35, 65].map((n) => ({ organisation_id: 'ponctuel', amount_cents: 1_200_000, billing_date: day(n) })),
      // Schedule 2: quarterly 30 000,00 € for "retard", billed D+20 → paid D+70.
      { organisation_id: 'retard', amount_cents: 3_000_000, billing_date: day(20) },
    ],
    pipeline: [
      // 10 000 € HT at 50 %, closing D+10, "ponctuel" → 6 000 € TTC at D+40.
      { organisation_id: 'ponctuel', amount_cents: 1_000_000, probability: 50, expected_close_date: day(10) },
      // 20 000 € HT at 25 %, closing D+30, unknown client (30 days) → 6 000 € TTC at D+60.
      { organisation_id: 'nouveau', amount_cents: 2_000_000, probability: 25, expected_close_date: day(30) },
    ],
    habits,
    defaultHabit: { delay_days: 5, days_to_pay: 30 },
  })

  it('gives the expected J+30, J+60 and J+90 per source', () => {
    expect(f.horizons[30]).toEqual({ invoices: 150_000, contracts: 0, pipeline: 0 })
    expect(f.horizons[60]).toEqual({ invoices: 650_000, contracts: 1_200_000, pipeline: 1_200_000 })
    expect(f.horizons[90]).toEqual({ invoices: 720_000, contracts: 5_400_000, pipeline: 1_200_000 })
    expect(totalOf(f.horizons[90])).toBe(7_320_000)
  })

  it('spreads the same flows over 13 weeks', () => {
    expect(f.weeks).toHaveLength(13)
    expect(f.weeks[0]).toEqual({ start: day(1), end: day(7), bySource: { invoices: 50_000, contracts: 0, pipeline: 0 } })
    expect(f.weeks[1].bySource.invoices).toBe(100_000) // D+10
    expect(f.weeks[4].bySource.contracts).toBe(1_200_000) // D+35
    expect(f.weeks[5].bySource).toEqual({ invoices: 300_000, contracts: 0, pipeline: 600_000 }) // D+40
    expect(f.weeks[6].bySource.invoices).toBe(200_000) // D+45
    expect(f.weeks[8].bySource).toEqual({ invoices: 0, contracts: 0, pipeline: 600_000 }) // D+60
    const sum = f.weeks.reduce((a, w) => a + totalOf(w.bySource), 0)
    expect(sum).toBe(7_320_000) // the 13 weeks end at D+91: the same flows as J+90
  })
})

describe('the habits and the backtest', () => {
  const payments = [
    { invoice_id: 'i1', organisation_id: 'a', paid_on: day(-50), amount_cents: 100, due_date: day(-60), issue_date: day(-90) },
    { invoice_id: 'i2', organisation_id: 'a', paid_on: day(-10), amount_cents: 300, due_date: day(-30), issue_date: day(-60) },
    { invoice_id: 'i3', organisation_id: 'b', paid_on: day(10), amount_cents: 1000, due_date: day(5), issue_date: day(-25) },
  ]
  it('weights each client’s delay by the amounts paid, and ignores what was paid after the day', () => {
    const { habits: h, overall } = observedHabits(payments, D)
    expect(h.get('a')).toEqual({ delay_days: (100 * 10 + 300 * 20) / 400, days_to_pay: (100 * 40 + 300 * 50) / 400 })
    expect(h.has('b')).toBe(false)
    expect(overall.delay_days).toBe(17.5)
  })

  it('compares the 30-day forecast made at a past day with the cash that came in', () => {
    const invoices = [
      { id: 'i2', organisation_id: 'a', issue_date: day(-60), due_date: day(-30), amount_due_cents: 300, credited_cents: 0 },
      { id: 'i3', organisation_id: 'b', issue_date: day(-25), due_date: day(5), amount_due_cents: 1000, credited_cents: 0 },
    ]
    // At D-20 only i1's payment is known (a: 10 days late, the overall habit too): i2 due D-30
    // is past it → D-19, in; i3 due D+5 → D+15, 35 days on, out. Forecast 300; actual 300 + 1000.
    // At D: b has no history → overall 17.5 days → i3 at D+23. Forecast 1000, actual 1000.
    const r = backtest(invoices, payments, [day(-20), D])
    expect(r.points).toEqual([
      { asOf: day(-20), forecast_cents: 300, actual_cents: 1300 },
      { asOf: D, forecast_cents: 1000, actual_cents: 1000 },
    ])
    expect(r.mape).toBeCloseTo((1000 / 1300 + 0) / 2, 10)
  })
})
