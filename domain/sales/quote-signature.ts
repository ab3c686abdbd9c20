import { createHash, randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import type { QuoteLink, QuoteSignature } from '../../db/schema/quote-documents.js'
import { sealPdf } from '../documents/pdf-seal.js'
import { enqueueEmail, type MailQueue } from '../mail/enqueue-email.js'
import { tellUser } from '../notifications/tell-user.js'
import { DomainError, ValidationError, type FieldProblems, type Problem } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { formatEuros } from '../shared/money.js'
import { acceptQuoteCommand, refuseQuoteCommand } from './quote.commands.js'
import { linkState } from './quote-link.js'
import type { QuoteSnapshot } from './quote-snapshot.js'
import { DEFAULT_BRAND_COLOR } from './company-settings.rules.js'
import { refusalReason } from './quote.decide.js'
import { hasControlCharacters, TEXT_LIMITS } from '../shared/user-text.js'

// The customer's answer on the private link. Accepting, in ONE transaction: the quote
// accepted (acceptQuoteCommand: the deal to SIGNE at the HT amount), the signature
// recorded with its proof (name, drawn image, instant, IP, browser, SHA-256 of the exact
// version) and the signed PDF archived — sealed with the company's certificate (PAdES)
// when configured, else its SHA-256 recorded as the proof —; the quote's owner told; the
// signer sent their signed copy with its hash (in the seller's name). Refusing: the quote
// refused with the optional reason, the answer recorded, the owner told.

export const SIGNER_NAME_MAX = TEXT_LIMITS.name
export const SIGNATURE_PNG_MAX = 300 * 1024

export const SIGNER_TITLE_MAX = 200

export type SignatureInput = {
  signerName: string
  /** The signer's "qualité" (gérant, directrice des achats…). */
  signerTitle: string
  accepted: boolean
  /** The drawn signature as a PNG data URL (JavaScript on); null when typed. */
  drawing: string | null
}

/** Checks the form; returns the name and the PNG bytes of a drawn signature. */
export function validateSignature(input: SignatureInput): { signerName: string; signerTitle: string; png: Buffer | null } {
  const errors: FieldProblems = {}
  const signerName = input.signerName.trim().replace(/\s+/g, ' ')
  if (signerName.length < 3 || !/\p{L}/u.test(signerName)) errors.signer_name = 'signature.name.required'
  else if (hasControlCharacters(signerName, false)) errors.signer_name = 'text.control_characters'
  else if (signerName.length > SIGNER_NAME_MAX) errors.signer_name = { code: 'name.too_long', params: { max: SIGNER_NAME_MAX } }
  const signerTitle = input.signerTitle.trim().replace(/\s+/g, ' ')
  if (signerTitle.length < 2 || !/\p{L}/u.test(signerTitle)) errors.signer_title = 'signature.title.required'
  else if (signerTitle.length > SIGNER_TITLE_MAX) errors.signer_title = { code: 'signature.title.too_long', params: { max: SIGNER_TITLE_MAX } }
  if (!input.accepted) errors.accept = 'signature.accept.required'
  let png: Buffer | null = null
  if (input.drawing) {
    const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(input.drawing)
    png = m ? Buffer.from(m[1], 'base64') : null
    const isPng = png && png.length > 8 && png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    if (!isPng) errors.signature = 'signature.unreadable'
    else if (png!.length > SIGNATURE_PNG_MAX) errors.signature = 'signature.too_large'
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return { signerName, signerTitle, png }
}

/** Why this link cannot answer now (a code, translated by the public page), or null. */
export function linkRefusal(link: Pick<QuoteLink, 'expires_at' | 'superseded_at'>, now: Date): Problem | null {
  const state = linkState(link, now)
  if (state === 'expired') return 'quote_link.expired'
  if (state === 'superseded') return 'quote_link.superseded'
  return null
}

type Proof = { ip: string | null; userAgent: string | null }

async function assertLinkCanAnswer(trx: Db, link: QuoteLink, now: Date) {
  // Lock the link's row: two answers at once on the same link are serialised.
  const fresh = await trx.selectFrom('quote_links').selectAll().where('id', '=', link.id).forUpdate().executeTakeFirstOrThrow()
  const refusal = linkRefusal(fresh, now)
  if (refusal) throw new DomainError(refusal, undefined, { status: 410 })
  const answered = await trx
    .selectFrom('quote_signatures')
    .select(['decision'])
    .where('quote_id', '=', link.quote_id)
    .where('revision', '=', link.revision)
    .executeTakeFirst()
  if (answered) throw new DomainError(answered.decision === 'accepte' ? 'quote_link.already_signed' : 'quote_link.already_refused', undefined, { status: 409 })
  return trx
    .selectFrom('quote_versions')
    .select(['sha256', 'number', 'total_ht_cents', 'total_ttc_cents', 'snapshot'])
    .where('quote_id', '=', link.quote_id)
    .where('revision', '=', link.revision)
    .executeTakeFirstOrThrow()
}

async function tellOwner(trx: Db, jobs: MailQueue | null, link: QuoteLink, title: string, body: string, key: string) {
  const q = await trx.selectFrom('quotes').select(['created_by']).where('id', '=', link.quote_id).executeTakeFirstOrThrow()
  if (!q.created_by) return
  await tellUser(trx, jobs, {
    workspaceId: link.workspace_id,
    userId: q.created_by,
    kind: 'quote_answered',
    title,
    body,
    link: `/quotes/${link.quote_id}`,
    dedupKey: key,
  })
}

/**
 * Signs the link's version. `renderSignedPdf` draws the signed copy (the app's PDF
 * renderer) from the proof; it runs, with the seal, before the transaction so no lock
 * waits on it. `versionPdfSha256` is the hash of the version's PDF the signer received.
 */
export async function signQuoteByLink(
  db: Db,
  jobs: MailQueue | null,
  link: QuoteLink,
  input: SignatureInput &
    Proof & {
      now: Date
      versionPdfSha256: string | null
      renderSignedPdf: (p: { signerName: string; signerTitle: string; png: Buffer | null; signedAt: Date } & Proof) => Promise<Buffer>
    },
): Promise<{ signature: Pick<QuoteSignature, 'id' | 'signed_pdf_sha256' | 'seal'>; dealId: string | null }> {
  const { signerName, signerTitle, png } = validateSignature(input)
  const proof = { ip: input.ip?.slice(0, 100) ?? null, userAgent: input.userAgent?.slice(0, 500) ?? null }
  const drawn = await input.renderSignedPdf({ signerName, signerTitle, png, signedAt: input.now, ...proof })
  const { bytes: pdf, seal } = await sealPdf(drawn, { reason: `Devis signé par ${signerName}`, signedAt: input.now })
  const ctx: CommandContext = { workspaceId: link.workspace_id, actorId: null, now: input.now, source: 'web' }
  return db.transaction().execute(async (trx) => {
    const version = await assertLinkCanAnswer(trx, link, input.now)
    const accepted = await acceptQuoteCommand(trx, ctx, { id: link.quote_id, revision: link.revision, sha256: version.sha256, signedBy: signerName })
    const id = randomUUID()
    const pdfSha = createHash('sha256').update(pdf).digest('hex')
    await trx
      .insertInto('quote_signatures')
      .values({
        id,
        workspace_id: link.workspace_id,
        quote_id: link.quote_id,
        revision: link.revision,
        link_id: link.id,
        decision: 'accepte',
        signer_name: signerName,
        signer_title: signerTitle,
        method: png ? 'drawn' : 'typed',
        signature_png: png,
        reason: null,
        signed_at: input.now,
        ip: proof.ip,
        user_agent: proof.userAgent,
        version_sha256: version.sha256,
        version_pdf_sha256: input.versionPdfSha256,
        signed_pdf: pdf,
        signed_pdf_sha256: pdfSha,
        seal,
      })
      .execute()
    await tellOwner(
      trx,
      jobs,
      link,
      `Devis ${version.number} signé par ${signerName}`,
      `Version ${link.revision}, ${formatEuros(version.total_ht_cents)} HT.${accepted.deal ? ' L\u2019affaire liée passe en signé.' : ''}`,
      `quote_signed:${link.quote_id}:${link.revision}`,
    )
    await sendSignerCopy(trx, jobs, link, { signerName, pdf, pdfSha, versionPdfSha256: input.versionPdfSha256, signedAt: input.now, version })
    return { signature: { id, signed_pdf_sha256: pdfSha, seal }, dealId: accepted.deal?.id ?? null }
  })
}

const parisLong = (d: Date) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' }).format(d)

/** The signer's receipt: the signed PDF attached, its SHA-256 in the text, from the seller's rep. */
async function sendSignerCopy(
  trx: Db,
  jobs: MailQueue | null,
  link: QuoteLink,
  p: {
    signerName: string
    pdf: Buffer
    pdfSha: string
    versionPdfSha256: string | null
    signedAt: Date
    version: { number: string; total_ttc_cents: number; snapshot: unknown }
  },
) {
  const snapshot = p.version.snapshot as QuoteSnapshot
  const q = await trx.selectFrom('quotes').select(['created_by']).where('id', '=', link.quote_id).executeTakeFirstOrThrow()
  const rep = q.created_by
    ? await trx
        .selectFrom('users')
        .select(['full_name', 'email'])
        .where('workspace_id', '=', link.workspace_id)
        .where('id', '=', q.created_by)
        .executeTakeFirst()
    : undefined
  await enqueueEmail(trx, jobs, {
    workspaceId: link.workspace_id,
    to: link.recipient,
    template: 'quote_signed',
    sender: { repName: rep?.full_name ?? null, company: snapshot.seller.name, replyTo: rep?.email ?? snapshot.seller.email ?? null },
    idempotencyKey: `quote_signed_copy:${link.quote_id}:${link.revision}`,
    props: {
      sellerName: snapshot.seller.name,
      brandColor: snapshot.seller.brand_color ?? DEFAULT_BRAND_COLOR,
      signerName: p.signerName,
      number: p.version.number,
      revision: link.revision,
      signedAt: parisLong(p.signedAt),
      totalTtc: formatEuros(p.version.total_ttc_cents),
      signedPdfSha256: p.pdfSha,
      versionPdfSha256: p.versionPdfSha256,
      link: `/quotes/${link.quote_id}`,
    },
    attachments: [{ filename: `devis-${p.version.number}-v${link.revision}-signe.pdf`, contentType: 'application/pdf', content: p.pdf }],
  })
}

/** Refuses the link's version, with an optional reason. */
export async function refuseQuoteByLink(
  db: Db,
  jobs: MailQueue | null,
  link: QuoteLink,
  input: { signerName: string | null; reason: string | null; now: Date } & Proof,
): Promise<void> {
  const reason = refusalReason(input.reason)
  const typed = input.signerName?.trim().replace(/\s+/g, ' ').slice(0, SIGNER_NAME_MAX)
  const name = typed && !hasControlCharacters(typed, false) ? typed : link.recipient
  const ctx: CommandContext = { workspaceId: link.workspace_id, actorId: null, now: input.now, source: 'web' }
  await db.transaction().execute(async (trx) => {
    const version = await assertLinkCanAnswer(trx, link, input.now)
    await refuseQuoteCommand(trx, ctx, { id: link.quote_id, reason })
    await trx
      .insertInto('quote_signatures')
      .values({
        id: randomUUID(),
        workspace_id: link.workspace_id,
        quote_id: link.quote_id,
        revision: link.revision,
        link_id: link.id,
        decision: 'refuse',
        signer_name: name,
        method: null,
        signature_png: null,
        reason,
        signed_at: input.now,
        ip: input.ip?.slice(0, 100) ?? null,
        user_agent: input.userAgent?.slice(0, 500) ?? null,
        version_sha256: version.sha256,
        signed_pdf: null,
        signed_pdf_sha256: null,
      })
      .execute()
    await tellOwner(
      trx,
      jobs,
      link,
      `Devis ${version.number} refusé`,
      reason ? `Raison : ${reason}` : 'Sans raison indiquée.',
      `quote_refused:${link.quote_id}:${link.revision}`,
    )
  })
}
