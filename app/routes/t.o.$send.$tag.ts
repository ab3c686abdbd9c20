import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordOpen, signedSend } from '../../domain/campaigns/tracking'

// /t/o/:send/:tag — the open pixel of a campaign e-mail (no login). A valid tag counts
// an open; any request gets the same transparent GIF, so the pixel tells nothing.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

export async function loader({ params, context }: LoaderFunctionArgs) {
  const send = await signedSend(context.runtime.db, 'open', params.send ?? '', params.tag ?? '')
  if (send) await recordOpen(context.runtime.db, send, context.runtime.now())
  return new Response(new Uint8Array(GIF), {
    headers: { 'Content-Type': 'image/gif', 'Content-Length': String(GIF.length), 'Cache-Control': 'no-store, private' },
  })
}
