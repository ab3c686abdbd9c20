import { DomainError, ValidationError, type FieldProblems } from '../shared/errors.js'
import { addDays, daysBetween, endOfMonth } from '../shared/paris-time.js'
import { divRoundHalfUp } from '../sales/money.js'
import { hasControlCharacters, TEXT_LIMITS } from '../shared/user-text.js'
import type { QuoteLine } from '../sales/quote.js'
import type { VatRate } from '../sales/vat.js'
import type { OperationCategory } from './invoice-document.js'

// Pure rules of French invoicing: numbering patterns, payment terms and due dates, the
// late-payment mentions (Code de commerce L441-10, D441-5), the statuses a person sees
// and the deposit arithmetic. No database here.

/** Default "2026-F-0042": one series per year, gapless. */
export const DEFAULT_NUMBER_PATTERN = '{YYYY}-F-{NNNN}'

/**
 * The legal interest rate for professional creditors (taux de l'intérêt légal, second
 * half of 2025: 3,16 %, arrêté of June 2025) in basis points. The penalty rate's default
 * is three times it (L441-10: "ne peut être inférieur à trois fois le taux d'intérêt
 * légal"); it changes every half-year, so the workspace's rate is editable.
 */
export const LEGAL_INTEREST_RATE_BPS = 316
export const DEFAULT_LATE_PENALTY_RATE_BPS = 3 * LEGAL_INTEREST_RATE_BPS
/** Indemnité forfaitaire pour frais de recouvrement (art. D441-5). */
export const RECOVERY_INDEMNITY_CENTS = 4000
export const NO_EARLY_PAYMENT_DISCOUNT = "Pas d'escompte pour paiement anticipé"

export const OPERATION_CATEGORIES: OperationCategory[] = ['services', 'goods', 'mixed']
export const OPERATION_CATEGORY_LABELS: Record<OperationCategory, string> = {
  goods: 'Livraison de biens',
  services: 'Prestation de services',
  mixed: 'Mixte (biens et services)',
}

export const PAYMENT_TERMS = {
  reception: 'À réception de facture',
  '30j': '30 jours à compter de la date de facture',
  '45jfdm': '45 jours fin de mois',
  '60j': '60 jours à compter de la date de facture',
} as const
export type PaymentTermsCode = keyof typeof PAYMENT_TERMS
export const PAYMENT_TERMS_CODES = Object.keys(PAYMENT_TERMS) as PaymentTermsCode[]
export const isPaymentTermsCode = (v: unknown): v is PaymentTermsCode => typeof v === 'string' && Object.hasOwn(PAYMENT_TERMS, v)

/**
 * The due date of an invoice issued on `issueDay` (YYYY-MM-DD). "45 jours fin de mois"
 * is counted as 45 days, then the end of that month (the DGCCRF reads both ways; this
 * one is the more common and never shorter than 45 days).
 */
export function dueDate(issueDay: string, terms: PaymentTermsCode): string {
  switch (terms) {
    case 'reception':
      return issueDay
    case '30j':
      return addDays(issueDay, 30)
    case '45jfdm':
      return endOfMonth(addDays(issueDay, 45))
    case '60j':
      return addDays(issueDay, 60)
  }
}

// ---- Numbering ----

const PATTERN_TOKEN = /\{(YYYY|YY|N{3,8})\}/g

/** A pattern has one year token and one rank token ({NNN} to {NNNNNNNN}), printable characters otherwise. */
export function checkNumberPattern(pattern: string): string {
  const p = pattern.trim()
  const tokens = [...p.matchAll(PATTERN_TOKEN)].map((m) => m[1])
  const years = tokens.filter((t) => t.startsWith('Y')).length
  const ranks = tokens.filter((t) => t.startsWith('N')).length
  const rest = p.replace(PATTERN_TOKEN, '')
  if (!p || p.length > 40 || years !== 1 || ranks !== 1 || !/^[A-Za-z0-9\-_/. ]*$/.test(rest))
    throw new ValidationError({ number_pattern: 'invoice.number_pattern.invalid' })
  return p
}

