import { computeTotals } from '../sales/quote-totals.js'
import type { CompanySettings } from '../sales/company-settings.js'
import { INVOICE_DOCUMENT_FORMAT, type DeductedDeposit, type InvoiceDocument, type PostalAddress } from './invoice-document.js'
import type { InvoiceState } from './invoice.js'
import { NO_EARLY_PAYMENT_DISCOUNT, PAYMENT_TERMS, RECOVERY_INDEMNITY_CENTS } from './invoice-rules.js'

// The frozen InvoiceDocument, built by the issue command from what it read in its
// transaction: the draft, the seller's settings, the buyer as it is that day.

export type BuyerRecord = {
  id: string
  name: string
  siren: string | null
  siret: string | null
  vat_number: string | null
  address: string | null
  postal_code: string | null
  city: string | null
}

export type ContactRecord = { name: string; email: string | null } | null

const address = (line1: string | null, postal: string | null, city: string | null): PostalAddress => ({
  line1: line1?.trim() || null,
  line2: null,
  postal_code: postal?.trim() || null,
  city: city?.trim() || null,
  country: 'FR',
})

export function buildInvoiceDocument(input: {
  invoice: InvoiceState
  number: string
  issueDate: string
  issuedAt: Date
  dueDate: string
  company: CompanySettings
  buyer: BuyerRecord
  contact: ContactRecord
  deposits: DeductedDeposit[]
  categories: Map<string, string | null>
  quoteNumber: string | null
  preceding: InvoiceDocument['preceding_invoice']
}): InvoiceDocument {
  const { invoice: s, company: c, buyer: b } = input
  const totals = computeTotals(s.lines, s.global_discount)
  const { lines: lineTotals, ...docTotals } = totals
  const delivery = s.delivery_address
  return {
    format: INVOICE_DOCUMENT_FORMAT,
    invoice_id: s.id,
    type_code: s.type_code,
    number: input.number,
    issue_date: input.issueDate,
    issued_at: input.issuedAt.toISOString(),
    delivery_date: s.delivery_date ?? input.issueDate,
    due_date: input.dueDate,
    currency: 'EUR',
    operation_category: s.operation_category,
    vat_on_debits: s.vat_on_debits,
    seller: {
      workspace_id: s.workspace_id,
      name: c.company_name,
      legal_form: c.legal_form,
      share_capital_cents: c.share_capital_cents === null ? null : Number(c.share_capital_cents),
      siren: c.siren,
      siret: c.siret,
      rcs_city: c.rcs_city,
      vat_number: c.vat_number,
      address: address(c.address, c.postal_code, c.city),
      email: c.email,
      phone: c.phone,
      iban: c.iban,
      bic: c.bic,
      vat_franchise: c.vat_franchise,
      logo_sha256: c.logo_sha256,
      brand_color: c.brand_color,
    },
    buyer: {
      organisation_id: b.id,
      name: b.name,
      siren: b.siren,
      siret: b.siret,
      vat_number: b.vat_number,
      billing_address: address(b.address, b.postal_code, b.city),
      delivery_address: delivery
        ? { line1: delivery.line1, line2: null, postal_code: delivery.postal_code, city: delivery.city, country: delivery.country || 'FR' }
        : null,
      customer_code: null,
      contact_name: input.contact?.name ?? null,
      email: input.contact?.email ?? null,
    },
    lines: s.lines.map((l, i) => ({
      position: i + 1,
      product_id: l.product_id,
      code: l.code,
      description: l.description,
      unit: l.unit,
      quantity: l.quantity,
      unit_price_cents: l.unit_price_cents,
      discount: l.discount,
      vat_rate: l.vat_rate,
      vat_exemption: l.vat_exemption,
      category: l.product_id ? (input.categories.get(l.product_id) ?? null) : null,
      ...lineTotals[i],
    })),
    global_discount: s.global_discount,
    totals: docTotals,
    deducted_deposits: input.deposits,
    amount_due_cents: Math.max(0, docTotals.total_ttc_cents - input.deposits.reduce((n, d) => n + d.total_ttc_cents, 0)),
    deposit_bps: s.deposit_bps,
    payment_terms: PAYMENT_TERMS[s.payment_terms_code],
    late_penalty_rate_bps: s.late_penalty_rate_bps,
    recovery_indemnity_cents: RECOVERY_INDEMNITY_CENTS,
    early_payment_discount: s.early_payment_discount ?? NO_EARLY_PAYMENT_DISCOUNT,
    buyer_order_reference: s.buyer_order_reference,
    contract_reference: null,
    quote_number: input.quoteNumber,
    preceding_invoice: input.preceding,
    notes: s.notes,
  }
}

/** A deposit invoice as a final invoice lists it (its VAT per rate is deducted too). */
export function deductedDeposit(d: InvoiceDocument): DeductedDeposit {
  return {
    invoice_id: d.invoice_id,
    number: d.number,
    issue_date: d.issue_date,
    total_ht_cents: d.totals.total_ht_cents,
    total_vat_cents: d.totals.total_vat_cents,
    total_ttc_cents: d.totals.total_ttc_cents,
    vat: d.totals.vat.map((g) => ({ rate: g.rate, base_cents: g.base_cents, vat_cents: g.vat_cents })),
  }
}
