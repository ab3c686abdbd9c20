import { addDays } from '../shared/paris-time.js'

// The cash forecast: money expected in over the next 30/60/90 days and 13 weeks, from
// three sources kept apart so finance sees where the figure comes from:
//  - open invoices, each at its due date moved by its client's observed delay;
//  - contract billing schedules (billing_items still to invoice), at the billing date
//    plus the client's usual time from invoice to payment;
//  - the open pipeline, each deal's amount × its probability (TTC at the standard rate),
//    at its expected close date plus the client's usual time to pay.
// Pure: the queries that feed it live beside the finance page. Days are 'YYYY-MM-DD'.

export type ForecastSource = 'invoices' | 'contracts' | 'pipeline'
export const FORECAST_SOURCES: readonly ForecastSource[] = ['invoices', 'contracts', 'pipeline']
export const HORIZONS = [30, 60, 90] as const
export const WEEKS = 13

export type OpenInvoice = { organisation_id: string; open_cents: number; due_date: string }
export type ScheduledBilling = { organisation_id: string; amount_cents: number; billing_date: string }
export type PipelineDeal = { organisation_id: string; amount_cents: number; probability: number; expected_close_date: string }
/** What each client's history says: days paid after the due date, days from invoice to payment. */
export type ClientHabit = { delay_days: number; days_to_pay: number }

export type ForecastInput = {
  asOf: string
  invoices: readonly OpenInvoice[]
  billing: readonly ScheduledBilling[]
  pipeline: readonly PipelineDeal[]
  habits: ReadonlyMap<string, ClientHabit>
  /** For clients without history (new ones): the workspace's own averages. */
  defaultHabit: ClientHabit
  /** VAT added to the pipeline's HT amounts (basis points; 2000 = 20 %). */
  pipelineVatBps?: number
}

