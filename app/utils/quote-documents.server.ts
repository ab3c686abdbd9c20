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
import { fileStore } from '../../domain/files/file-storage'
import { renderQuotePdf, type QuotePdfInput } from './quote-pdf.server'

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
 * A sent version's PDF, byte for byte the same on every download: drawn once (at sending,
 * or at the first download of a version sent before this was kept) and kept in the file
 * store; quote_versions.pdf_sha256 names it. Null for an unknown version.
 */
export async function frozenVersionPdf(
  db: Db,
  workspaceId: string,
  quoteId: string,
  revision: number,
): Promise<{ bytes: Buffer; sha256: string; snapshot: QuoteSnapshot } | null> {
  const version = () =>
    db
      .selectFrom('quote_versions')
      .select(['snapshot', 'sha256', 'pdf_sha256'])
      .where('workspace_id', '=', workspaceId)
      .where('quote_id', '=', quoteId)
      .where('revision', '=', revision)
      .executeTakeFirst()
  const v = await version()
  if (!v) return null
  const snapshot = v.snapshot as QuoteSnapshot
  const files = fileStore(db)
  if (v.pdf_sha256) {
    const kept = await files.read(workspaceId, v.pdf_sha256)
    if (kept) return { bytes: kept.bytes, sha256: v.pdf_sha256, snapshot }
  }
  const bytes = await renderQuotePdf(await snapshotPdfInput(db, workspaceId, snapshot, v.sha256))
  const stored = await files.put(workspaceId, bytes, 'application/pdf')
  // Two first downloads at once: the first one kept wins, the other serves the winner's bytes.
  await db
    .updateTable('quote_versions')
    .set({ pdf_sha256: stored.sha256 })
    .where('workspace_id', '=', workspaceId)
    .where('quote_id', '=', quoteId)
    .where('revision', '=', revision)
    .where('pdf_sha256', 'is', null)
    .execute()
  const winner = (await version())!.pdf_sha256!
  if (winner === stored.sha256) return { bytes, sha256: stored.sha256, snapshot }
  const kept = (await files.read(workspaceId, winner))!
  return { bytes: kept.bytes, sha256: winner, snapshot }
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
