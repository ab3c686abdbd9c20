import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import type { PushSubscriptionTable } from '../../db/schema.js'
import { ValidationError } from '../shared/errors.js'

// The browsers a user subscribed to Web Push: saved from the subscribe screen
// (/settings/push), listed there as "devices", removed by the user or when the push
// service says the subscription is gone (404/410, push-send.ts).

export type PushSubscriptionInput = { endpoint: string; keys: { p256dh: string; auth: string } }
export type PushDevice = { id: string; label: string; createdAt: Date; lastSuccessAt: Date | null; lastFailure: string | null }

const B64URL = /^[A-Za-z0-9_-]+=*$/

/**
 * A subscription as the browser gives it (PushSubscription.toJSON()), checked: an https
 * endpoint (push services only speak https; loopback http only under the test switch,
 * which the sender enforces), a P-256 public key (65 bytes) and a 16-byte auth secret.
 */
export function parsePushSubscription(raw: unknown, o: { allowLoopbackHttp?: boolean } = {}): PushSubscriptionInput {
  const bad = () => new ValidationError({ subscription: 'push.subscription.invalid' })
  if (!raw || typeof raw !== 'object') throw bad()
  const r = raw as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } }
  if (typeof r.endpoint !== 'string' || r.endpoint.length > 2048) throw bad()
  let url: URL
  try {
    url = new URL(r.endpoint)
  } catch {
    throw bad()
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]'
  if (url.protocol !== 'https:' && !(o.allowLoopbackHttp && loopback && url.protocol === 'http:')) throw bad()
  const p256dh = r.keys?.p256dh
  const auth = r.keys?.auth
  if (typeof p256dh !== 'string' || typeof auth !== 'string' || !B64URL.test(p256dh) || !B64URL.test(auth)) throw bad()
  if (Buffer.from(p256dh, 'base64url').length !== 65 || Buffer.from(auth, 'base64url').length !== 16) throw bad()
  return { endpoint: r.endpoint, keys: { p256dh, auth } }
}

/** Saves (or re-binds to this user) a browser's subscription; the endpoint is unique. */
export async function savePushSubscription(
  db: Db,
  input: { workspaceId: string; userId: string; subscription: PushSubscriptionInput; deviceLabel: string; now: Date },
): Promise<{ id: string }> {
  const row = await db
    .insertInto('push_subscriptions')
    .values({
      id: randomUUID(),
      workspace_id: input.workspaceId,
      user_id: input.userId,
      endpoint: input.subscription.endpoint,
      p256dh: input.subscription.keys.p256dh,
      auth: input.subscription.keys.auth,
      device_label: input.deviceLabel.slice(0, 120) || 'Appareil',
      created_at: input.now,
    })
    // The same browser subscribing again (or another person signing in on it): the
    // endpoint now belongs to whoever subscribed last.
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet((eb) => ({
        workspace_id: eb.ref('excluded.workspace_id'),
        user_id: eb.ref('excluded.user_id'),
        p256dh: eb.ref('excluded.p256dh'),
        auth: eb.ref('excluded.auth'),
        device_label: eb.ref('excluded.device_label'),
        created_at: eb.ref('excluded.created_at'),
        last_failure: null,
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow()
  return row
}

export async function listPushDevices(db: Db, workspaceId: string, userId: string): Promise<PushDevice[]> {
  const rows = await db
    .selectFrom('push_subscriptions')
    .select(['id', 'device_label', 'created_at', 'last_success_at', 'last_failure'])
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute()
  return rows.map((r) => ({ id: r.id, label: r.device_label, createdAt: r.created_at, lastSuccessAt: r.last_success_at, lastFailure: r.last_failure }))
}

/** Removes one of the user's devices (by id) or the subscription of this browser (by endpoint). */
export async function removePushSubscription(db: Db, q: { workspaceId: string; userId: string } & ({ id: string } | { endpoint: string })): Promise<boolean> {
  let del = db.deleteFrom('push_subscriptions').where('workspace_id', '=', q.workspaceId).where('user_id', '=', q.userId)
  del = 'id' in q ? del.where('id', '=', q.id) : del.where('endpoint', '=', q.endpoint)
  const r = await del.executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export type StoredPushSubscription = Pick<PushSubscriptionTable, 'id' | 'endpoint' | 'p256dh' | 'auth'>
