import { DomainError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { computeTotals, type Discount } from '../sales/quote-totals.js'
import { validateQuoteLines } from '../sales/quote.decide.js'
import type { InvoiceDocument, InvoiceTypeCode } from './invoice-document.js'
import type { InvoiceAmounts, InvoiceEvent, InvoiceLine, InvoiceState } from './invoice.js'
import { checkPayment, remainingCents, validateInvoiceFields, type InvoiceFields } from './invoice-rules.js'

// One pure function per command: given the state (and what the handler looked up),
// the events — or a refusal. Time and actor come from the context.

const ISSUED = () => new DomainError('invoice.issued.immutable', undefined, { status: 409 })
const NOT_FOUND = () => new DomainError('invoice.not_found', undefined, { status: 404 })

/** Totals of lines as the invoice caches them; `deductedTtc` is what deposits already invoiced. */
export function pricedLines(
  lines: InvoiceLine[],
  globalDiscount: Discount | null,
  deductedTtc = 0,
): { lines: InvoiceLine[]; global_discount: Discount | null } & InvoiceAmounts {
  const v = validateQuoteLines(lines, globalDiscount)
  const t = v.totals
  return {
    lines: v.lines,
    global_discount: v.global_discount,
    total_ht_cents: t.total_ht_cents,
    total_vat_cents: t.total_vat_cents,
    total_ttc_cents: t.total_ttc_cents,
    amount_due_cents: Math.max(0, t.total_ttc_cents - deductedTtc),
  }
}

/** The totals alone (pages, tests). */
export const invoiceTotals = (lines: InvoiceLine[], globalDiscount: Discount | null) => computeTotals(lines, globalDiscount)

export type DraftInvoice = {
  id: string
  type_code: InvoiceTypeCode
  fields: InvoiceFields
  lines: InvoiceLine[]
  global_discount: Discount | null
  quote_id?: string | null
  corrects_invoice_id?: string | null
  deposit_bps?: number | null
  deducts?: string[]
  /** Σ TTC of the deposits deducted (looked up by the handler). */
  deducted_ttc_cents?: number
}

export function draftInvoice(state: InvoiceState | null, cmd: DraftInvoice, ctx: CommandContext): InvoiceEvent[] {
  if (state) throw new DomainError('invoice.exists', undefined, { status: 409 })
  const fields = validateInvoiceFields(cmd.fields)
  if (cmd.type_code === '381' && !cmd.corrects_invoice_id) throw new DomainError('invoice.credit_note.needs_invoice')
  return [
    {
      type: 'InvoiceDrafted',
      data: {
        id: cmd.id,
        workspace_id: ctx.workspaceId,
        at: ctx.now.toISOString(),
        type_code: cmd.type_code,
        quote_id: cmd.quote_id ?? null,
        corrects_invoice_id: cmd.corrects_invoice_id ?? null,
        deposit_bps: cmd.deposit_bps ?? null,
        deducts: cmd.deducts ?? [],
        created_by: ctx.actorId,
        ...fields,
        ...pricedLines(cmd.lines, cmd.global_discount, cmd.deducted_ttc_cents ?? 0),
      },
    },
  ]
}

/** Only a draft changes; an issued invoice is corrected by a credit note. */
export function changeDraft(
  state: InvoiceState | null,
  cmd: { fields: InvoiceFields; lines: InvoiceLine[]; global_discount: Discount | null; deducted_ttc_cents: number },
  ctx: CommandContext,
): InvoiceEvent[] {
  if (!state) throw NOT_FOUND()
  if (state.status !== 'brouillon') throw ISSUED()
  const fields = validateInvoiceFields(cmd.fields)
  if (fields.organisation_id !== state.organisation_id && (state.quote_id || state.corrects_invoice_id))
    throw new ValidationError({ organisation_id: 'invoice.organisation.fixed' })
  return [
    {
      type: 'InvoiceDraftChanged',
      data: {
        id: state.id,
        at: ctx.now.toISOString(),
        fields,
        ...pricedLines(cmd.lines, cmd.global_discount, cmd.deducted_ttc_cents),
      },
    },
  ]
}

/** What issuing a draft must satisfy before it takes a number (a refusal consumes none). */
export function checkIssuable(state: InvoiceState | null): InvoiceState {
  if (!state) throw NOT_FOUND()
  if (state.status !== 'brouillon') throw ISSUED()
  if (!state.lines.length) throw new DomainError('invoice.issue.no_lines')
  if (state.total_ttc_cents <= 0) throw new DomainError('invoice.issue.zero_total')
  return state
}

export function issueInvoice(
  state: InvoiceState | null,
  cmd: { number: string; year: number; sequence: number; issue_date: string; due_date: string; document: InvoiceDocument; at: Date },
): InvoiceEvent[] {
  const s = checkIssuable(state)
  const { at, ...rest } = cmd
  return [{ type: 'InvoiceIssued', data: { id: s.id, at: at.toISOString(), ...rest } }]
}

function mustBeOpenInvoice(state: InvoiceState | null): InvoiceState {
  if (!state) throw NOT_FOUND()
  if (state.status === 'brouillon') throw new DomainError('invoice.not_issued')
  if (state.status === 'annulee') throw new DomainError('invoice.cancelled')
  return state
}

export function recordPayment(
  state: InvoiceState | null,
  cmd: { payment_id: string; paid_on: string; amount_cents: number; method: string; reference: string | null },
  ctx: CommandContext,
): InvoiceEvent[] {
  const s = mustBeOpenInvoice(state)
  if (s.type_code === '381') throw new DomainError('invoice.payment.credit_note')
  checkPayment(remainingCents(s), cmd.amount_cents)
  return [
    {
      type: 'InvoicePaymentRecorded',
      data: { id: s.id, at: ctx.now.toISOString(), ...cmd, paid_cents: Number(s.paid_cents) + cmd.amount_cents },
    },
  ]
}

/** What a credit note may still take back from this invoice. */
export const creditableCents = (s: Pick<InvoiceState, 'amount_due_cents' | 'credited_cents'>) =>
  Math.max(0, Number(s.amount_due_cents) - Number(s.credited_cents))

export function creditInvoice(
  state: InvoiceState | null,
  cmd: { credit_note_id: string; credit_note_number: string; amount_cents: number },
  ctx: CommandContext,
): InvoiceEvent[] {
  const s = mustBeOpenInvoice(state)
  if (s.type_code === '381') throw new DomainError('invoice.credit_note.of_credit_note')
  const left = creditableCents(s)
  if (cmd.amount_cents > left) throw new DomainError({ code: 'invoice.credit_note.too_large', params: { max: { decimal: left / 100, digits: 2 } } })
  const credited = Number(s.credited_cents) + cmd.amount_cents
  return [
    {
      type: 'InvoiceCredited',
      data: { id: s.id, at: ctx.now.toISOString(), ...cmd, credited_cents: credited, cancelled: credited >= Number(s.amount_due_cents) },
    },
  ]
}

export function markSent(state: InvoiceState | null, cmd: { to: string; email_id: string }, ctx: CommandContext): InvoiceEvent[] {
  if (!state) throw NOT_FOUND()
  if (state.status === 'brouillon') throw new DomainError('invoice.not_issued')
  return [{ type: 'InvoiceSent', data: { id: state.id, at: ctx.now.toISOString(), ...cmd } }]
}

export function recordReminder(
  state: InvoiceState | null,
  cmd: { stage: string; email_id: string; to: string; penalty_cents: number | null },
  ctx: CommandContext,
): InvoiceEvent[] {
  if (!state) throw NOT_FOUND()
  return [{ type: 'InvoiceReminderSent', data: { id: state.id, at: ctx.now.toISOString(), ...cmd } }]
}

export function pauseDunning(state: InvoiceState | null, cmd: { paused: boolean }, ctx: CommandContext): InvoiceEvent[] {
  const s = mustBeOpenInvoice(state)
  if (s.dunning_paused === cmd.paused) return []
  return [{ type: 'InvoiceDunningPaused', data: { id: s.id, at: ctx.now.toISOString(), paused: cmd.paused } }]
}
