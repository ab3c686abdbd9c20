import type { LoaderFunctionArgs } from '@remix-run/node'
import { frozenVersionPdf, pdfResponse } from '~/utils/quote-documents.server'
import { giveBackLinkLookup, loadPublicQuote, loadSignedPdf, takeLinkLookup } from '~/utils/quote-link.server'
import { quotePdfFilename } from '~/utils/quote-pdf.server'

/**
 * GET /q/:token.pdf — the customer's copy: the archived signed PDF once they signed,
 * else the version as sent. Same rules as the page: 404 unknown, 410 expired.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const db = context.runtime.db
  const ip = context.clientIp ?? null
  if (!(await takeLinkLookup(db, ip, context.runtime.now()))) throw new Response('Trop de tentatives', { status: 429, headers: { 'Retry-After': '900' } })
  const pq = await loadPublicQuote(db, params.token ?? '', context.runtime.now())
  if (!pq) throw new Response('Not Found', { status: 404 })
  await giveBackLinkLookup(db, ip)
  if (pq.state === 'expired') throw new Response('Ce lien a expiré.', { status: 410, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  const { link } = pq
  const signed = pq.answer?.decision === 'accepte' ? await loadSignedPdf(db, link.workspace_id, link.quote_id, link.revision) : null
  if (signed) return pdfResponse(signed.bytes, quotePdfFilename(pq.snapshot, '-signe'), 'attachment')
  const pdf = (await frozenVersionPdf(db, link.workspace_id, link.quote_id, link.revision))!
  return pdfResponse(pdf.bytes, quotePdfFilename(pq.snapshot), 'attachment')
}