export type CashForecast = {
  /** Cents expected in (asOf, asOf + N days], per source. */
  horizons: Record<(typeof HORIZONS)[number], Record<ForecastSource, number>>
  /** 13 weeks: week k covers (asOf + 7k, asOf + 7k + 7]. */
  weeks: { start: string; end: string; bySource: Record<ForecastSource, number> }[]
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
const zero = (): Record<ForecastSource, number> => ({ invoices: 0, contracts: 0, pipeline: 0 })

/** The day an open invoice is expected to be paid: due + the client's delay; already past that, the next day. */
export function expectedInvoiceDay(inv: OpenInvoice, habit: ClientHabit, asOf: string): string {
  const day = addDays(inv.due_date, Math.round(habit.delay_days))
  return day > asOf ? day : addDays(asOf, 1)
}

/**
 * Expected cash per source over 30/60/90 days and 13 weeks.
 *
 * @example cashForecast({ asOf: '2026-06-15', invoices: [{ organisation_id: 'a', open_cents: 1000, due_date: '2026-06-20' }], billing: [], pipeline: [], habits: new Map([['a', { delay_days: 10, days_to_pay: 40 }]]), defaultHabit: { delay_days: 0, days_to_pay: 30 } }).horizons[30].invoices // 1000
 */
export function cashForecast(input: ForecastInput): CashForecast {
  const habit = (org: string) => input.habits.get(org) ?? input.defaultHabit
  const vat = input.pipelineVatBps ?? 2000
  const flows: { source: ForecastSource; day: string; cents: number }[] = []
  for (const inv of input.invoices) {
    if (inv.open_cents > 0) flows.push({ source: 'invoices', day: expectedInvoiceDay(inv, habit(inv.organisation_id), input.asOf), cents: inv.open_cents })
  }
  for (const b of input.billing) {
    const day = addDays(b.billing_date < input.asOf ? input.asOf : b.billing_date, Math.round(habit(b.organisation_id).days_to_pay))
    flows.push({ source: 'contracts', day: day > input.asOf ? day : addDays(input.asOf, 1), cents: b.amount_cents })
  }
  for (const d of input.pipeline) {
    const close = d.expected_close_date < input.asOf ? input.asOf : d.expected_close_date
    const cents = Math.round((d.amount_cents * d.probability * (10_000 + vat)) / 1_000_000)
    flows.push({ source: 'pipeline', day: addDays(close, Math.max(1, Math.round(habit(d.organisation_id).days_to_pay))), cents })
  }
  const horizons = Object.fromEntries(HORIZONS.map((h) => [h, zero()])) as CashForecast['horizons']
  const weeks = Array.from({ length: WEEKS }, (_, k) => ({ start: addDays(input.asOf, 7 * k + 1), end: addDays(input.asOf, 7 * k + 7), bySource: zero() }))
  for (const f of flows) {
    const n = daysBetween(input.asOf, f.day)
    for (const h of HORIZONS) if (n >= 1 && n <= h) horizons[h][f.source] += f.cents
    const k = Math.floor((n - 1) / 7)
    if (n >= 1 && k < WEEKS) weeks[k].bySource[f.source] += f.cents
  }
  return { horizons, weeks }
}

/** Σ over sources. */
export const totalOf = (r: Record<ForecastSource, number>) => r.invoices + r.contracts + r.pipeline

// The backtest: at past days D, what the invoice source would have forecast for the
// next 30 days (from the invoices open at D and the habits observed before D) against the
// cash those invoices actually brought in. Contracts and pipeline are left out: their
// state at a past day is not kept, so a backtest of them would use hindsight.

export type InvoiceHistory = { id: string; organisation_id: string; issue_date: string; due_date: string; amount_due_cents: number; credited_cents: number }
export type PaymentHistory = { invoice_id: string; organisation_id: string; paid_on: string; amount_cents: number; due_date: string; issue_date: string }

/** Each client's habit from payments made up to `until` (amount-weighted), and the workspace's. */
export function observedHabits(payments: readonly PaymentHistory[], until: string): { habits: Map<string, ClientHabit>; overall: ClientHabit } {
  const acc = new Map<string, { w: number; delay: number; toPay: number }>()
  const all = { w: 0, delay: 0, toPay: 0 }
  for (const p of payments) {
    if (p.paid_on > until || p.amount_cents <= 0) continue
    const a = acc.get(p.organisation_id) ?? { w: 0, delay: 0, toPay: 0 }
    for (const x of [a, all]) {
      x.w += p.amount_cents
      x.delay += p.amount_cents * daysBetween(p.due_date, p.paid_on)
      x.toPay += p.amount_cents * daysBetween(p.issue_date, p.paid_on)
    }
    acc.set(p.organisation_id, a)
  }
  const habit = (x: { w: number; delay: number; toPay: number }): ClientHabit =>
    x.w ? { delay_days: x.delay / x.w, days_to_pay: x.toPay / x.w } : { delay_days: 0, days_to_pay: 30 }
  return { habits: new Map([...acc].map(([k, v]) => [k, habit(v)])), overall: habit(all) }
}

export type BacktestPoint = { asOf: string; forecast_cents: number; actual_cents: number }

/** Forecast (invoices, 30 days) vs actual at each day of `days`; MAPE over the days with actual cash. */
export function backtest(
  invoices: readonly InvoiceHistory[],
  payments: readonly PaymentHistory[],
  days: readonly string[],
): { points: BacktestPoint[]; mape: number | null } {
  const points: BacktestPoint[] = []
  for (const d of days) {
    const paidBy = new Map<string, number>()
    let actual = 0
    const horizon = addDays(d, 30)
    for (const p of payments) {
      if (p.paid_on <= d) paidBy.set(p.invoice_id, (paidBy.get(p.invoice_id) ?? 0) + p.amount_cents)
      else if (p.paid_on <= horizon && p.issue_date <= d) actual += p.amount_cents
    }
    const open: OpenInvoice[] = invoices
      .filter((i) => i.issue_date <= d)
      .map((i) => ({ organisation_id: i.organisation_id, due_date: i.due_date, open_cents: i.amount_due_cents - i.credited_cents - (paidBy.get(i.id) ?? 0) }))
    const { habits, overall } = observedHabits(payments, d)
    const f = cashForecast({ asOf: d, invoices: open, billing: [], pipeline: [], habits, defaultHabit: overall })
    points.push({ asOf: d, forecast_cents: f.horizons[30].invoices, actual_cents: actual })
  }
  const scored = points.filter((p) => p.actual_cents > 0)
  const mape = scored.length ? scored.reduce((a, p) => a + Math.abs(p.forecast_cents - p.actual_cents) / p.actual_cents, 0) / scored.length : null
  return { points, mape }
}
