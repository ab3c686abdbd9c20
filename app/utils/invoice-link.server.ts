import type { AppLoadContext } from '@remix-run/node'
import { findInvoiceLink } from '../../domain/invoicing/invoice-link'
import { toInvoiceState } from '../../domain/invoicing/invoice.repository'
import { giveBackLinkLookup, takeLinkLookup } from './quote-link.server'

// The public invoice link (/f/<token>) and PDF responses, shared by the routes.

export async function publicInvoiceOf(context: AppLoadContext, token: string) {
  const db = context.runtime.db
  const ip = context.clientIp ?? null
  if (!(await takeLinkLookup(db, ip, context.runtime.now()))) throw new Response('Trop de tentatives', { status: 429, headers: { 'Retry-After': '900' } })
  const link = await findInvoiceLink(db, token)
  const row = link
    ? await db.selectFrom('invoices').selectAll().where('workspace_id', '=', link.workspace_id).where('id', '=', link.invoice_id).executeTakeFirst()
    : undefined
  if (!link || !row || !row.document) throw new Response('Not Found', { status: 404 })
  await giveBackLinkLookup(db, ip)
  return { link, invoice: toInvoiceState(row) }
}

/** The kept PDF as a download; its SHA-256 as ETag. */
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
