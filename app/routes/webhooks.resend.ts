import type { ActionFunctionArgs } from '@remix-run/node'
import { receiveResendWebhook, resendWebhookSecret } from '../../domain/campaigns/resend-webhooks'

// POST /webhooks/resend — Resend's event deliveries, signed by Svix (svix-id,
// svix-timestamp, svix-signature; secret RESEND_WEBHOOK_SECRET). 200 applied; 401 bad
// signature or a time more than 5 minutes off; 409 a replayed svix-id; 400 unreadable;
// 404 when no secret is configured (the endpoint does not exist for this install; a 5xx would say the server failed) (unsigned events are never trusted). No session, no
// form token: the signature is the authentication.

const MAX_BYTES = 256 * 1024
const json = (body: object, status: number) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } })

export async function loader() {
  return json({ error: 'Utilisez POST.' }, 405)
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ error: 'Utilisez POST.' }, 405)
  const secret = resendWebhookSecret()
  if (!secret) return json({ error: 'Webhooks Resend non configurés (RESEND_WEBHOOK_SECRET).' }, 404)
  const raw = await request.text()
  if (Buffer.byteLength(raw) > MAX_BYTES) return json({ error: 'Corps trop volumineux (256 Ko au plus).' }, 413)
  const h = request.headers
  const out = await receiveResendWebhook(
    context.runtime.db,
    secret,
    { id: h.get('svix-id'), timestamp: h.get('svix-timestamp'), signature: h.get('svix-signature') },
    raw,
    context.runtime.now(),
  )
  return json(out.status === 200 ? { ok: true, message: out.message } : { error: out.message }, out.status)
}
