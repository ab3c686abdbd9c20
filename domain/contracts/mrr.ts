import type { ContractPeriod } from '../../db/schema.js'
import { addMonths, endOfMonth } from '../shared/paris-time.js'
import { PERIOD_MONTHS, type ContractEvent } from './contract.js'

// Monthly recurring revenue, replayed from contract events (the reference the ClickHouse
// read model is checked against, and what the contract pages show).
//
// Rules (README "Contrats et renouvellements"):
// - a contract's MRR is its price per period (unit × quantity) divided by the months of
//   the period, rounded half-up to the cent (annual 1 000,00 € → 83,33 €/month);
// - the MRR of month M is the MRR in force on M's LAST day: a contract starting on the
//   15th counts for its whole first month; one whose last day in force is the 20th
//   counts 0 for that month (its churn falls in that month);
// - an amendment changes MRR from its effective date; a termination ends it after its
//   effective date; a renewal continues it with the renewed price; a draft counts nothing.

/** Price per period → cents per month, half-up. */
export function monthlyCents(pricePerPeriod: number, period: ContractPeriod): number {
  const m = PERIOD_MONTHS[period]
  return m === 1 ? pricePerPeriod : Math.floor((pricePerPeriod * 2 + m) / (2 * m))
}

/** One contract's MRR history: from each day on, this many cents a month, until `lastDay` (null: not running). */
export type MrrTimeline = {
  contractId: string
  organisationId: string
  ownerId: string | null
  type: string
  changes: { from: string; cents: number }[]
  firstDay: string | null
  lastDay: string | null
}

/** Folds one contract's events (oldest first) into its MRR timeline. */
export function mrrTimeline(events: ContractEvent[]): MrrTimeline | null {
  let t: MrrTimeline | null = null
  let unit = 0
  let qty = 1
  let period: ContractPeriod = 'mensuel'
  let active = false
  let pending: { from: string; cents: number }[] = []
  let start = ''
  let end = ''
  const put = (from: string) => {
    const cents = monthlyCents(unit * qty, period)
    // Changes are kept sorted by day; a later change on the same day replaces it.
    pending = pending.filter((c) => c.from !== from)
    pending.push({ from, cents })
    pending.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
  }
  for (const e of events) {
    switch (e.type) {
      case 'ContractCreated':
        t = {
          contractId: e.data.id,
          organisationId: e.data.organisation_id,
          ownerId: e.data.owner_id,
          type: e.data.type,
          changes: [],
          firstDay: null,
          lastDay: null,
        }
        unit = e.data.unit_amount_cents
        qty = e.data.quantity
        period = e.data.amount_period
        start = e.data.start_date
        end = e.data.end_date
        active = e.data.status === 'actif'
        put(start)
        break
      case 'ContractUpdated': {
        if (!t) break
        const c = e.data.changes
        if (c.organisation_id) t.organisationId = c.organisation_id
        if (c.owner_id !== undefined) t.ownerId = c.owner_id
        if (c.type) t.type = c.type
        if (c.unit_amount_cents !== undefined) unit = c.unit_amount_cents
        if (c.quantity !== undefined) qty = c.quantity
        if (c.amount_period) period = c.amount_period
        if (c.start_date) start = c.start_date
        if (c.end_date) end = c.end_date
        // A draft's terms: one price from its start.
        if (!active) pending = []
        put(start)
        break
      }
      case 'ContractActivated':
        active = true
        break
      case 'ContractAmended':
        if (e.data.changes.unit_amount_cents !== undefined) unit = e.data.changes.unit_amount_cents
        if (e.data.changes.quantity !== undefined) qty = e.data.changes.quantity
        if (e.data.changes.end_date !== undefined) end = e.data.changes.end_date
        put(e.data.effective_date)
        break
      case 'ContractRenewed':
        unit = e.data.unit_amount_cents
        end = e.data.end_date
        put(e.data.start_date)
        break
      case 'ContractTerminated':
        end = e.data.effective_date < end ? e.data.effective_date : end
        break
      default:
        break
    }
  }
  if (!t) return null
  if (active) {
    t.changes = pending.filter((c) => c.from <= end)
    t.firstDay = start
    t.lastDay = end
  }
  return t
}

