import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { randomUUID } from 'node:crypto'
import { forbidden, notFound, requireUserForm } from '~/utils/auth.server'
import { commandIdOf, isUuid, text } from '~/utils/forms.server'
import { canWriteInvoices } from '~/utils/invoices.server'
import { findVisibleQuote } from '~/utils/quotes.server'
import { streamIdOfCommand } from '~/utils/records.server'
import { translateProblem } from '~/i18n/errors'
import { parsePercent } from '../../domain/sales/money'
import { DomainError } from '../../domain/shared/errors'
import { createInvoiceFromQuoteCommand } from '../../domain/invoicing/invoice.commands'

// POST /invoices/from-quote — "Facturer" on a signed quote: a draft invoice (full, with
// issued deposits deducted) or a deposit invoice of the typed %, then its editor. A
// refusal goes back to the quote page with the reason.
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  const quoteId = text(auth.form, 'quote_id')
  const found = isUuid(quoteId) ? await findVisibleQuote(auth, quoteId) : null
  if (!found) throw notFound()
  const mode = text(auth.form, 'mode') === 'deposit' ? 'deposit' : 'full'
  const pct = parsePercent(text(auth.form, 'deposit_percent'))
  const commandId = commandIdOf(auth.form)
  const id = randomUUID()
  try {
    const r = await createInvoiceFromQuoteCommand(context.runtime.db, auth.ctx(commandId), {
      id,
      quoteId: found.quote.id,
      mode,
      depositBps: pct ?? 0,
    })
    const created = r.duplicate && commandId ? ((await streamIdOfCommand(auth, commandId)) ?? id) : id
    throw redirect(`/invoices/${created}`)
  } catch (e) {
    if (e instanceof DomainError) throw redirect(`/quotes/${found.quote.id}?facturation=${encodeURIComponent(translateProblem(auth.locale, e.problem))}`)
    throw e
  }
}

export const loader = () => redirect('/invoices')
