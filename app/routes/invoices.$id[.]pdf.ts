import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireUser } from '~/utils/auth.server'
import { findVisibleInvoice } from '~/utils/invoices.server'
import { renderInvoiceDocument } from '../../domain/invoicing/document/render-invoice.server'
import { ensureInvoicePdf, invoicePdfFilename } from '../../domain/invoicing/invoice-pdf'

/** GET /invoices/:id.pdf — the issued invoice's PDF, the same bytes on every download (drawn once, kept). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const found = await findVisibleInvoice(auth, params.id ?? '')
  if (!found || found.invoice.status === 'brouillon') throw notFound()
  const pdf = await ensureInvoicePdf(context.runtime.db, auth.user.workspaceId, found.invoice.id, renderInvoiceDocument)
  if (!pdf) throw notFound()
  return invoicePdfResponse(pdf.bytes, invoicePdfFilename(pdf.document), pdf.sha256)
}

export function invoicePdfResponse(bytes: Uint8Array, filename: string, sha256: string) {
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'private, no-store',
      ETag: `"${sha256}"`,
    },
  })
}
