import type { Db } from '../../db/kysely.js'
import { enqueueEmail, type MailQueue } from '../mail/enqueue-email.js'
import { DEFAULT_BRAND_COLOR } from '../sales/company-settings.rules.js'
import { validateSendQuoteEmail, type SendQuoteEmail } from '../sales/quote-link-send.js'
import { DomainError, NotFoundError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { formatEuros } from '../shared/money.js'
import { runCommand } from '../shared/run-command.js'
import { evolveInvoice } from './invoice.js'
import { markSent } from './invoice.decide.js'
import { ensureInvoicePdf, invoicePdfFilename, type RenderInvoice } from './invoice-pdf.js'
import { invoiceRepository } from './invoice.repository.js'
import { createInvoiceLink } from './invoice-link.js'

// "Envoyer la facture": the issued invoice's PDF (drawn once, see invoice-pdf.ts)
// attached to an e-mail in the seller's name with a private link /f/<token>; the first
// sending date is kept on the invoice. One transaction: link, e-mail row + job, event.

export const frenchDay = (day: string) => day.split('-').reverse().join('/')
export const DOCUMENT_TITLES = { '380': 'Facture', '386': "Facture d'acompte", '381': 'Avoir' } as const

export async function sendInvoiceByEmail(
  db: Db,
  jobs: MailQueue | null,
  ctx: CommandContext,
  cmd: { id: string; email: SendQuoteEmail; render: RenderInvoice },
): Promise<{ token: string; emailId: string }> {
  const email = validateSendQuoteEmail(cmd.email)
  const pdf = await ensureInvoicePdf(db, ctx.workspaceId, cmd.id, cmd.render)
  if (!pdf) {
    const exists = await db.selectFrom('invoices').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', cmd.id).executeTakeFirst()
    if (!exists) throw new NotFoundError('invoice.not_found')
    throw new DomainError('invoice.not_issued')
  }
  const doc = pdf.document
  return db.transaction().execute(async (trx) => {
    const link = await createInvoiceLink(trx, { workspaceId: ctx.workspaceId, invoiceId: cmd.id, recipient: email.to, now: ctx.now })
    const rep = ctx.actorId
      ? await trx
          .selectFrom('users')
          .select(['full_name', 'email'])
          .where('workspace_id', '=', ctx.workspaceId)
          .where('id', '=', ctx.actorId)
          .executeTakeFirst()
      : undefined
    const mail = await enqueueEmail(trx, jobs, {
      workspaceId: ctx.workspaceId,
      to: email.to,
      template: 'invoice',
      sender: { repName: rep?.full_name ?? null, company: doc.seller.name, replyTo: rep?.email ?? doc.seller.email ?? null },
      idempotencyKey: `invoice_sent:${cmd.id}:${ctx.commandId ?? link.id}`,
      props: {
        subject: email.subject,
        message: email.message,
        sellerName: doc.seller.name,
        brandColor: doc.seller.brand_color ?? DEFAULT_BRAND_COLOR,
        title: `${DOCUMENT_TITLES[doc.type_code]} ${doc.number}`,
        amountDue: formatEuros(doc.amount_due_cents),
        dueDate: frenchDay(doc.due_date),
        link: `/f/${link.token}`,
        attached: true,
      },
      attachments: [{ filename: invoicePdfFilename(doc), contentType: 'application/pdf', content: pdf.bytes }],
    })
    await runCommand(trx, ctx, {
      type: 'SendInvoice',
      repository: invoiceRepository,
      streamId: cmd.id,
      decide: (s) => markSent(s, { to: email.to, email_id: mail.id }, ctx),
      evolve: evolveInvoice,
    })
    return { token: link.token, emailId: mail.id }
  })
}
