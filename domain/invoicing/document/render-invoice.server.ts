import { renderToBuffer } from '@react-pdf/renderer'
import { createElement } from 'react'
import { assertInvoiceDocument } from '../facturx/business-rules.js'
import { buildCiiXml } from '../facturx/cii-xml.js'
import { makeFacturXPdf } from '../facturx/pdfa.server.js'
import type { InvoiceDocument } from '../invoice-document.js'
import { InvoicePage, type InvoiceLogo } from './invoice-page.server.js'
import { TITLES } from './mentions.js'

/**
 * The issued document as a Factur-X PDF (PDF/A-3b, factur-x.xml EN 16931 embedded),
 * deterministic: the same document (and logo) always gives the same bytes. A document
 * that breaks an EN 16931 business rule or lacks a mandatory mention is refused first
 * (DomainError 'invoice.document.invalid', the problems listed in French).
 */
export async function renderInvoiceDocument(doc: InvoiceDocument, opts: { logo: { contentType: string; bytes: Uint8Array } | null }): Promise<Uint8Array> {
  assertInvoiceDocument(doc)
  const xml = buildCiiXml(doc)
  const logo: InvoiceLogo | null = opts.logo
  // createElement's typing wants a component returning a <Document>; InvoicePage does.
  const page = await renderToBuffer(createElement(InvoicePage, { doc, logo }) as Parameters<typeof renderToBuffer>[0])
  const title = `${TITLES[doc.type_code]} ${doc.number}`
  return makeFacturXPdf(new Uint8Array(page), xml, {
    title,
    author: doc.seller.name,
    subject: `${title} — ${doc.buyer.name}`,
    keywords: ['Factur-X', 'EN 16931', TITLES[doc.type_code], doc.number],
    date: new Date(doc.issued_at),
    idSeed: `${doc.invoice_id}|${doc.number}`,
  })
}

/** "facture-2026-F-0042.pdf", "avoir-2026-A-0003.pdf", "facture-acompte-…". */
export const invoicePdfFilename = (doc: Pick<InvoiceDocument, 'type_code' | 'number'>) =>
  `${doc.type_code === '381' ? 'avoir' : doc.type_code === '386' ? 'facture-acompte' : 'facture'}-${doc.number.replace(/[^\w.-]+/g, '-')}.pdf`
