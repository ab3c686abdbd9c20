import type { Db } from '../../db/kysely.js'
import { fileStore } from '../files/file-storage.js'
import { loadCompanyLogo } from '../sales/company-settings.js'
import { DomainError } from '../shared/errors.js'
import type { InvoiceDocument } from './invoice-document.js'

// An issued invoice's PDF is drawn ONCE from its frozen document and kept in the file
// store (content-addressed, SHA-256); invoices.pdf_sha256 names it. Every download, the
// e-mail attachment and the public link return those bytes. The render job calls this
// right after issue; a download that comes first draws it itself — whichever finishes
// first wins (the row is set only while still empty), the other's bytes are dropped.

export type RenderInvoice = (doc: InvoiceDocument, opts: { logo: { contentType: string; bytes: Uint8Array } | null }) => Promise<Uint8Array>

export async function ensureInvoicePdf(
  db: Db,
  workspaceId: string,
  invoiceId: string,
  render: RenderInvoice,
): Promise<{ bytes: Buffer; sha256: string; document: InvoiceDocument } | null> {
  const row = await db
    .selectFrom('invoices')
    .select(['document', 'pdf_sha256', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', invoiceId)
    .executeTakeFirst()
  if (!row || !row.document) return null
  const document = row.document as InvoiceDocument
  const files = fileStore(db)
  if (row.pdf_sha256) {
    const kept = await files.read(workspaceId, row.pdf_sha256)
    if (!kept) throw new DomainError('invoice.pdf.not_ready', undefined, { status: 503 })
    return { bytes: kept.bytes, sha256: row.pdf_sha256, document }
  }
  const logo = document.seller.logo_sha256 ? await loadCompanyLogo(db, workspaceId, document.seller.logo_sha256) : undefined
  const bytes = await render(document, { logo: logo ? { contentType: logo.content_type, bytes: logo.bytes } : null })
  const stored = await files.put(workspaceId, bytes, 'application/pdf')
  await db
    .updateTable('invoices')
    .set({ pdf_sha256: stored.sha256 })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', invoiceId)
    .where('pdf_sha256', 'is', null)
    .execute()
  const winner = await db
    .selectFrom('invoices')
    .select('pdf_sha256')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow()
  if (winner.pdf_sha256 === stored.sha256) return { bytes: Buffer.from(bytes), sha256: stored.sha256, document }
  const kept = (await files.read(workspaceId, winner.pdf_sha256!))!
  return { bytes: kept.bytes, sha256: winner.pdf_sha256!, document }
}

export const invoicePdfFilename = (d: Pick<InvoiceDocument, 'type_code' | 'number'>) =>
  `${d.type_code === '381' ? 'avoir' : d.type_code === '386' ? 'facture-acompte' : 'facture'}-${d.number}.pdf`
