import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireUser } from '~/utils/auth.server'
import { draftPdfInput, frozenVersionPdf, loadVisibleQuote, pdfResponse } from '~/utils/quote-documents.server'
import { quotePdfFilename, renderQuotePdf } from '~/utils/quote-pdf.server'

/**
 * GET /quotes/:id/v/:version.pdf — a sent version's PDF, drawn once from its frozen
 * snapshot and kept (the same bytes forever). `/quotes/:id/v/brouillon.pdf` previews the draft being
 * edited, watermarked, with today's settings. Anyone who may see the quote's
 * organisation may download it.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const quote = await loadVisibleQuote(auth, params.id ?? '')
  const db = context.runtime.db
  if (params.version === 'brouillon') {
    if (quote.status !== 'brouillon') throw notFound()
    const input = await draftPdfInput(db, quote, context.runtime.now())
    return pdfResponse(await renderQuotePdf(input), quotePdfFilename(input.snapshot, '-brouillon'))
  }
  const revision = /^\d{1,6}$/.test(params.version ?? '') ? Number(params.version) : NaN
  if (!Number.isInteger(revision)) throw notFound()
  const pdf = await frozenVersionPdf(db, auth.user.workspaceId, quote.id, revision)
  if (!pdf) throw notFound()
  return pdfResponse(pdf.bytes, quotePdfFilename(pdf.snapshot))
}
