import webpush from 'web-push'
import type { Db } from '../../db/kysely.js'
import { type LookupFn, postGuarded } from '../shared/outbound-http/guarded-post.js'
import type { OutboundPolicy } from '../shared/outbound-http/outbound-policy.js'
import type { NotificationKind } from './kinds.js'
import type { VapidKeys } from './push-vapid.js'

// Sends one message to every browser a user subscribed. `web-push` builds each request
// (the VAPID JWT signed with our private key, the payload encrypted for that browser
// with aes128gcm, RFC 8291); the request itself goes out through the SSRF guard
// (domain/shared/outbound-http): the endpoint is a URL the browser gave us, so it is
// checked like any address a user typed, and tests reach a receiver on loopback only
// under the test switch.

/** What the service worker shows (app/sw/push.ts reads this shape). */
export type PushMessage = { kind: NotificationKind; title: string; body?: string | null; link?: string | null; tag?: string | null }

export type PushSendDeps = { vapid: VapidKeys; policy: OutboundPolicy; lookup?: LookupFn; now: Date; timeoutMs?: number }

export type PushSendResult = { sent: number; removed: number; failed: { id: string; status: number | null; detail: string }[] }

/** A message kept for this long by the push service when the phone is off. */
const TTL_SECONDS = 24 * 60 * 60

export async function sendPushToUser(db: Db, to: { workspaceId: string; userId: string }, message: PushMessage, deps: PushSendDeps): Promise<PushSendResult> {
  const subs = await db
    .selectFrom('push_subscriptions')
    .select(['id', 'endpoint', 'p256dh', 'auth'])
    .where('workspace_id', '=', to.workspaceId)
    .where('user_id', '=', to.userId)
    .execute()
  const result: PushSendResult = { sent: 0, removed: 0, failed: [] }
  const payload = JSON.stringify({ kind: message.kind, title: message.title, body: message.body ?? null, link: message.link ?? null, tag: message.tag ?? null })
  for (const sub of subs) {
    const req = webpush.generateRequestDetails({ endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } }, payload, {
      vapidDetails: deps.vapid,
      TTL: TTL_SECONDS,
      contentEncoding: 'aes128gcm',
      urgency: message.kind === 'task_reminder_j0' ? 'high' : 'normal',
      ...(message.tag ? { topic: topicOf(message.tag) } : {}),
    })
    let status: number | null = null
    let detail = ''
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
      status = (
        await postGuarded(
          req.endpoint,
          { headers, body: new Uint8Array(req.body), timeoutMs: deps.timeoutMs ?? 10_000 },
          { policy: deps.policy, lookup: deps.lookup },
        )
      ).status
    } catch (e) {
      detail = (e as Error).message
    }
    if (status !== null && status >= 200 && status < 300) {
      result.sent++
      await db.updateTable('push_subscriptions').set({ last_success_at: deps.now, last_failure: null }).where('id', '=', sub.id).execute()
    } else if (status === 404 || status === 410) {
      // The push service forgot this browser (unsubscribed, uninstalled, expired): for good.
      result.removed++
      await db.deleteFrom('push_subscriptions').where('id', '=', sub.id).execute()
    } else {
      detail ||= `réponse ${status}`
      result.failed.push({ id: sub.id, status, detail })
      await db
        .updateTable('push_subscriptions')
        .set({ last_failure: detail.slice(0, 500) })
        .where('id', '=', sub.id)
        .execute()
    }
  }
  return result
}

/** The Topic header: at most 32 URL-safe characters; a newer message with it replaces the older one. */
const topicOf = (tag: string) => tag.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 32)
