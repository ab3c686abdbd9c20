import type { Db } from '../db/kysely.js'
import {
  createCreditNoteCommand,
  createInvoiceDraftCommand,
  createInvoiceFromQuoteCommand,
  defaultInvoiceFields,
  issueInvoiceCommand,
  recordInvoicePaymentCommand,
} from '../domain/invoicing/invoice.commands.js'
import { acceptQuoteCommand, createQuoteCommand, sendQuoteCommand } from '../domain/sales/quote.commands.js'
import type { CommandContext } from '../domain/shared/events.js'
import { crashPoint } from './crash-point.js'
import type { InvoiceOp } from './demo-invoices.js'
import { HOUR, isoDate } from './seed-time.js'

// Replays the planned invoicing operations through the same commands the screens run:
// the invoices get their numbers, frozen documents and events, and the journal its sales
// and bank entries with the lettering, exactly as if finance had typed them. No PDF job
// is queued (jobs: null): the PDF is rendered on first download.

/** Runs `ops` (time-ordered) as `actorId`; returns how many invoices, credit notes and payments it made. */
export async function replayInvoiceOps(db: Db, o: { workspaceId: string; actorId: string; ops: readonly InvoiceOp[] }) {
  const counts = { invoices: 0, creditNotes: 0, payments: 0, quotes: 0 }
  const ctx = (at: number): CommandContext => ({ workspaceId: o.workspaceId, actorId: o.actorId, now: new Date(at), source: 'seed' })
  for (const op of o.ops) {
    switch (op.kind) {
      case 'quote': {
        const line = {
          product_id: null,
          code: null,
          description: op.title,
          unit: 'forfait',
          quantity: '1',
          unit_price_cents: op.amountCents,
          discount: null,
          vat_rate: 2000 as const,
          vat_exemption: null,
        }
        const fields = {
          organisation_id: op.organisationId,
          contact_id: op.contactId,
          deal_id: op.dealId,
          title: op.title.slice(0, 200),
          validity_days: 30,
          payment_terms: 'Acompte de 30 % à la commande, solde à 30 jours.',
          notes: null,
        }
        await createQuoteCommand(db, ctx(op.at - 3 * 24 * HOUR), { id: op.quoteId, fields, lines: [line] })
        await sendQuoteCommand(db, ctx(op.at - 3 * 24 * HOUR + HOUR), { id: op.quoteId })
        await acceptQuoteCommand(db, ctx(op.at), { id: op.quoteId, revision: 1, signedBy: null })
        counts.quotes++
        break
      }
      case 'deposit':
      case 'final':
        await createInvoiceFromQuoteCommand(db, ctx(op.at), {
          id: op.invoiceId,
          quoteId: op.quoteId,
          mode: op.kind === 'deposit' ? 'deposit' : 'full',
          depositBps: op.kind === 'deposit' ? op.bps : undefined,
        })
        await issueInvoiceCommand(db, null, ctx(op.at), { id: op.invoiceId })
        counts.invoices++
        break
      case 'invoice': {
        const fields = { ...(await defaultInvoiceFields(db, o.workspaceId, op.organisationId)), contact_id: op.contactId, payment_terms_code: op.terms }
        const lines = [
          {
            product_id: null,
            code: null,
            description: op.title,
            unit: 'forfait',
            quantity: '1',
            unit_price_cents: op.amountCents,
            discount: null,
            vat_rate: 2000 as const,
            vat_exemption: null,
          },
        ]
        await createInvoiceDraftCommand(db, ctx(op.at), { id: op.invoiceId, fields, lines })
        await issueInvoiceCommand(db, null, ctx(op.at), { id: op.invoiceId })
        counts.invoices++
        break
      }
      case 'credit':
        await createCreditNoteCommand(db, ctx(op.at), { id: op.creditNoteId, invoiceId: op.invoiceId })
        await issueInvoiceCommand(db, null, ctx(op.at), { id: op.creditNoteId })
        counts.creditNotes++
        break
      case 'payment': {
        const inv = await db
          .selectFrom('invoices')
          .select(['amount_due_cents', 'paid_cents', 'credited_cents', 'status'])
          .where('workspace_id', '=', o.workspaceId)
          .where('id', '=', op.invoiceId)
          .executeTakeFirst()
        if (!inv || inv.status !== 'emise') break
        const left = Number(inv.amount_due_cents) - Number(inv.paid_cents) - Number(inv.credited_cents)
        const amount = op.share >= 1 ? left : Math.round(left * op.share)
        if (amount <= 0) break
        await recordInvoicePaymentCommand(db, ctx(op.at), {
          invoiceId: op.invoiceId,
          paymentId: op.paymentId,
          paidOn: isoDate(op.at),
          amountCents: amount,
          method: op.method,
          reference: null,
        })
        counts.payments++
        break
      }
    }
    crashPoint('invoices')
  }
  return counts
}
