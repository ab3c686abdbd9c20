import type { ContractPeriod } from '../../db/schema.js'
import { addDays, addMonths, endOfMonth } from '../shared/paris-time.js'
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

/** How a term ended: renewed (tacitly or not), expired, or terminated. */
export type TermOutcome = 'renouvele' | 'expire' | 'resilie'

/** One contract's MRR history: from each day on, this many cents a month, until `lastDay` (null: not running). */
export type MrrTimeline = {
  contractId: string
  organisationId: string
  ownerId: string | null
  type: string
  changes: { from: string; cents: number }[]
  firstDay: string | null
  lastDay: string | null
  /** Each term that ended, on the day it ended (a termination: its effective day, or the term's end if earlier). */
  termEnds: { day: string; outcome: TermOutcome }[]
}

/**
 * What the MRR fold carries between events (the contract's terms as far as MRR goes).
 * Plain JSON: the ClickHouse read model stores it beside the timeline it derives, so the
 * projector folds the next event from it without replaying the stream.
 */
export type MrrFold = {
  contractId: string
  organisationId: string
  ownerId: string | null
  type: string
  unit: number
  qty: number
  period: ContractPeriod
  active: boolean
  start: string
  end: string
  /** [day, cents a month from that day], sorted by day, one per day. */
  pending: [string, number][]
  termEnds: [string, TermOutcome][]
}

/** The fold after one more event of the contract (oldest first); null before its creation. */
export function foldMrr(state: MrrFold | null, e: ContractEvent): MrrFold | null {
  if (e.type === 'ContractCreated') {
    const d = e.data
    const s: MrrFold = {
      contractId: d.id,
      organisationId: d.organisation_id,
      ownerId: d.owner_id,
      type: d.type,
      unit: d.unit_amount_cents,
      qty: d.quantity,
      period: d.amount_period,
      active: d.status === 'actif',
      start: d.start_date,
      end: d.end_date,
      pending: [],
      termEnds: [],
    }
    return put(s, s.start)
  }
  if (!state) return null
  const s: MrrFold = { ...state, pending: state.pending, termEnds: state.termEnds }
  switch (e.type) {
    case 'ContractUpdated': {
      const c = e.data.changes
      if (c.organisation_id) s.organisationId = c.organisation_id
      if (c.owner_id !== undefined) s.ownerId = c.owner_id
      if (c.type) s.type = c.type
      if (c.unit_amount_cents !== undefined) s.unit = c.unit_amount_cents
      if (c.quantity !== undefined) s.qty = c.quantity
      if (c.amount_period) s.period = c.amount_period
      if (c.start_date) s.start = c.start_date
      if (c.end_date) s.end = c.end_date
      // A draft's terms: one price from its start.
      if (!s.active) s.pending = []
      return put(s, s.start)
    }
    case 'ContractActivated':
      s.active = true
      return s
    case 'ContractAmended':
      if (e.data.changes.unit_amount_cents !== undefined) s.unit = e.data.changes.unit_amount_cents
      if (e.data.changes.quantity !== undefined) s.qty = e.data.changes.quantity
      if (e.data.changes.end_date !== undefined) s.end = e.data.changes.end_date
      return put(s, e.data.effective_date)
    case 'ContractRenewed':
      if (s.active) s.termEnds = [...s.termEnds, [addDays(e.data.start_date, -1), 'renouvele']]
      s.unit = e.data.unit_amount_cents
      s.end = e.data.end_date
      return put(s, e.data.start_date)
    case 'ContractTerminated': {
      const last = e.data.effective_date < s.end ? e.data.effective_date : s.end
      if (s.active) s.termEnds = [...s.termEnds, [last, 'resilie']]
      s.end = last
      return s
    }
    case 'ContractExpired':
      if (s.active) s.termEnds = [...s.termEnds, [e.data.end_date, 'expire']]
      return s
    default:
      return s
  }
}

/** Sets the price in force from `from` (a later change on the same day replaces it). */
function put(s: MrrFold, from: string): MrrFold {
  const cents = monthlyCents(s.unit * s.qty, s.period)
  const pending = s.pending.filter((c) => c[0] !== from)
  pending.push([from, cents])
  pending.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  s.pending = pending
  return s
}

/** The timeline a fold stands for. */
export function timelineOf(s: MrrFold): MrrTimeline {
  const running = s.active
  return {
    contractId: s.contractId,
    organisationId: s.organisationId,
    ownerId: s.ownerId,
    type: s.type,
    changes: running ? s.pending.filter((c) => c[0] <= s.end).map(([from, cents]) => ({ from, cents })) : [],
    firstDay: running ? s.start : null,
    lastDay: running ? s.end : null,
    termEnds: s.termEnds.map(([day, outcome]) => ({ day, outcome })),
  }
}

/** Folds one contract's events (oldest first) into its MRR timeline. */
export function mrrTimeline(events: ContractEvent[]): MrrTimeline | null {
  let s: MrrFold | null = null
  for (const e of events) s = foldMrr(s, e)
  return s ? timelineOf(s) : null
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
  /** Paying customers at the month's start (the end of the month before). */
  startCustomers: number
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
      startCustomers: 0,
      newCustomers: 0,
      churnedCustomers: 0,
    }
    for (const [org, list] of byOrg) {
      const before = prevOf.get(org) ?? 0
      const now = orgMrr(list, day)
      row.start += before
      row.end += now
      if (now > 0) row.customers++
      if (before > 0) row.startCustomers++
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
export function monthRates(r: MrrMonth) {
  return {
    logoChurn: r.startCustomers ? r.churnedCustomers / r.startCustomers : null,
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
