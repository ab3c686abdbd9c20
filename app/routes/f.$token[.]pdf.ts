import type { LoaderFunctionArgs } from '@remix-run/node'
import { renderInvoiceDocument } from '../../domain/invoicing/document/render-invoice.server'
import { ensureInvoicePdf, invoicePdfFilename } from '../../domain/invoicing/invoice-pdf'
import { invoicePdfResponse, publicInvoiceOf } from '~/utils/invoice-link.server'

/** GET /f/:token.pdf — the customer's copy of the invoice: the very bytes kept at issue. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const { link } = await publicInvoiceOf(context, params.token ?? '')
  const pdf = await ensureInvoicePdf(context.runtime.db, link.workspace_id, link.invoice_id, renderInvoiceDocument)
  if (!pdf) throw new Response('Not Found', { status: 404 })
  return invoicePdfResponse(pdf.bytes, invoicePdfFilename(pdf.document), pdf.sha256)
}
