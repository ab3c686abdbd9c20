import type { InvoiceDocument } from '../domain/invoicing/invoice-document.js'
import type { InvoiceCredited, InvoiceDrafted, InvoiceDraftChanged, InvoiceIssued, InvoicePaymentRecorded } from '../domain/invoicing/invoice.js'
import type { ProjectedEvent } from './projected-event.js'

// The finance read models, folded from the invoice streams under one checkpoint
// ('finance'): finance_invoices, one row per invoice with what is still to be paid, and
// finance_payments, one row per payment received with the due date it answered (for the
// payment delays). Amounts are signed the way cash moves: a credit note counts negative
// in what was invoiced and is never "to be paid". Days are 'YYYY-MM-DD' (Paris).

export const FINANCE_INVOICES_TABLE = 'finance_invoices'
export const FINANCE_PAYMENTS_TABLE = 'finance_payments'

export type FinanceInvoiceRow = {
  workspace_id: string
  invoice_id: string
  organisation_id: string
  organisation_name: string
  type_code: '380' | '386' | '381'
  status: string
  number: string
  issue_date: string | null
  due_date: string | null
  /** What this document invoices, TTC, signed (a credit note negative; a balance invoice net of its deposits). */
  invoiced_cents: number
  /** HT that is this document's own (a balance invoice net of the deposits it deducts), signed. */
  revenue_ht_cents: number
  amount_due_cents: number
  paid_cents: number
  credited_cents: number
  version: number
}

export type FinancePaymentRow = {
  workspace_id: string
  payment_id: string
  invoice_id: string
  organisation_id: string
  paid_on: string
  amount_cents: number
  issue_date: string
  due_date: string
}

const need = (row: FinanceInvoiceRow | null, e: ProjectedEvent) => {
  if (!row) throw new Error(`Facture ${e.stream_id} : ${e.type} (version ${e.stream_version}) sans création préalable`)
  return { ...row }
}

/** Still to be collected on an invoice (0 on a draft, a credit note or a cancelled one). */
export const openCents = (r: Pick<FinanceInvoiceRow, 'type_code' | 'status' | 'amount_due_cents' | 'paid_cents' | 'credited_cents'>) =>
  r.type_code === '381' || r.status !== 'emise' ? 0 : Math.max(0, r.amount_due_cents - r.paid_cents - r.credited_cents)

/**
 * The invoice's finance row after one more event of its stream.
 *
 * @example foldFinanceInvoice(null, invoiceDraftedEvent) // { status: 'brouillon', invoiced_cents: 0, … }
 */
export function foldFinanceInvoice(row: FinanceInvoiceRow | null, e: ProjectedEvent): FinanceInvoiceRow | null {
  switch (e.type) {
    case 'InvoiceDrafted': {
      const d = e.data as InvoiceDrafted['data']
      return {
        workspace_id: e.workspace_id,
        invoice_id: e.stream_id,
        organisation_id: d.organisation_id,
        organisation_name: '',
        type_code: d.type_code,
        status: 'brouillon',
        number: '',
        issue_date: null,
        due_date: null,
        invoiced_cents: 0,
        revenue_ht_cents: 0,
        amount_due_cents: d.amount_due_cents,
        paid_cents: 0,
        credited_cents: 0,
        version: e.stream_version,
      }
    }
    case 'InvoiceDraftChanged': {
      const d = e.data as InvoiceDraftChanged['data']
      return { ...need(row, e), organisation_id: d.fields.organisation_id, amount_due_cents: d.amount_due_cents, version: e.stream_version }
    }
    case 'InvoiceIssued': {
      const d = e.data as InvoiceIssued['data']
      const doc: InvoiceDocument = d.document
      const sign = doc.type_code === '381' ? -1 : 1
      const deductedHt = doc.deducted_deposits.reduce((a, x) => a + x.total_ht_cents, 0)
      const next = need(row, e)
      return {
        ...next,
        organisation_name: doc.buyer.name,
        organisation_id: doc.buyer.organisation_id ?? next.organisation_id,
        status: 'emise',
        number: d.number,
        issue_date: d.issue_date,
        due_date: d.due_date,
        invoiced_cents: sign * next.amount_due_cents,
        revenue_ht_cents: sign * (doc.totals.total_ht_cents - deductedHt),
        version: e.stream_version,
      }
    }
    case 'InvoicePaymentRecorded': {
      const d = e.data as InvoicePaymentRecorded['data']
      return { ...need(row, e), paid_cents: d.paid_cents, version: e.stream_version }
    }
    case 'InvoiceCredited': {
      const d = e.data as InvoiceCredited['data']
      const next = need(row, e)
      return { ...next, credited_cents: d.credited_cents, status: d.cancelled ? 'annulee' : next.status, version: e.stream_version }
    }
    default:
      return row ? { ...row, version: e.stream_version } : null
  }
}

/** A payment's fact row, with the due date of the invoice it pays (known from the fold). */
export function financePaymentRows(before: FinanceInvoiceRow | null, after: FinanceInvoiceRow | null, e: ProjectedEvent): FinancePaymentRow[] {
  if (e.type !== 'InvoicePaymentRecorded' || !after) return []
  const d = e.data as InvoicePaymentRecorded['data']
  void before
  return [
    {
      workspace_id: e.workspace_id,
      payment_id: d.payment_id,
      invoice_id: e.stream_id,
      organisation_id: after.organisation_id,
      paid_on: d.paid_on,
      amount_cents: d.amount_cents,
      issue_date: after.issue_date ?? d.paid_on,
      due_date: after.due_date ?? d.paid_on,
    },
  ]
}

export function financeInvoiceFromClickHouse(r: Record<string, unknown>): FinanceInvoiceRow {
  const day = (v: unknown) => (v === null || v === undefined ? null : String(v).slice(0, 10))
  return {
    workspace_id: String(r.workspace_id),
    invoice_id: String(r.invoice_id),
    organisation_id: String(r.organisation_id),
    organisation_name: String(r.organisation_name),
    type_code: String(r.type_code) as FinanceInvoiceRow['type_code'],
    status: String(r.status),
    number: String(r.number),
    issue_date: day(r.issue_date),
    due_date: day(r.due_date),
    invoiced_cents: Number(r.invoiced_cents),
    revenue_ht_cents: Number(r.revenue_ht_cents),
    amount_due_cents: Number(r.amount_due_cents),
    paid_cents: Number(r.paid_cents),
    credited_cents: Number(r.credited_cents),
    version: Number(r.version),
  }
}
