import type { SqlExecutor } from '../mail/enqueue-email.js'
import { kyselyExecutor } from '../mail/enqueue-email.js'
import type { Db } from '../../db/kysely.js'
import type { PushMessage } from './push-send.js'

export const PUSH_SEND_QUEUE = 'notifications.send-push' as const

// The job carries the short message itself, not an id: a push is a ping that has no row
// of its own (the in-app notification, when the user wants one, is its record), and the
// text is what the user is told at that moment.
export type PushSendJob = { workspaceId: string; userId: string; message: PushMessage }

export type PushQueue = {
  send(queue: typeof PUSH_SEND_QUEUE, data: PushSendJob, opts?: { singletonKey?: string; db?: SqlExecutor }): Promise<string | null>
}

/**
 * Queues one push for a user (all of their devices); in the caller's transaction when
 * `db` is one, so the push exists iff the change that caused it does. One job per
 * `dedupKey` (pg-boss singletonKey while it is queued).
 */
export async function enqueuePush(db: Db, jobs: PushQueue, job: PushSendJob & { dedupKey: string }): Promise<string | null> {
  const { dedupKey, ...data } = job
  return jobs.send(PUSH_SEND_QUEUE, data, { singletonKey: `${job.userId}:${dedupKey}`.slice(0, 200), ...(db.isTransaction ? { db: kyselyExecutor(db) } : {}) })
}
