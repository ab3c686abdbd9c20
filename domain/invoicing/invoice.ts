import type { InvoiceTable } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'
import type { QuoteLine } from '../sales/quote.js'
import type { Discount } from '../sales/quote-totals.js'
import type { InvoiceDocument, InvoiceTypeCode } from './invoice-document.js'
import type { DeliveryAddress, InvoiceFields, PaymentTermsCode } from './invoice-rules.js'

// The invoice aggregate: a draft (no number, editable) becomes issued (numbered, frozen
// InvoiceDocument) and then only follows up: payments, credit notes, sending, dunning.

export const INVOICE_STREAM = 'invoice'

/** An invoice line has the shape of a quote line (lines are copied from the signed quote). */
export type InvoiceLine = QuoteLine

export type InvoiceAmounts = { total_ht_cents: number; total_vat_cents: number; total_ttc_cents: number; amount_due_cents: number }

export type InvoiceState = Omit<
  InvoiceTable,
  'lines' | 'global_discount' | 'deducts' | 'delivery_address' | 'document' | 'payment_terms_code' | 'created_at' | 'updated_at' | 'issued_at' | 'sent_at'
> & {
  type_code: InvoiceTypeCode
  lines: InvoiceLine[]
  global_discount: Discount | null
  /** Ids of the deposit invoices a final invoice deducts. */
  deducts: string[]
  delivery_address: DeliveryAddress | null
  payment_terms_code: PaymentTermsCode
  document: InvoiceDocument | null
  created_at: Date
  updated_at: Date
  issued_at: Date | null
  sent_at: Date | null
}

export type InvoiceDrafted = DomainEvent<
  'InvoiceDrafted',
  {
    id: string
    workspace_id: string
    at: string
    type_code: InvoiceTypeCode
    quote_id: string | null
    corrects_invoice_id: string | null
    deposit_bps: number | null
    deducts: string[]
    created_by: string | null
    lines: InvoiceLine[]
    global_discount: Discount | null
  } & InvoiceFields &
    InvoiceAmounts
>
export type InvoiceDraftChanged = DomainEvent<
  'InvoiceDraftChanged',
  { id: string; at: string; fields: InvoiceFields; lines: InvoiceLine[]; global_discount: Discount | null } & InvoiceAmounts
>
export type InvoiceIssued = DomainEvent<
  'InvoiceIssued',
  { id: string; at: string; number: string; year: number; sequence: number; issue_date: string; due_date: string; document: InvoiceDocument }
>
export type InvoicePaymentRecorded = DomainEvent<
  'InvoicePaymentRecorded',
  { id: string; at: string; payment_id: string; paid_on: string; amount_cents: number; method: string; reference: string | null; paid_cents: number }
>
/** A credit note was issued against this invoice; a total one cancels it. */
export type InvoiceCredited = DomainEvent<
  'InvoiceCredited',
  { id: string; at: string; credit_note_id: string; credit_note_number: string; amount_cents: number; credited_cents: number; cancelled: boolean }
>
export type InvoiceSent = DomainEvent<'InvoiceSent', { id: string; at: string; to: string; email_id: string }>
export type InvoiceReminderSent = DomainEvent<
  'InvoiceReminderSent',
  { id: string; at: string; stage: string; email_id: string; to: string; penalty_cents: number | null }
>
export type InvoiceDunningPaused = DomainEvent<'InvoiceDunningPaused', { id: string; at: string; paused: boolean }>

export type InvoiceEvent =
  InvoiceDrafted | InvoiceDraftChanged | InvoiceIssued | InvoicePaymentRecorded | InvoiceCredited | InvoiceSent | InvoiceReminderSent | InvoiceDunningPaused

export function evolveInvoice(state: InvoiceState | null, event: InvoiceEvent): InvoiceState {
  const at = new Date(event.data.at)
  switch (event.type) {
    case 'InvoiceDrafted': {
      const { at: _at, ...d } = event.data
      return {
        ...d,
        status: 'brouillon',
        number: null,
        year: null,
        sequence: null,
        issue_date: null,
        due_date: null,
        issued_at: null,
        document: null,
        pdf_sha256: null,
        sent_at: null,
        paid_cents: 0,
        credited_cents: 0,
        dunning_paused: false,
        version: 0,
        created_at: at,
        updated_at: at,
      }
    }
    case 'InvoiceDraftChanged': {
      const { fields, lines, global_discount, total_ht_cents, total_vat_cents, total_ttc_cents, amount_due_cents } = event.data
      return { ...state!, ...fields, lines, global_discount, total_ht_cents, total_vat_cents, total_ttc_cents, amount_due_cents, updated_at: at }
    }
    case 'InvoiceIssued': {
      const { number, year, sequence, issue_date, due_date, document } = event.data
      return { ...state!, status: 'emise', number, year, sequence, issue_date, due_date, document, issued_at: at, updated_at: at }
    }
    case 'InvoicePaymentRecorded':
      return { ...state!, paid_cents: event.data.paid_cents, updated_at: at }
    case 'InvoiceCredited':
      return { ...state!, credited_cents: event.data.credited_cents, status: event.data.cancelled ? 'annulee' : state!.status, updated_at: at }
    case 'InvoiceSent':
      return { ...state!, sent_at: state!.sent_at ?? at, updated_at: at }
    case 'InvoiceReminderSent':
      return { ...state!, updated_at: at }
    case 'InvoiceDunningPaused':
      return { ...state!, dunning_paused: event.data.paused, updated_at: at }
  }
}
