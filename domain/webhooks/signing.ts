import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

// Standard Webhooks signing (standardwebhooks.com): `webhook-signature` is
// `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, the key being
// the base64 bytes after `whsec_`. During a rotation both secrets sign, space-separated:
// a receiver holding either one accepts the message.

/** A new endpoint secret, in the spec's `whsec_` form (24 random bytes). */
export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`

export type SignedHeaders = { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string }

/**
 * The three headers of a message signed with each of `secrets` (the current one first).
 *
 * @example const h = signMessage([secret], 'evt_42', now, body)
 */
export function signMessage(secrets: string[], id: string, at: Date, body: string): SignedHeaders {
  const seconds = Math.floor(at.getTime() / 1000)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, new Date(seconds * 1000), body)).join(' '),
  }
}
