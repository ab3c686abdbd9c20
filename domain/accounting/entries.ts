import type { InvoiceDocument } from '../invoicing/invoice-document.js'
import { accountLabel, revenueAccountFor, type ChartOfAccounts, type Journal } from './chart.js'

// Pure builders of journal entries from what the invoicing side freezes: an issued
// invoice document (sales journal) and a recorded payment (bank journal). Amounts in
// integer cents; every entry balances by construction (the revenue lines share the
// document's HT total by largest remainder, so no cent is lost to rounding).

export type EntryLine = {
  account: string
  account_label: string
  aux_account: string | null
  aux_label: string | null
  label: string
  debit_cents: number
  credit_cents: number
  /** On a 411 line: the invoice number it belongs to, for the lettering. */
  match_ref: string | null
}

export type JournalEntryDraft = {
  journal: Journal
  entry_date: string
  piece_ref: string
  piece_date: string
  label: string
  source_kind: 'invoice' | 'payment' | 'manual'
  source_id: string
  lines: EntryLine[]
}

export type PaymentMethod = 'transfer' | 'card' | 'cheque' | 'cash' | 'direct_debit' | string

export type RecordedPayment = {
  id: string
  invoice_number: string
  customer_code: string | null
  customer_name: string
  /** Day the money arrived (YYYY-MM-DD). */
  date: string
  /** Positive for money received; negative for a refund. */
  amount_cents: number
  method: PaymentMethod
}

const METHOD_WORDS: Record<string, string> = {
  transfer: 'virement',
  card: 'carte',
  cheque: 'chèque',
  cash: 'espèces',
  direct_debit: 'prélèvement',
  // The invoicing module's codes (domain/invoicing/invoice-rules.ts PAYMENT_METHODS).
  virement: 'virement',
  carte: 'carte',
  especes: 'espèces',
  prelevement: 'prélèvement',
}

/** The client's auxiliary account: its accounting code, else the prefix and a stable short id. */
export function customerAux(chart: ChartOfAccounts, code: string | null, fallbackId: string): string {
  if (code && code.trim()) return code.trim()
  return `${chart.aux_prefix}${fallbackId.replace(/-/g, '').slice(0, 8).toUpperCase()}`
}

/** Splits `total` over `weights` in proportion, by largest remainder: the parts add up exactly. */
export function shareByWeight(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (weights.length === 0) return []
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0))
  const raw = weights.map((w) => (total * w) / sum)
  const parts = raw.map((r) => Math.floor(r))
  let rest = total - parts.reduce((a, b) => a + b, 0)
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i)
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k].i] += 1
  return parts
}

/** A signed amount on one side: positive → debit, negative → credit. */
function sided(amount: number): { debit_cents: number; credit_cents: number } {
  return amount >= 0 ? { debit_cents: amount, credit_cents: 0 } : { debit_cents: 0, credit_cents: -amount }
}

/**
 * The sales-journal entry of an issued invoice: the client (411 + auxiliary) debited
 * TTC; revenue (706/707 per line category) or, on a deposit invoice (386), 4191 credited
 * HT; collected VAT per rate credited. A final invoice takes back its deducted deposits
 * (4191 debited HT, their VAT off each rate) and charges the client only what remains.
 * A credit note (381) is the same entry with every side reversed.
 */
