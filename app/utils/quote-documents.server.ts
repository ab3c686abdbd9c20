import type { Auth } from './auth.server'
import { notFound } from './auth.server'
import { quoteVisibleTo } from './quotes.server'
import type { Db } from '../../db/kysely'
import { loadCompanyLogo } from '../../domain/sales/company-settings'
import { loadParties } from '../../domain/sales/quote.commands'
import type { QuoteState } from '../../domain/sales/quote'
import { buildQuoteSnapshot, type QuoteSnapshot } from '../../domain/sales/quote-snapshot'
import { toQuoteState } from '../../domain/sales/sales.repository'
import { addDays, parisDay } from '../../domain/shared/paris-time'
import type { QuotePdfInput } from './quote-pdf.server'

// Reads behind the quote documents (PDF, send page, signed copy): the same visibility as
// the quote's own page, in the session's workspace only.

/** The quote if this user may see it (the quote rule of quotes.server.ts, as on its page), else a 404. */
export async function loadVisibleQuote(auth: Auth, id: string): Promise<QuoteState> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound()
  const row = await auth.tenant
    .selectFrom('quotes')
    .selectAll('quotes')
    .where('quotes.id', '=', id)
    .where(quoteVisibleTo(auth.actor) as never)
    .executeTakeFirst()
  if (!row) throw notFound()
  return toQuoteState(row)
}

async function logoOf(db: Db, workspaceId: string, sha: string | null | undefined) {
  if (!sha) return null
  const l = await loadCompanyLogo(db, workspaceId, sha)
  return l ? { bytes: Buffer.from(l.bytes), contentType: l.content_type } : null
}

/** A frozen snapshot as the PDF draws it (its logo looked up by hash). */
export async function snapshotPdfInput(db: Db, workspaceId: string, snapshot: QuoteSnapshot, sha256: string): Promise<QuotePdfInput> {
  return { snapshot, sha256, logo: await logoOf(db, workspaceId, snapshot.seller.logo_sha256) }
}

/** A sent version as the PDF draws it: its frozen snapshot, hash and logo. */
export async function versionPdfInput(db: Db, workspaceId: string, quoteId: string, revision: number): Promise<QuotePdfInput | null> {
  const v = await db
    .selectFrom('quote_versions')
    .select(['snapshot', 'sha256'])
    .where('workspace_id', '=', workspaceId)
    .where('quote_id', '=', quoteId)
    .where('revision', '=', revision)
    .executeTakeFirst()
  if (!v) return null
  const snapshot = v.snapshot as QuoteSnapshot
  return { snapshot, sha256: v.sha256, logo: await logoOf(db, workspaceId, snapshot.seller.logo_sha256) }
}

/**
 * The draft being edited as it would be sent now (today's date, today's company
 * settings), watermarked "BROUILLON": a preview, never a document of record.
 */
export async function draftPdfInput(db: Db, quote: QuoteState, now = new Date()): Promise<QuotePdfInput> {
  const parties = await loadParties(db, quote)
  const issueDate = parisDay(now)
  const snapshot = buildQuoteSnapshot(quote, parties, { issuedAt: now.toISOString(), issueDate, validUntil: addDays(issueDate, quote.validity_days) })
  return { snapshot, sha256: null, logo: await logoOf(db, quote.workspace_id, parties.seller.logo_sha256), draft: true }
}

export const pdfResponse = (bytes: Buffer, filename: string, disposition: 'inline' | 'attachment' = 'inline') =>
  new Response(new Uint8Array(bytes), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `${disposition}; filename="${filename}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
