import type { Discount, DocumentTotals, LineTotals } from '../sales/quote-totals.js'
import type { VatRate } from '../sales/vat.js'

// The issued invoice as frozen at the moment it gets its number: everything the PDF, the
// Factur-X XML (EN 16931) and the accounting entries read. Built once by the issue command
// in the same transaction as the number, stored with the invoice and in its InvoiceIssued
// event, never recomputed: the PDF rendered later from it is byte-identical on every
// download, and the law's mentions are the ones in force on the day of issue.

export const INVOICE_DOCUMENT_FORMAT = 'alforis/invoice@1'

/**
 * UNTDID 1001 document type codes used by Factur-X: 380 commercial invoice, 386 deposit
 * (acompte) invoice, 381 credit note (avoir).
 */
export type InvoiceTypeCode = '380' | '386' | '381'

/** Catégorie de l'opération (réforme de la facturation électronique). */
export type OperationCategory = 'goods' | 'services' | 'mixed'

export type PostalAddress = {
  line1: string | null
  line2: string | null
  postal_code: string | null
  city: string | null
  /** ISO 3166-1 alpha-2; 'FR' by default. */
  country: string
}

export type InvoiceSeller = {
  workspace_id: string
  name: string
  legal_form: string | null
  share_capital_cents: number | null
  siren: string | null
  siret: string | null
  /** "RCS Lyon 123 456 789": the city of the register. */
  rcs_city: string | null
  vat_number: string | null
  address: PostalAddress
  email: string | null
  phone: string | null
  iban: string | null
  bic: string | null
  /** Franchise en base de TVA (art. 293 B du CGI): no VAT charged. */
  vat_franchise: boolean
  logo_sha256: string | null
  brand_color: string
}

export type InvoiceBuyer = {
  organisation_id: string | null
  name: string
  /** Required in B2B under the reform (scheme 0002 in the XML). */
  siren: string | null
  siret: string | null
  vat_number: string | null
  billing_address: PostalAddress
  /** Only when different from the billing address. */
  delivery_address: PostalAddress | null
  /** Accounting code of the customer (411 auxiliary account), e.g. "C00042". */
  customer_code: string | null
  contact_name: string | null
  email: string | null
}

export type InvoiceDocumentLine = {
  position: number
  product_id: string | null
  code: string | null
  description: string
  /** Free unit label as typed ("jour", "licence"); the XML maps it to a UN/ECE rec 20 code. */
  unit: string | null
  /** Decimal string, up to 3 decimals; negative on nothing: credit notes carry positive lines and type 381. */
  quantity: string
  unit_price_cents: number
  discount: Discount | null
  vat_rate: VatRate
  vat_exemption: string | null
  /** Product category for the revenue account (706/707…) of the accounting export. */
  category: string | null
} & LineTotals

/** A deposit invoice deducted on a final invoice (its own VAT per rate is deducted too). */
export type DeductedDeposit = {
  invoice_id: string
  number: string
  issue_date: string
  total_ht_cents: number
  total_vat_cents: number
  total_ttc_cents: number
  vat: { rate: VatRate; base_cents: number; vat_cents: number }[]
}

export type InvoiceDocument = {
  format: typeof INVOICE_DOCUMENT_FORMAT
  invoice_id: string
  type_code: InvoiceTypeCode
  /** Legal number, e.g. "2026-F-0042"; given at issue, gapless within its series. */
  number: string
  /** Day of issue, Paris calendar (YYYY-MM-DD), and the instant (ISO). */
  issue_date: string
  issued_at: string
  /** Date of the sale or end of the service (YYYY-MM-DD). */
  delivery_date: string | null
  due_date: string
  currency: 'EUR'
  operation_category: OperationCategory
  /** "Option pour le paiement de la TVA d'après les débits". */
  vat_on_debits: boolean
  seller: InvoiceSeller
  buyer: InvoiceBuyer
  lines: InvoiceDocumentLine[]
  global_discount: Discount | null
  totals: Omit<DocumentTotals, 'lines'>
  /** On a final invoice: the deposits it deducts, and what remains to pay. */
  deducted_deposits: DeductedDeposit[]
  /** TTC minus deposits already paid/invoiced: the amount due on this document. */
  amount_due_cents: number
  /** On a deposit invoice: the share of the order, in basis points (3000 = 30 %). */
  deposit_bps: number | null
  /** Human wording printed and put in the XML (PMT note), e.g. "30 jours fin de mois". */
  payment_terms: string
  /** Late-payment penalty rate in basis points per year (e.g. 3 × legal rate). */
  late_penalty_rate_bps: number
  /** 4000 cents: indemnité forfaitaire pour frais de recouvrement (art. D441-5). */
  recovery_indemnity_cents: number
  /** Early-payment discount wording, or "Pas d'escompte pour paiement anticipé". */
  early_payment_discount: string
  /** References: the buyer's order (BT-13), the contract (BT-12), the quote. */
  buyer_order_reference: string | null
  contract_reference: string | null
  quote_number: string | null
  /** On a credit note: the invoice it corrects (BT-25/BT-26). */
  preceding_invoice: { invoice_id: string; number: string; issue_date: string } | null
  notes: string | null
}