export function salesEntryFor(doc: InvoiceDocument, chart: ChartOfAccounts): JournalEntryDraft {
  const sign = doc.type_code === '381' ? -1 : 1
  const aux = customerAux(chart, doc.buyer.customer_code, doc.buyer.organisation_id ?? doc.invoice_id)
  const kind = doc.type_code === '381' ? 'Avoir' : doc.type_code === '386' ? 'Acompte' : 'Facture'
  const label = `${kind} ${doc.number} ${doc.buyer.name}`
  const lines: EntryLine[] = []
  const push = (account: string, signed: number, extra: Partial<EntryLine> = {}) => {
    if (signed === 0) return
    lines.push({
      account,
      account_label: accountLabel(chart, account),
      aux_account: null,
      aux_label: null,
      label,
      match_ref: null,
      ...sided(sign * signed),
      ...extra,
    })
  }
  const deducted = doc.deducted_deposits
  const deductedTtc = deducted.reduce((a, d) => a + d.total_ttc_cents, 0)
  // The client: what this document leaves to pay. A credit note settles the invoice it corrects.
  push(chart.customers, doc.totals.total_ttc_cents - deductedTtc, {
    aux_account: aux,
    aux_label: doc.buyer.name,
    match_ref: doc.type_code === '381' && doc.preceding_invoice ? doc.preceding_invoice.number : doc.number,
  })
  for (const d of deducted) push(chart.deposits, d.total_ht_cents, { label: `Reprise acompte ${d.number} ${doc.buyer.name}` })
  if (doc.type_code === '386') {
    push(chart.deposits, -doc.totals.total_ht_cents)
  } else {
    // Revenue by account: the lines' net shares of the HT total (after the global discount).
    const byAccount = new Map<string, number>()
    for (const l of doc.lines) {
      const acc = revenueAccountFor(chart, l.category)
      byAccount.set(acc, (byAccount.get(acc) ?? 0) + l.net_cents)
    }
    const accounts = [...byAccount.keys()]
    const parts = shareByWeight(
      doc.totals.total_ht_cents,
      accounts.map((a) => byAccount.get(a)!),
    )
    accounts.forEach((acc, i) => push(acc, -parts[i]))
  }
  for (const rate of vatByRate(doc)) push((chart.vat_collected as Record<string, string>)[`${rate.rate}`] ?? '44571', -rate.vat_cents)
  return {
    journal: chart.sales_journal,
    entry_date: doc.issue_date,
    piece_ref: doc.number,
    piece_date: doc.issue_date,
    label,
    source_kind: 'invoice',
    source_id: doc.invoice_id,
    lines,
  }
}

/**
 * The VAT this document itself collects, per rate: its VAT minus, on a final invoice,
 * the VAT its deducted deposits already collected. Positive on every document type (a
 * credit note's reversal is the entry's business).
 */
export function vatByRate(doc: InvoiceDocument): { rate: number; vat_cents: number }[] {
  const by = new Map<number, number>()
  for (const g of doc.totals.vat) by.set(g.rate, (by.get(g.rate) ?? 0) + g.vat_cents)
  for (const d of doc.deducted_deposits) for (const g of d.vat) by.set(g.rate, (by.get(g.rate) ?? 0) - g.vat_cents)
  return [...by.entries()].sort((a, b) => b[0] - a[0]).map(([rate, vat_cents]) => ({ rate, vat_cents }))
}

/** The bank-journal entry of a payment received: bank (512) debited, the client (411) credited. */
export function bankEntryFor(payment: RecordedPayment, chart: ChartOfAccounts): JournalEntryDraft {
  const aux = customerAux(chart, payment.customer_code, payment.id)
  const how = METHOD_WORDS[payment.method] ?? payment.method
  const label = `Règlement ${payment.invoice_number} ${payment.customer_name} (${how})`
  const line = (account: string, signed: number, extra: Partial<EntryLine> = {}): EntryLine => ({
    account,
    account_label: accountLabel(chart, account),
    aux_account: null,
    aux_label: null,
    label,
    match_ref: null,
    ...sided(signed),
    ...extra,
  })
  return {
    journal: chart.bank_journal,
    entry_date: payment.date,
    piece_ref: payment.invoice_number,
    piece_date: payment.date,
    label,
    source_kind: 'payment',
    source_id: payment.id,
    lines: [
      line(chart.bank, payment.amount_cents),
      line(chart.customers, -payment.amount_cents, { aux_account: aux, aux_label: payment.customer_name, match_ref: payment.invoice_number }),
    ],
  }
}

/** Debits equal credits, something is moved, and no line is on both sides. */
export function isBalanced(lines: Pick<EntryLine, 'debit_cents' | 'credit_cents'>[]): boolean {
  const d = lines.reduce((a, l) => a + l.debit_cents, 0)
  const c = lines.reduce((a, l) => a + l.credit_cents, 0)
  return lines.length >= 2 && d === c && d > 0 && lines.every((l) => Number.isInteger(l.debit_cents) && Number.isInteger(l.credit_cents))
}
