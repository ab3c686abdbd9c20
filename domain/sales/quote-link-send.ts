import type { Db } from '../../db/kysely.js'
import { enqueueEmail, type MailQueue } from '../mail/enqueue-email.js'
import { fileStore } from '../files/file-storage.js'
import { DomainError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { hasControlCharacters, TEXT_LIMITS } from '../shared/user-text.js'
import { formatEuros } from '../shared/money.js'
import { sendQuoteCommand } from './quote.commands.js'
import { createQuoteLink } from './quote-link.js'
import type { QuoteSnapshot } from './quote-snapshot.js'
import { DEFAULT_BRAND_COLOR, missingLegalDetails } from './company-settings.rules.js'

// "Envoyer le devis": in ONE transaction, the current revision is frozen
// (sendQuoteCommand), its private signing link created (older versions' links stop
// signing), and the e-mail with the link stored and queued (enqueueEmail + pg-boss job).
// Either all of it happens or none.

export const SUBJECT_MAX = TEXT_LIMITS.subject
export const MESSAGE_MAX = TEXT_LIMITS.description
const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/

export type SendQuoteEmail = { to: string; subject: string; message: string }

export function validateSendQuoteEmail(input: SendQuoteEmail): SendQuoteEmail {
  const errors: FieldProblems = {}
  const to = input.to.trim()
  if (!to) errors.to = 'quote.email.to.required'
  else if (!EMAIL.test(to) || to.length > TEXT_LIMITS.email || hasControlCharacters(to, false)) errors.to = 'email.invalid'
  const subject = input.subject.trim().replace(/\s+/g, ' ')
  if (!subject) errors.subject = 'quote.email.subject.required'
  else if (hasControlCharacters(subject, false)) errors.subject = 'text.control_characters'
  else if (subject.length > SUBJECT_MAX) errors.subject = { code: 'subject.too_long', params: { max: SUBJECT_MAX } }
  const message = input.message.replace(/\r\n/g, '\n').trim()
  if (!message) errors.message = 'quote.email.message.required'
  else if (hasControlCharacters(message, true)) errors.message = 'text.control_characters'
  else if (message.length > MESSAGE_MAX) errors.message = { code: 'quote.email.message.too_long', params: { max: MESSAGE_MAX } }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return { to, subject, message }
}

/**
 * What the document lacks to be sent (French legal mentions of the seller, the buyer's
 * address), as the words the refusal names; empty lists when complete.
 */
export function missingForSending(q: Pick<QuoteSnapshot, 'seller' | 'customer'>): { seller: string[]; customer: string[] } {
  const s = q.seller
  const seller = missingLegalDetails({
    legal_form: s.legal_form ?? null,
    share_capital_cents: s.share_capital_cents ?? null,
    siren: s.siren ?? null,
    rcs_city: s.rcs_city ?? null,
    vat_number: s.vat_number ?? null,
    address: s.address ?? null,
    city: s.city ?? null,
    vat_franchise: s.vat_franchise ?? false,
  })
  const c = q.customer
  const customer = [!c.address?.trim() && 'adresse', !c.postal_code?.trim() && 'code postal', !c.city?.trim() && 'ville'].filter((x): x is string => !!x)
  return { seller, customer }
}

const frenchDay = (day: string) => day.split('-').reverse().join('/')

export type SendQuoteByEmailResult =
  { duplicate: true } | { duplicate: false; revision: number; linkId: string; token: string; emailId: string; expiresAt: Date }

/**
 * Freezes and sends the quote's current revision to `email.to` with a private link.
 *
 * @example await sendQuoteByEmail(db, runtime.jobs, ctx, { id, expectedVersion: 4, email: { to: 'claire@martin.fr', subject: 'Devis DEV-2026-0042', message: 'Bonjour…' } })
 */
export async function sendQuoteByEmail(
  db: Db,
  jobs: MailQueue | null,
  ctx: CommandContext,
  cmd: {
    id: string
    expectedVersion?: number
    email: SendQuoteEmail
    /** Draws the frozen version as PDF (the app's renderer) to attach it; without it the e-mail carries the link only. */
    renderPdf?: (v: { snapshot: QuoteSnapshot; sha256: string }) => Promise<Uint8Array>
  },
): Promise<SendQuoteByEmailResult> {
  const email = validateSendQuoteEmail(cmd.email)
  return db.transaction().execute(async (trx) => {
    const r = await sendQuoteCommand(trx, ctx, { id: cmd.id, expectedVersion: cmd.expectedVersion })
    // A replayed form (same command id): already sent with its link and e-mail.
    if (!r.sent) return { duplicate: true as const }
    const snapshot = r.sent.snapshot as QuoteSnapshot
    // Checked on the frozen document itself; a refusal rolls the whole send back.
    const missing = missingForSending(snapshot)
    if (missing.seller.length) throw new DomainError({ code: 'quote.send.seller_incomplete', params: { list: missing.seller.join(', ') } })
    if (missing.customer.length) throw new DomainError({ code: 'quote.send.customer_address_missing', params: { list: missing.customer.join(', ') } })
    const link = await createQuoteLink(trx, {
      workspaceId: ctx.workspaceId,
      quoteId: cmd.id,
      revision: r.sent.revision,
      recipient: email.to,
      validUntil: r.sent.valid_until,
      createdBy: ctx.actorId,
      now: ctx.now,
    })
    // Drawn inside the transaction: the version exists only here until commit.
    const pdf = cmd.renderPdf ? await cmd.renderPdf({ snapshot, sha256: r.sent.sha256 }) : null
    // The version's PDF is kept as sent: every later download returns these very bytes.
    if (pdf) {
      const stored = await fileStore(trx).put(ctx.workspaceId, pdf, 'application/pdf')
      await trx
        .updateTable('quote_versions')
        .set({ pdf_sha256: stored.sha256 })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('quote_id', '=', cmd.id)
        .where('revision', '=', r.sent.revision)
        .execute()
    }
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
      template: 'quote_sent',
      sender: { repName: rep?.full_name ?? null, company: snapshot.seller.name, replyTo: rep?.email ?? snapshot.seller.email ?? null },
      idempotencyKey: `quote_sent:${cmd.id}:${r.sent.revision}`,
      props: {
        subject: email.subject,
        message: email.message,
        sellerName: snapshot.seller.name,
        brandColor: snapshot.seller.brand_color ?? DEFAULT_BRAND_COLOR,
        number: snapshot.number,
        title: snapshot.title,
        totalTtc: formatEuros(r.sent.total_ttc_cents),
        totalHt: formatEuros(r.sent.total_ht_cents),
        validUntil: frenchDay(r.sent.valid_until),
        link: `/q/${link.token}`,
        attached: !!pdf,
      },
      attachments: pdf ? [{ filename: `devis-${snapshot.number}-v${snapshot.revision}.pdf`, contentType: 'application/pdf', content: pdf }] : undefined,
    })
    await trx.updateTable('quote_links').set({ email_id: mail.id }).where('id', '=', link.id).execute()
    return { duplicate: false as const, revision: r.sent.revision, linkId: link.id, token: link.token, emailId: mail.id, expiresAt: link.expiresAt }
  })
}
