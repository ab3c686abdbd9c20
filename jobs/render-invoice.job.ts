import { renderInvoiceDocument } from '../domain/invoicing/document/render-invoice.server.js'
import type { RenderInvoiceJob } from '../domain/invoicing/invoice.commands.js'
import { ensureInvoicePdf } from '../domain/invoicing/invoice-pdf.js'
import type { JobDefinition } from './job.js'

// invoicing.render-pdf: draws an issued invoice's PDF once and keeps it (file store +
// invoices.pdf_sha256). Idempotent: a PDF already stored is left as it is.

export const renderInvoiceJob: JobDefinition<RenderInvoiceJob> = {
  queue: 'invoicing.render-pdf',
  async handle(data, deps) {
    const r = await ensureInvoicePdf(deps.db, data.workspaceId, data.invoiceId, renderInvoiceDocument)
    if (!r) throw new Error(`invoicing.render-pdf: invoice ${data.invoiceId} not found or not issued`)
    return { sha256: r.sha256 }
  },
}
