import { redirect } from '@remix-run/node'
import type { AppLoadContext } from '@remix-run/node'
import { randomUUID } from 'node:crypto'
import { ValidationError } from '../../domain/shared/errors'
import { parseEurosToCents } from '../../domain/shared/money'
import { isIsoDate } from '../../domain/shared/paris-time'
import { parsePercent } from '../../domain/sales/money'
import { renderInvoiceDocument } from '../../domain/invoicing/document/render-invoice.server'
import type { InvoiceState } from '../../domain/invoicing/invoice'
import {
  createCreditNoteCommand,
  issueInvoiceCommand,
  recordInvoicePaymentCommand,
  setDunningPausedCommand,
  updateInvoiceDraftCommand,
} from '../../domain/invoicing/invoice.commands'
import type { InvoiceFields, PaymentTermsCode } from '../../domain/invoicing/invoice-rules'
import { sendInvoiceByEmail } from '../../domain/invoicing/invoice-send'
import type { Auth } from './auth.server'
import { commandIdOf, domainFailure, failure, formValues, text } from './forms.server'
import { editorIntent, pageErrors, productChoices, readQuoteEditor } from './quotes-editor.server'

// The invoice page's POSTs, by `intent`: the draft editor (save, add/move/remove a line),
// issue, record a payment, create a credit note, send, pause/resume dunning. Each runs
// one domain command; a refusal comes back beside its field, in French, nothing lost.

/** The draft's conditions as posted (the organisation never changes here). */
export function readInvoiceFields(form: FormData, current: InvoiceState, auth: Pick<Auth, 't'>): { fields: InvoiceFields; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const rate = parsePercent(text(form, 'late_penalty_rate'))
  if (rate === null) errors.late_penalty_rate_bps = auth.t('invoice.error.percent')
  const delivery = text(form, 'delivery_date')
  if (delivery && !isIsoDate(delivery)) errors.delivery_date = auth.t('invoice.error.date')
  const line1 = text(form, 'delivery_line1')
  const city = text(form, 'delivery_city')
  return {
    fields: {
      organisation_id: current.organisation_id,
      contact_id: text(form, 'contact_id') || null,
      delivery_date: delivery && isIsoDate(delivery) ? delivery : null,
      payment_terms_code: text(form, 'payment_terms_code') as PaymentTermsCode,
      late_penalty_rate_bps: rate ?? current.late_penalty_rate_bps,
      early_payment_discount: text(form, 'early_payment_discount') || null,
      operation_category: text(form, 'operation_category') as InvoiceFields['operation_category'],
      vat_on_debits: form.get('vat_on_debits') === 'on',
      buyer_order_reference: text(form, 'buyer_order_reference') || null,
      delivery_address: line1 || city ? { line1, postal_code: text(form, 'delivery_postal_code'), city, country: 'FR' } : null,
      notes: text(form, 'notes') || null,
    },
    errors,
  }
}

export async function invoiceAction(auth: Auth & { form: FormData }, context: AppLoadContext, inv: InvoiceState) {
  const { form } = auth
  const values = formValues(form)
  const db = context.runtime.db
  const commandId = commandIdOf(form)
  const intent = String(form.get('intent') ?? 'save')
  const back = (flag: string) => redirect(`/invoices/${inv.id}?${flag}`)
  try {
    switch (intent) {
      case 'issue': {
        const r = await issueInvoiceCommand(db, context.runtime.jobs, auth.ctx(commandId), { id: inv.id, expectedVersion: Number(form.get('version')) })
        return back(`emise=${encodeURIComponent(r.number ?? '')}`)
      }
      case 'payment': {
        const amount = parseEurosToCents(text(form, 'amount'))
        if (!amount.ok) return failure(values, { amount: auth.t('invoice.error.amount') }, 400)
        const paidOn = text(form, 'paid_on')
        if (!isIsoDate(paidOn)) return failure(values, { paid_on: auth.t('invoice.error.date') }, 400)
        await recordInvoicePaymentCommand(db, auth.ctx(commandId), {
          invoiceId: inv.id,
          paymentId: randomUUID(),
          paidOn,
          amountCents: amount.cents,
          method: text(form, 'method'),
          reference: text(form, 'reference') || null,
        })
        return back('paiement=1')
      }
      case 'credit_note': {
        const id = randomUUID()
        const r = await createCreditNoteCommand(db, auth.ctx(commandId), { id, invoiceId: inv.id })
        return redirect(`/invoices/${r.state?.id ?? id}`)
      }
      case 'send': {
        await sendInvoiceByEmail(db, context.runtime.jobs, auth.ctx(commandId), {
          id: inv.id,
          email: { to: text(form, 'to'), subject: text(form, 'subject'), message: String(form.get('message') ?? '') },
          render: renderInvoiceDocument,
        })
        return back(`envoyee=${encodeURIComponent(text(form, 'to'))}`)
      }
      case 'dunning_pause':
      case 'dunning_resume':
        await setDunningPausedCommand(db, auth.ctx(commandId), { id: inv.id, paused: intent === 'dunning_pause' })
        return back('relances=1')
    }
  } catch (e) {
    return domainFailure(e, values, auth)
  }

  // Every other button saves the draft editor (after adding, moving or removing a line).
  const kind = editorIntent(form.get('intent'))
  const products = await productChoices(auth)
  const editor = readQuoteEditor(form, kind, products, auth)
  const { fields, errors: fieldErrors } = readInvoiceFields(form, inv, auth)
  const shown = { ...values, ...editor.values, intent: 'save' }
  const errors = { ...fieldErrors, ...editor.errors }
  if (Object.keys(errors).length) return failure(shown, errors, 400)
  try {
    await updateInvoiceDraftCommand(db, auth.ctx(commandId), {
      id: inv.id,
      expectedVersion: Number(form.get('version')),
      fields,
      lines: editor.lines,
      globalDiscount: editor.globalDiscount,
    })
  } catch (e) {
    if (e instanceof ValidationError) return failure(shown, pageErrors(e, editor.rowOf, auth.locale), 422)
    return domainFailure(e, shown, auth)
  }
  return redirect(`/invoices/${inv.id}?enregistre=1${kind.kind === 'save' ? '' : '#lignes'}`)
}
