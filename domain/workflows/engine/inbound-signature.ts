import { timingSafeEqual } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

// The signature of inbound workflow webhooks: the Standard Webhooks scheme
// (standardwebhooks.com). The sender signs `<webhook-id>.<webhook-timestamp>.<raw body>`
// with HMAC-SHA256, the workflow's secret (its text, as bytes) as key, and sends
// `webhook-signature: v1,<base64 of the HMAC>` (several, space-separated, during a key
// rotation). The id and the time are inside the signature, so a captured request cannot
// be given a new id or a fresh time; the receiver refuses stale times and ids it has seen.

/** How far a delivery's signed time may be from ours, either way. */
export const REPLAY_WINDOW_SECONDS = 5 * 60

/** `v1,<base64>` for a delivery (what a sender computes; tests and the README example use it). */
export function webhookSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  return new Webhook(secret, { format: 'raw' }).sign(id, new Date(timestampSeconds * 1000), body)
}

export type SignedHeaders = { id: string | null; timestamp: string | null; signature: string | null }

export type SignatureVerdict = { ok: true; id: string; timestamp: number } | { ok: false; error: string }

/** Checks the three headers against the secret and the body, and the time against `now` (the runtime's clock). */
export function verifyInbound(secret: string, h: SignedHeaders, body: string, now: Date): SignatureVerdict {
  const id = h.id?.trim() ?? ''
  const ts = h.timestamp?.trim() ?? ''
  if (!id || !ts || !h.signature) return { ok: false, error: 'En-têtes webhook-id, webhook-timestamp et webhook-signature requis.' }
  if (id.length > 200 || !/^[\x21-\x7e]+$/.test(id)) return { ok: false, error: 'webhook-id invalide (200 caractères visibles au plus).' }
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, error: 'webhook-timestamp invalide (secondes depuis 1970).' }
  const timestamp = Number(ts)
  const want = Buffer.from(webhookSignature(secret, id, timestamp, body))
  const matches = h.signature
    .split(' ')
    .filter(Boolean)
    .some((s) => {
      const got = Buffer.from(s)
      return got.length === want.length && timingSafeEqual(got, want)
    })
  if (!matches) return { ok: false, error: 'Signature invalide.' }
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > REPLAY_WINDOW_SECONDS)
    return { ok: false, error: 'Horodatage hors de la fenêtre de 5 minutes : signez la requête au moment de l’envoyer.' }
  return { ok: true, id, timestamp }
}
