import type { ColumnType } from 'kysely'
import type { Timestamp } from './columns.js'

// Tables of invoicing (domain/invoicing), merged into Database (db/schema.ts).
// Migration: db/migrations/2026-12-08-1601-invoices.ts.

type Jsonb = ColumnType<unknown, unknown, unknown>

export type InvoiceRowStatus = 'brouillon' | 'emise' | 'annulee'
export type PaymentMethod = 'virement' | 'cheque' | 'carte' | 'prelevement' | 'especes'
export type ReminderStage = 'friendly' | 'firm' | 'formal'

export interface InvoiceSettingsTable {
  workspace_id: string
  number_pattern: string
  default_operation_category: 'goods' | 'services' | 'mixed'
  default_payment_terms: string
  late_penalty_rate_bps: number
  early_payment_discount: string | null
  vat_on_debits: boolean
  reminder_friendly: string | null
  reminder_firm: string | null
  reminder_formal: string | null
  /** Contract billing items become issued invoices (true) or drafts to check (false). */
  contract_billing_issue: boolean
  version: number
  updated_at: Timestamp
}

// An invoice (380), deposit invoice (386) or credit note (381). Numbered at issue; issued
// rows are guarded by a trigger (only payments, credits, PDF, sending and dunning move).
export interface InvoiceTable {
  id: string
  workspace_id: string
  type_code: '380' | '386' | '381'
  status: InvoiceRowStatus
  number: string | null
  year: number | null
  sequence: number | null
  organisation_id: string
  contact_id: string | null
  quote_id: string | null
  corrects_invoice_id: string | null
  deposit_bps: number | null
  deducts: Jsonb
  lines: Jsonb
  global_discount: Jsonb
  total_ht_cents: number
  total_vat_cents: number
  total_ttc_cents: number
  amount_due_cents: number
  delivery_date: string | null
  payment_terms_code: string
  late_penalty_rate_bps: number
  early_payment_discount: string | null
  operation_category: 'goods' | 'services' | 'mixed'
  vat_on_debits: boolean
  buyer_order_reference: string | null
  delivery_address: Jsonb
  notes: string | null
  issue_date: string | null
  due_date: string | null
  issued_at: Timestamp | null
  document: Jsonb
  pdf_sha256: string | null
  sent_at: Timestamp | null
  paid_cents: number
  credited_cents: number
  dunning_paused: boolean
  created_by: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}

export interface InvoicePaymentTable {
  id: string
  workspace_id: string
  invoice_id: string
  paid_on: string
  amount_cents: number
  method: PaymentMethod
  reference: string | null
  created_by: string | null
  created_at: Timestamp
}

export interface InvoiceReminderTable {
  workspace_id: string
  invoice_id: string
  stage: ReminderStage
  email_id: string | null
  penalty_cents: number | null
  sent_at: Timestamp
}

export interface InvoiceLinkTable {
  id: string
  workspace_id: string
  invoice_id: string
  token_sha256: string
  recipient: string | null
  created_at: Timestamp
  last_viewed_at: Timestamp | null
}

export type BankLineStatus = 'a_rapprocher' | 'rapprochee' | 'ignoree'

// One uploaded bank statement (CSV) and what it brought in.
export interface BankStatementImportTable {
  id: string
  workspace_id: string
  file_name: string
  encoding: string
  lines_read: number
  lines_added: number
  lines_duplicate: number
  lines_debit: number
  created_by: string | null
  created_at: Timestamp
}

// A credit line of a statement, matched (or not yet) to an invoice by a payment.
export interface BankStatementLineTable {
  id: string
  workspace_id: string
  import_id: string
  line_no: number
  booked_on: string
  label: string
  amount_cents: number
  line_hash: string
  status: BankLineStatus
  invoice_id: string | null
  payment_id: string | null
  matched_by: string | null
  matched_at: Timestamp | null
}

export interface InvoicingTables {
  invoice_settings: InvoiceSettingsTable
  invoices: InvoiceTable
  invoice_payments: InvoicePaymentTable
  invoice_reminders: InvoiceReminderTable
  invoice_links: InvoiceLinkTable
  bank_statement_imports: BankStatementImportTable
  bank_statement_lines: BankStatementLineTable
}
