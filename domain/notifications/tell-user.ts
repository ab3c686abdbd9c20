import type { Db } from '../../db/kysely.js'
import { enqueueEmail, type MailQueue } from '../mail/enqueue-email.js'
import type { TemplateName, TemplateProps } from '../mail/templates/index.js'
import type { NotificationKind } from './kinds.js'
import { notify, type NotifyResult } from './notify.js'
import { preferencesFor } from './preferences.js'
import { enqueuePush, type PushQueue } from './push-enqueue.js'

export type TellUserInput<K extends TemplateName> = {
  workspaceId: string
  userId: string
  kind: NotificationKind
  title: string
  body?: string | null
  link?: string | null
  /** Required: makes both channels idempotent (reminder jobs run more than once). */
  dedupKey: string
  /** The e-mail version; without it the e-mail channel is the generic 'notification' template. */
  email?: { template: K; props: TemplateProps<K> }
}

/**
 * One thing to tell one user, on the channels they chose for `kind`: in-app
 * (notify), e-mail (enqueueEmail to their address) and/or push to their subscribed
 * devices (enqueuePush). Idempotent on dedupKey.
 *
 * @example await tellUser(db, jobs, { workspaceId, userId, kind: 'task_reminder_j1', title, link, dedupKey: `task_reminder_j1:${taskId}:${dueDay}`, email: { template: 'task_reminder', props: { … } } })
 */
export async function tellUser<K extends TemplateName = 'notification'>(
  db: Db,
  jobs: MailQueue | null,
  input: TellUserInput<K>,
): Promise<{ inApp: NotifyResult | null; email: { id: string; created: boolean } | null; push: boolean }> {
  const prefs = (await preferencesFor(db, input.userId))[input.kind]
  const inApp = prefs.in_app
    ? await notify(db, {
        workspaceId: input.workspaceId,
        userId: input.userId,
        kind: input.kind,
        title: input.title,
        body: input.body,
        link: input.link,
        dedupKey: input.dedupKey,
      })
    : null
  let email: { id: string; created: boolean } | null = null
  if (prefs.email) {
    const user = await db
      .selectFrom('users')
      .select(['email', 'active'])
      .where('id', '=', input.userId)
      .where('workspace_id', '=', input.workspaceId)
      .executeTakeFirst()
    if (user?.active) {
      const e = input.email ?? { template: 'notification' as const, props: { title: input.title, body: input.body, link: input.link } }
      email = await enqueueEmail(db, jobs, {
        workspaceId: input.workspaceId,
        to: user.email,
        template: e.template as K,
        props: e.props as TemplateProps<K>,
        idempotencyKey: `${input.kind}:${input.dedupKey}:${input.userId}`.slice(0, 256),
      })
    }
  }
  // Only users with a subscribed device get a job.
  let push = false
  if (prefs.push && jobs) {
    const device = await db
      .selectFrom('push_subscriptions')
      .select('id')
      .where('workspace_id', '=', input.workspaceId)
      .where('user_id', '=', input.userId)
      .limit(1)
      .executeTakeFirst()
    if (device) {
      // Every caller's queue is pg-boss's `send` (Runtime.jobs, a job's deps) typed down to
      // mail.send; it takes any queue of jobs/queues.ts.
      await enqueuePush(db, jobs as unknown as PushQueue, {
        workspaceId: input.workspaceId,
        userId: input.userId,
        message: { kind: input.kind, title: input.title, body: input.body ?? null, link: input.link ?? null, tag: input.dedupKey },
        dedupKey: `${input.kind}:${input.dedupKey}`,
      })
      push = true
    }
  }
  return { inApp, email, push }
}
