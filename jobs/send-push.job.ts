import { PUSH_SEND_QUEUE, type PushSendJob } from '../domain/notifications/push-enqueue.js'
import { sendPushToUser } from '../domain/notifications/push-send.js'
import { vapidKeys } from '../domain/notifications/push-vapid.js'
import { outboundPolicyFromEnv } from '../domain/shared/outbound-http/outbound-policy.js'
import type { JobDefinition } from './job.js'

// notifications.send-push: one message to every device of one user. Expired
// subscriptions (404/410) are removed on the way; a device that failed otherwise (push
// service down, timeout) fails the job so pg-boss retries — the devices that got it are
// sent it again then, which a push tolerates (same Topic: the phone shows one).

export const sendPushJob: JobDefinition<PushSendJob> = {
  queue: PUSH_SEND_QUEUE,
  async handle(data, deps) {
    const r = await sendPushToUser(deps.db, { workspaceId: data.workspaceId, userId: data.userId }, data.message, {
      vapid: vapidKeys(),
      policy: outboundPolicyFromEnv(),
      now: new Date(),
    })
    if (r.failed.length) throw new Error(`notifications push non remises (${r.failed.length}) : ${r.failed.map((f) => f.detail).join(' ; ')}`)
    return { sent: r.sent, removed: r.removed }
  },
}