/** formatNumber('{YYYY}-F-{NNNN}', 2026, 42) → "2026-F-0042"; more digits past the padding. */
export function formatInvoiceNumber(pattern: string, year: number, sequence: number): string {
  return pattern.replace(PATTERN_TOKEN, (_, t: string) => {
    if (t === 'YYYY') return String(year)
    if (t === 'YY') return String(year % 100).padStart(2, '0')
    return String(sequence).padStart(t.length, '0')
  })
}

// ---- Statuses ----

export type InvoiceDisplayStatus = 'brouillon' | 'non_payee' | 'partiellement_payee' | 'payee' | 'en_retard' | 'annulee' | 'avoir'
export const DISPLAY_STATUS_LABELS: Record<InvoiceDisplayStatus, string> = {
  brouillon: 'Brouillon',
  non_payee: 'Non payée',
  partiellement_payee: 'Partiellement payée',
  payee: 'Payée',
  en_retard: 'En retard',
  annulee: 'Annulée',
  avoir: 'Avoir émis',
}

export const INVOICE_FILTER_STATUSES: InvoiceDisplayStatus[] = ['brouillon', 'non_payee', 'partiellement_payee', 'payee', 'en_retard', 'annulee', 'avoir']
export const isDisplayStatus = (v: unknown): v is InvoiceDisplayStatus => typeof v === 'string' && (INVOICE_FILTER_STATUSES as string[]).includes(v)

type StatusInput = {
  status: 'brouillon' | 'emise' | 'annulee'
  type_code: string
  amount_due_cents: number
  paid_cents: number
  credited_cents: number
  due_date: string | null
}

/** What is left to pay: the amount due, less credit notes and payments (never below 0). */
export const remainingCents = (i: Pick<StatusInput, 'amount_due_cents' | 'paid_cents' | 'credited_cents'>) =>
  Math.max(0, Number(i.amount_due_cents) - Number(i.credited_cents) - Number(i.paid_cents))

/**
 * The status a person sees, on `today` (Paris day): late is computed from the due date,
 * never stored, so it needs no job to become true. A credit note is "Avoir émis".
 */
export function displayStatus(i: StatusInput, today: string): InvoiceDisplayStatus {
  if (i.status === 'brouillon') return 'brouillon'
  if (i.status === 'annulee') return 'annulee'
  if (i.type_code === '381') return 'avoir'
  if (remainingCents(i) === 0) return 'payee'
  if (i.due_date && today > i.due_date) return 'en_retard'
  return Number(i.paid_cents) > 0 ? 'partiellement_payee' : 'non_payee'
}

// ---- Late-payment penalty ----

/**
 * Penalties on `remaining` from the day after the due date to `today`, simple interest
 * at `rateBps` a year over 365 days, rounded half up to the cent.
 */
export function latePenaltyCents(remaining: number, rateBps: number, dueDay: string, today: string): number {
  const days = Math.max(0, daysBetween(dueDay, today))
  if (!days || remaining <= 0) return 0
  return Number(divRoundHalfUp(BigInt(remaining) * BigInt(rateBps) * BigInt(days), 10_000n * 365n))
}

// ---- Draft fields ----

export type DeliveryAddress = { line1: string; postal_code: string; city: string; country: string }

export type InvoiceFields = {
  organisation_id: string
  contact_id: string | null
  delivery_date: string | null
  payment_terms_code: PaymentTermsCode
  late_penalty_rate_bps: number
  early_payment_discount: string | null
  operation_category: OperationCategory
  vat_on_debits: boolean
  buyer_order_reference: string | null
  delivery_address: DeliveryAddress | null
  notes: string | null
}

const clean = (s: string | null | undefined) => (s ?? '').trim().replace(/[ \t]+/g, ' ')

