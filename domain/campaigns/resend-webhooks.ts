import { timingSafeEqual } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { suppressEmail } from './suppression.js'

// Resend's webhooks (https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests),
// signed by Svix: `svix-id`, `svix-timestamp`, `svix-signature: v1,<base64 HMAC-SHA256
// of "id.timestamp.body">`, the key being the base64 part of the `whsec_…` secret
// (RESEND_WEBHOOK_SECRET). The time is checked against the runtime's clock, 5 minutes
// either way; an id already received is a replay and changes nothing. Then:
// delivered/opened/clicked stamp the send; a permanent bounce and a complaint put the
// address on the workspace's suppression list.

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60

export type SvixHeaders = { id: string | null; timestamp: string | null; signature: string | null }
export type WebhookOutcome = { status: 200 | 400 | 401 | 409; message: string }

/** Resend's webhook secret, or null when not configured. */
export const resendWebhookSecret = () => process.env.RESEND_WEBHOOK_SECRET?.trim() || null

/** The signature a Svix sender writes (tests and the bench sign with it). */
export function svixSignature(secret: string, id: string, timestampSeconds: number, body: string): string {
  return new Webhook(secret).sign(id, new Date(timestampSeconds * 1000), body)
}

function verify(secret: string, h: SvixHeaders, body: string, now: Date): WebhookOutcome | null {
  if (!h.id || !h.timestamp || !h.signature) return { status: 400, message: 'En-têtes svix-id, svix-timestamp et svix-signature requis.' }
  if (!/^\d{1,12}$/.test(h.timestamp)) return { status: 400, message: 'svix-timestamp invalide.' }
  const ts = Number(h.timestamp)
  const want = Buffer.from(svixSignature(secret, h.id, ts, body))
  // Several signatures during a key rotation, space-separated; ours must be among them.
  const ok = h.signature.split(' ').some((s) => {
    const got = Buffer.from(s)
    return got.length === want.length && timingSafeEqual(got, want)
  })
  if (!ok) return { status: 401, message: 'Signature invalide.' }
  if (Math.abs(Math.floor(now.getTime() / 1000) - ts) > WEBHOOK_TOLERANCE_SECONDS)
    return { status: 401, message: 'Horodatage hors de la fenêtre de 5 minutes.' }
  return null
}

type ResendEvent = { type?: string; created_at?: string; data?: { email_id?: string; to?: string[]; bounce?: { type?: string } } }

/**
 * Verifies and applies one delivery.
 *
 * @example await receiveResendWebhook(db, secret, { id, timestamp, signature }, rawBody, runtime.now())
 */
export async function receiveResendWebhook(db: Db, secret: string, h: SvixHeaders, body: string, now: Date): Promise<WebhookOutcome> {
  const refused = verify(secret, h, body, now)
  if (refused) return refused
  let event: ResendEvent
  try {
    event = JSON.parse(body) as ResendEvent
  } catch {
    return { status: 400, message: 'Corps JSON illisible.' }
  }
  const type = typeof event.type === 'string' ? event.type.slice(0, 100) : ''
  const providerId = typeof event.data?.email_id === 'string' ? event.data.email_id : null
  return db.transaction().execute(async (trx) => {
    const send = providerId
      ? await trx.selectFrom('campaign_sends').select(['id', 'workspace_id', 'email', 'campaign_id']).where('provider_id', '=', providerId).executeTakeFirst()
      : undefined
    const inserted = await trx
      .insertInto('resend_webhook_events')
      .values({
        svix_id: h.id!,
        workspace_id: send?.workspace_id ?? null,
        type,
        provider_id: providerId,
        received_at: now,
        payload: event as Record<string, unknown>,
      })
      .onConflict((oc) => oc.column('svix_id').doNothing())
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { status: 409, message: 'Livraison déjà reçue (rejeu).' } as const
    if (!send) return { status: 200, message: 'Reçu (aucun envoi de campagne correspondant).' } as const
    switch (type) {
      case 'email.delivered':
        await sql`update campaign_sends set delivered_at = coalesce(delivered_at, ${now}) where id = ${send.id}`.execute(trx)
        break
      case 'email.opened':
        await sql`update campaign_sends set open_count = open_count + 1, first_opened_at = coalesce(first_opened_at, ${now}) where id = ${send.id}`.execute(trx)
        break
      case 'email.clicked':
        await sql`update campaign_sends set click_count = click_count + 1, first_clicked_at = coalesce(first_clicked_at, ${now}) where id = ${send.id}`.execute(
          trx,
        )
        break
      case 'email.bounced':
        await sql`update campaign_sends set bounced_at = coalesce(bounced_at, ${now}) where id = ${send.id}`.execute(trx)
        // Only a permanent bounce suppresses: a full mailbox may accept mail tomorrow.
        if ((event.data?.bounce?.type ?? 'Permanent') === 'Permanent')
          await suppressEmail(trx, { workspaceId: send.workspace_id, email: send.email, reason: 'hard_bounce', source: `Resend (${send.campaign_id})`, now })
        break
      case 'email.complained':
        await sql`update campaign_sends set complained_at = coalesce(complained_at, ${now}) where id = ${send.id}`.execute(trx)
        await suppressEmail(trx, { workspaceId: send.workspace_id, email: send.email, reason: 'complaint', source: `Resend (${send.campaign_id})`, now })
        break
    }
    return { status: 200, message: 'Reçu.' } as const
  })
}