/** Cents a month in force on `day`. */
export function mrrOn(t: MrrTimeline, day: string): number {
  if (!t.firstDay || !t.lastDay || day < t.firstDay || day > t.lastDay) return 0
  let cents = 0
  for (const c of t.changes) if (c.from <= day) cents = c.cents
  return cents
}

export type MrrMonth = {
  /** 'YYYY-MM-01' */
  month: string
  start: number
  new: number
  expansion: number
  contraction: number
  churn: number
  reactivation: number
  end: number
  customers: number
  newCustomers: number
  churnedCustomers: number
}

/**
 * The MRR bridge per month from `from` to `to` (first days of months), per customer
 * (organisation): a customer from 0 to >0 is new (first time) or a reactivation; >0 to 0
 * churn; up expansion; down contraction. start + new + expansion − contraction − churn +
 * reactivation = end, by construction and checked in tests.
 */
export function mrrBridge(timelines: MrrTimeline[], from: string, to: string): MrrMonth[] {
  const byOrg = new Map<string, MrrTimeline[]>()
  let earliest = from
  for (const t of timelines) {
    if (!t.firstDay) continue
    if (t.firstDay < earliest) earliest = t.firstDay
    const list = byOrg.get(t.organisationId) ?? []
    list.push(t)
    byOrg.set(t.organisationId, list)
  }
  const orgMrr = (list: MrrTimeline[], day: string) => list.reduce((s, t) => s + mrrOn(t, day), 0)
  const months: MrrMonth[] = []
  // Customers seen paying before: a return is a reactivation, not new business.
  const seen = new Set<string>()
  const prevOf = new Map<string, number>()
  for (let m = `${earliest.slice(0, 7)}-01`; m <= to; m = addMonths(m, 1)) {
    const day = endOfMonth(m)
    const row: MrrMonth = {
      month: m,
      start: 0,
      new: 0,
      expansion: 0,
      contraction: 0,
      churn: 0,
      reactivation: 0,
      end: 0,
      customers: 0,
      newCustomers: 0,
      churnedCustomers: 0,
    }
    for (const [org, list] of byOrg) {
      const before = prevOf.get(org) ?? 0
      const now = orgMrr(list, day)
      row.start += before
      row.end += now
      if (now > 0) row.customers++
      if (before === 0 && now > 0) {
        if (seen.has(org)) row.reactivation += now
        else {
          row.new += now
          row.newCustomers++
        }
      } else if (before > 0 && now === 0) {
        row.churn += before
        row.churnedCustomers++
      } else if (now > before) row.expansion += now - before
      else if (now < before) row.contraction += before - now
      if (now > 0) seen.add(org)
      prevOf.set(org, now)
    }
    if (m >= from) months.push(row)
  }
  return months
}

/** start + new + expansion − contraction − churn + reactivation − end: 0 when the bridge holds. */
export const bridgeGap = (r: MrrMonth) => r.start + r.new + r.expansion - r.contraction - r.churn + r.reactivation - r.end

/** Ratios of one month: logo churn (customers lost / customers at start), revenue churn ((churn + contraction) / start), NRR ((start + expansion − contraction − churn) / start). */
export function monthRates(r: MrrMonth, customersAtStart: number) {
  return {
    logoChurn: customersAtStart ? r.churnedCustomers / customersAtStart : null,
    revenueChurn: r.start ? (r.churn + r.contraction) / r.start : null,
    nrr: r.start ? (r.start + r.expansion - r.contraction - r.churn) / r.start : null,
  }
}

/**
 * CLV = ARPA × average lifetime, ARPA = MRR / paying customers, average lifetime (months)
 * = 1 / average monthly logo churn. Null when nobody churned (the lifetime is unbounded).
 */
export function customerLifetimeValue(arpaCents: number, avgMonthlyLogoChurn: number | null): number | null {
  if (!avgMonthlyLogoChurn) return null
  return Math.round(arpaCents / avgMonthlyLogoChurn)
}
