import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireUser } from '~/utils/auth.server'
import { loadVisibleQuote, pdfResponse } from '~/utils/quote-documents.server'
import { loadSignedPdf } from '~/utils/quote-link.server'

/**
 * GET /quotes/:id/signed.pdf — the archived signed PDF (with its audit block), exactly
 * the bytes stored at signature, for whoever may see the quote. `?v=2` picks a version.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const quote = await loadVisibleQuote(auth, params.id ?? '')
  const v = new URL(request.url).searchParams.get('v')
  const revision = v && /^\d{1,6}$/.test(v) ? Number(v) : undefined
  const signed = await loadSignedPdf(context.runtime.db, auth.user.workspaceId, quote.id, revision)
  if (!signed) throw notFound()
  return pdfResponse(signed.bytes, `devis-${quote.number}-v${signed.revision}-signe.pdf`, 'attachment')
}
