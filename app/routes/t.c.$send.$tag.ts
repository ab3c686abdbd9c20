import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordClick, signedSend } from '../../domain/campaigns/tracking'

// /t/c/:send/:tag?u=<url> — a tracked link of a campaign e-mail (no login). The tag
// signs the send AND the target URL: a changed `u` fails the check, so this is no open
// redirect; only http(s) targets were ever signed. A bad link is a 404, never a redirect.
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url).searchParams.get('u') ?? ''
  const send = await signedSend(context.runtime.db, 'click', params.send ?? '', params.tag ?? '', url)
  if (!send) return new Response('Lien invalide ou modifié.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  await recordClick(context.runtime.db, send, context.runtime.now())
  return new Response(null, { status: 302, headers: { Location: url, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } })
}
