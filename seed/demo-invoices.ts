import type { PaymentTermsCode } from '../domain/invoicing/invoice-rules.js'
import { streamRng, type Rng } from './prng.js'
import { DAY, HOUR, officeHours } from './seed-time.js'

// The demo's billing history, planned without a database: every deal won in the last
// 36 months is invoiced (big ones through a signed quote with a 30 % deposit), a few
// invoices are cancelled by a credit note, and each client pays as its own habit says
// (on time, a little late, late, very late, sometimes never). The plan is a list of
// dated operations the seed replays in time order through the invoicing commands, so the
// invoice numbers, the journal's entry numbers and the lettering follow the calendar.

export const INVOICE_MONTHS = 36

export type WonDeal = {
  id: string
  index: number
  organisationIndex: number
  organisationId: string
  contactId: string | null
  title: string
  amountCents: number
  wonAt: number
}

export type InvoiceOp =
  | {
      kind: 'invoice'
      at: number
      invoiceId: string
      dealId: string
      organisationId: string
      contactId: string | null
      title: string
      amountCents: number
      terms: PaymentTermsCode
    }
  | { kind: 'quote'; at: number; quoteId: string; dealId: string; organisationId: string; contactId: string; title: string; amountCents: number }
  | { kind: 'deposit'; at: number; invoiceId: string; quoteId: string; bps: number }
  | { kind: 'final'; at: number; invoiceId: string; quoteId: string }
  | { kind: 'credit'; at: number; creditNoteId: string; invoiceId: string }
  /** `share` of what is left to pay at that moment (1 = settles it). */
  | { kind: 'payment'; at: number; paymentId: string; invoiceId: string; share: number; method: string }

/** How a client pays, in days after the due date (negative: early). */
export type PayerHabit = {
  kind: 'ponctuel' | 'retard-leger' | 'retard' | 'mauvais-payeur'
  meanDelay: number
  spread: number
  neverPays: number
  terms: PaymentTermsCode
}

export function payerHabit(seed: number, organisationIndex: number): PayerHabit {
  const rng = streamRng(seed, 'payer', organisationIndex)
  const terms = rng.weighted<PaymentTermsCode>([
    ['30j', 55],
    ['45jfdm', 20],
    ['60j', 15],
    ['reception', 10],
  ])
  const kind = rng.weighted<PayerHabit['kind']>([
    ['ponctuel', 45],
    ['retard-leger', 30],
    ['retard', 17],
    ['mauvais-payeur', 8],
  ])
  switch (kind) {
    case 'ponctuel':
      return { kind, meanDelay: -1, spread: 3, neverPays: 0, terms }
    case 'retard-leger':
      return { kind, meanDelay: 12, spread: 7, neverPays: 0, terms }
    case 'retard':
      return { kind, meanDelay: 40, spread: 15, neverPays: 0.02, terms }
    case 'mauvais-payeur':
      return { kind, meanDelay: 95, spread: 35, neverPays: 0.2, terms }
  }
}

/** Days from issue to due date, near enough for planning (the command computes the real one). */
const TERM_DAYS: Record<PaymentTermsCode, number> = { reception: 0, '30j': 30, '45jfdm': 60, '60j': 60 }

const METHODS = [
  ['virement', 80],
  ['prelevement', 10],
  ['cheque', 8],
  ['carte', 2],
] as const

/**
 * The dated operations of the demo's invoicing, sorted by time. Deterministic for a
 * seed, an `asOf` and the won deals.
 */
export function planInvoices(o: { seed: number; asOf: number; wonDeals: readonly WonDeal[]; max: number }): InvoiceOp[] {
  const from = o.asOf - INVOICE_MONTHS * 30.44 * DAY
  const last = o.asOf - DAY
  const eligible = o.wonDeals.filter((d) => d.wonAt >= from && d.wonAt < last - 2 * DAY && d.amountCents > 0)
  // A deal's draw decides whether it is billed: the same deals whatever the others.
  const keep = Math.min(1, o.max / Math.max(1, eligible.length))
  const ops: InvoiceOp[] = []
  const push = (op: InvoiceOp) => {
    if (op.at < last) ops.push(op)
  }
  /** Payments of one invoice issued at `issuedAt`, due `termDays` later, by this payer. */
  const pay = (rng: Rng, invoiceId: string, issuedAt: number, termDays: number, habit: PayerHabit) => {
    if (rng.chance(habit.neverPays)) return
    const delay = Math.max(-termDays, Math.round(habit.meanDelay + habit.spread * rng.normal()))
    const paidAt = officeHours(issuedAt + (termDays + delay) * DAY, rng)
    const method = rng.weighted(METHODS)
    // One in ten pays in two instalments, the first half on the way.
    if (rng.chance(0.1)) {
      const firstAt = officeHours(issuedAt + Math.max(1, Math.round((termDays + delay) / 2)) * DAY, rng)
      if (firstAt < paidAt) push({ kind: 'payment', at: firstAt, paymentId: rng.uuid(), invoiceId, share: 0.5, method })
    }
    push({ kind: 'payment', at: Math.max(paidAt, issuedAt + HOUR), paymentId: rng.uuid(), invoiceId, share: 1, method })
  }
  for (const d of eligible) {
    const rng = streamRng(o.seed, 'invoice', d.index)
    if (o.max <= 0 || !rng.chance(keep)) continue
    const habit = payerHabit(o.seed, d.organisationIndex)
    // Big projects go through a signed quote with a 30 % deposit, then the balance.
    if (d.contactId && d.amountCents >= 1_000_000 && rng.chance(0.35)) {
      const quoteId = rng.uuid()
      push({
        kind: 'quote',
        at: d.wonAt,
        quoteId,
        dealId: d.id,
        organisationId: d.organisationId,
        contactId: d.contactId,
        title: d.title,
        amountCents: d.amountCents,
      })
      const depositId = rng.uuid()
      const depositAt = officeHours(d.wonAt + DAY, rng)
      push({ kind: 'deposit', at: depositAt, invoiceId: depositId, quoteId, bps: 3_000 })
      pay(rng, depositId, depositAt, 0, { ...habit, meanDelay: 6, spread: 3, neverPays: 0 })
      const finalId = rng.uuid()
      const finalAt = officeHours(d.wonAt + rng.int(30, 75) * DAY, rng)
      push({ kind: 'final', at: finalAt, invoiceId: finalId, quoteId })
      // The balance invoices take the workspace's default terms (30 days).
      pay(rng, finalId, finalAt, 30, habit)
      continue
    }
    const invoiceId = rng.uuid()
    const issuedAt = officeHours(d.wonAt + rng.int(1, 10) * DAY, rng)
    push({
      kind: 'invoice',
      at: issuedAt,
      invoiceId,
      dealId: d.id,
      organisationId: d.organisationId,
      contactId: d.contactId,
      title: d.title,
      amountCents: d.amountCents,
      terms: habit.terms,
    })
    // A few are cancelled by a credit note (wrong entity, order withdrawn).
    if (rng.chance(0.03)) {
      push({ kind: 'credit', at: officeHours(issuedAt + rng.int(3, 20) * DAY, rng), creditNoteId: rng.uuid(), invoiceId })
      continue
    }
    pay(rng, invoiceId, issuedAt, TERM_DAYS[habit.terms], habit)
  }
  // Time order; ties (never in practice) by kind so a deposit precedes its balance.
  return ops.sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind))
}