/** The conditions of a draft, checked and cleaned (errors by field). */
export function validateInvoiceFields(f: InvoiceFields): InvoiceFields {
  const errors: FieldProblems = {}
  if (!isPaymentTermsCode(f.payment_terms_code)) errors.payment_terms_code = 'invoice.payment_terms.invalid'
  if (!Number.isInteger(f.late_penalty_rate_bps) || f.late_penalty_rate_bps < 0 || f.late_penalty_rate_bps > 100_000)
    errors.late_penalty_rate_bps = 'invoice.penalty_rate.invalid'
  if (!OPERATION_CATEGORIES.includes(f.operation_category)) errors.operation_category = 'invoice.operation_category.invalid'
  if (f.delivery_date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(f.delivery_date)) errors.delivery_date = 'invoice.date.invalid'
  const text = (name: keyof InvoiceFields, v: string | null, max: number, multiline = false) => {
    const c = multiline ? (v ?? '').replace(/\r\n/g, '\n').trim() : clean(v)
    if (!c) return null
    if (hasControlCharacters(c, multiline)) errors[name] = 'text.control_characters'
    else if (c.length > max) errors[name] = { code: 'text.too_long', params: { max } }
    return c
  }
  const early = text('early_payment_discount', f.early_payment_discount, 500)
  const ref = text('buyer_order_reference', f.buyer_order_reference, 100)
  const notes = text('notes', f.notes, TEXT_LIMITS.description, true)
  let delivery: DeliveryAddress | null = null
  if (f.delivery_address && (clean(f.delivery_address.line1) || clean(f.delivery_address.city))) {
    delivery = {
      line1: clean(f.delivery_address.line1),
      postal_code: clean(f.delivery_address.postal_code),
      city: clean(f.delivery_address.city),
      country: clean(f.delivery_address.country).toUpperCase() || 'FR',
    }
    if (!delivery.line1 || !delivery.city || !delivery.postal_code) errors.delivery_address = 'invoice.delivery_address.incomplete'
    else if ([delivery.line1, delivery.city, delivery.postal_code].some((x) => x.length > 200 || hasControlCharacters(x, false)))
      errors.delivery_address = 'invoice.delivery_address.incomplete'
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return { ...f, early_payment_discount: early, buyer_order_reference: ref, notes, delivery_address: delivery }
}

// ---- Payments ----

export const PAYMENT_METHODS = ['virement', 'cheque', 'carte', 'prelevement', 'especes'] as const
export const PAYMENT_METHOD_LABELS: Record<(typeof PAYMENT_METHODS)[number], string> = {
  virement: 'Virement',
  cheque: 'Chèque',
  carte: 'Carte bancaire',
  prelevement: 'Prélèvement',
  especes: 'Espèces',
}

/** A payment must be positive and at most what is left to pay (an over-payment is refused, in French, with the figure). */
export function checkPayment(remaining: number, amount: number) {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new ValidationError({ amount: 'invoice.payment.amount.invalid' })
  if (amount > remaining) throw new DomainError({ code: 'invoice.payment.overpaid', params: { remaining: { decimal: remaining / 100, digits: 2 } } }, 'amount')
}

// ---- Deposits ----

/**
 * The lines of a deposit invoice (acompte) of `bps` on a quote: one line per VAT rate of
 * the quote, at that share of the rate's taxable base (after discounts), so the deposit
 * carries the same VAT split as the order and the final invoice can deduct it rate by rate.
 */
export function depositLines(groups: { rate: VatRate; exemption: string | null; base_cents: number }[], bps: number, quoteNumber: string): QuoteLine[] {
  if (!Number.isInteger(bps) || bps <= 0 || bps >= 10_000) throw new ValidationError({ deposit_percent: 'invoice.deposit.percent.invalid' })
  const pct = `${bps / 100}`.replace('.', ',')
  return groups
    .filter((g) => g.base_cents > 0)
    .map((g) => ({
      product_id: null,
      code: null,
      description: `Acompte de ${pct} % sur le devis ${quoteNumber}${groups.length > 1 ? ` (TVA ${g.rate / 100} %)`.replace('.', ',') : ''}`,
      unit: null,
      quantity: '1',
      unit_price_cents: Number(divRoundHalfUp(BigInt(g.base_cents) * BigInt(bps), 10_000n)),
      discount: null,
      vat_rate: g.rate,
      vat_exemption: g.exemption,
    }))
}
