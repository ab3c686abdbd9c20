import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireUser } from '~/utils/auth.server'
import { findVisibleInvoice } from '~/utils/invoices.server'
import { renderInvoiceDocument } from '../../domain/invoicing/document/render-invoice.server'
import { ensureInvoicePdf, invoicePdfFilename } from '../../domain/invoicing/invoice-pdf'
import { invoicePdfResponse } from '~/utils/invoice-link.server'

/** GET /invoices/:id.pdf — the issued invoice's PDF, the same bytes on every download (drawn once, kept). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const found = await findVisibleInvoice(auth, params.id ?? '')
  if (!found || found.invoice.status === 'brouillon') throw notFound()
  const pdf = await ensureInvoicePdf(context.runtime.db, auth.user.workspaceId, found.invoice.id, renderInvoiceDocument)
  if (!pdf) throw notFound()
  return invoicePdfResponse(pdf.bytes, invoicePdfFilename(pdf.document), pdf.sha256)
}
