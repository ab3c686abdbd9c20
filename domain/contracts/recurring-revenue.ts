import { addMonths } from '../shared/paris-time.js'
import { customerLifetimeValue, mrrBridge, type MrrMonth, type MrrTimeline } from './mrr.js'

// The recurring-revenue figures of a period, from contract timelines (the Postgres
// replay, mrr-replay.ts) or read from ClickHouse (projections/queries/recurring-revenue.ts):
// both produce RevenueFigures, and the summary below is computed from them alike.

/** The periods the dashboard offers, in months up to this one. */
export const REVENUE_PERIODS = [12, 24, 36] as const

/** Which contracts count: their current owner among `ownerIds` (null: everyone's), their type. */
export type RevenueFilter = {
  workspaceId: string
  /** First days of the first and last months shown ('YYYY-MM-01'). */
  from: string
  to: string
  ownerIds: string[] | null
  type: string | null
}

/** Terms that ended in the month, and how many of them were renewed. */
export type RenewalMonth = { month: string; due: number; renewed: number }

export type RevenueFigures = { months: MrrMonth[]; renewals: RenewalMonth[] }

export const keepTimeline = (f: Pick<RevenueFilter, 'ownerIds' | 'type'>) => (t: MrrTimeline) =>
  (f.ownerIds === null || (t.ownerId !== null && f.ownerIds.includes(t.ownerId))) && (f.type === null || t.type === f.type)

/** Months from `from` to `to` (first days), inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let m = from; m <= to && out.length < 1200; m = addMonths(m, 1)) out.push(m)
  return out
}

/** One row per month, zeros where no term ended. */
export function denseRenewals(rows: RenewalMonth[], from: string, to: string): RenewalMonth[] {
  const by = new Map(rows.map((r) => [r.month, r]))
  return monthsBetween(from, to).map((month) => by.get(month) ?? { month, due: 0, renewed: 0 })
}

/** The reference: the figures of `timelines` (every contract of the workspace) under `f`. */
export function revenueFigures(timelines: MrrTimeline[], f: RevenueFilter): RevenueFigures {
  const kept = timelines.filter(keepTimeline(f))
  const counts = new Map<string, RenewalMonth>()
  for (const t of kept)
    for (const e of t.termEnds) {
      const month = `${e.day.slice(0, 7)}-01`
      if (month < f.from || month > f.to) continue
      const r = counts.get(month) ?? { month, due: 0, renewed: 0 }
      r.due++
      if (e.outcome === 'renouvele') r.renewed++
      counts.set(month, r)
    }
  return { months: mrrBridge(kept, f.from, f.to), renewals: denseRenewals([...counts.values()], f.from, f.to) }
}

export type RevenueSummary = {
  /** MRR at the end of the last month, and ARR = MRR × 12 (cents). */
  mrr: number
  arr: number
  customers: number
  /** Average revenue per account: MRR ÷ paying customers (cents, rounded). */
  arpa: number
  /** Customers lost ÷ customers at the start of each month, over the period (a monthly rate). */
  logoChurn: number | null
  /** (Churned + contracted MRR) ÷ MRR at the start of each month, over the period (a monthly rate). */
  revenueChurn: number | null
  /** (MRR at the period's start + expansion − contraction − churn) ÷ MRR at the period's start. */
  nrr: number | null
  /** Terms renewed ÷ terms that ended in the period. */
  renewalRate: number | null
  /** 1 ÷ monthly logo churn, in months; null when nobody left. */
  lifetimeMonths: number | null
  /** CLV = ARPA × average lifetime (cents). */
  clv: number | null
  movements: { new: number; expansion: number; contraction: number; churn: number; reactivation: number }
}

export function revenueSummary({ months, renewals }: RevenueFigures): RevenueSummary {
  const sum = (k: keyof MrrMonth) => months.reduce((s, m) => s + (m[k] as number), 0)
  const first = months[0]
  const last = months[months.length - 1]
  const mrr = last?.end ?? 0
  const customers = last?.customers ?? 0
  const arpa = customers ? Math.round(mrr / customers) : 0
  const startCustomers = sum('startCustomers')
  const startMrr = sum('start')
  const logoChurn = startCustomers ? sum('churnedCustomers') / startCustomers : null
  const due = renewals.reduce((s, r) => s + r.due, 0)
  const movements = {
    new: sum('new'),
    expansion: sum('expansion'),
    contraction: sum('contraction'),
    churn: sum('churn'),
    reactivation: sum('reactivation'),
  }
  return {
    mrr,
    arr: mrr * 12,
    customers,
    arpa,
    logoChurn,
    revenueChurn: startMrr ? (movements.churn + movements.contraction) / startMrr : null,
    nrr: first?.start ? (first.start + movements.expansion - movements.contraction - movements.churn) / first.start : null,
    renewalRate: due ? renewals.reduce((s, r) => s + r.renewed, 0) / due : null,
    lifetimeMonths: logoChurn ? 1 / logoChurn : null,
    clv: customerLifetimeValue(arpa, logoChurn),
    movements,
  }
}
