// Every pg-boss queue of the app, in one list: name (`context.verb`), retry policy,
// schedule and dead-letter twin. boss.ts creates (or updates) each queue from here at
// start, so this list is the truth: editing a retry policy here takes effect at the
// next start.

export type QueueSpec = {
  name: string
  /**
   * pg-boss 10 policies: 'standard' (no limit), 'short' (one queued per singletonKey),
   * 'singleton' (one active per key), 'stately' (one queued and one active per key).
   */
  policy: 'standard' | 'short' | 'singleton' | 'stately'
  retryLimit: number
  /** Seconds before the first retry; doubled each time when retryBackoff. */
  retryDelay: number
  retryBackoff: boolean
  /** A job running longer than this is failed (and retried). */
  expireInSeconds: number
  /** Cron in Europe/Paris, registered by the process that runs the workers. */
  schedule?: { cron: string; data?: Record<string, unknown>; singletonKey?: string }
}

export const TIMEZONE = 'Europe/Paris'

/** Where a job goes after its last retry fails: `<queue>-dlq`, kept for inspection and replay. */
export const deadLetterOf = (name: string) => `${name}-dlq`

import { SALES_QUEUES } from './sales.queues.js'
import { CONTRACT_QUEUES } from './contracts.queues.js'
import { WORKFLOW_QUEUES } from './workflows.queues.js'
import { INVOICING_QUEUES } from './invoicing.queues.js'
import { SCORING_QUEUES } from './scoring.queues.js'
import { WEBHOOK_QUEUES } from './webhooks.queues.js'
import { CAMPAIGN_QUEUES } from './campaigns.queues.js'

export const QUEUES = [
  {
    // Nightly: Postgres `deals` vs the ClickHouse read model, per workspace.
    name: 'projections.check-consistency',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    expireInSeconds: 15 * 60,
    schedule: { cron: '0 3 * * *', data: {}, singletonKey: 'all' },
  },
  {
    // One job per outbound_emails row (singletonKey = its id). Transient provider errors
    // retry at 10 s, 20 s, 40 s… (domain/mail/deliver-email.ts fails the row for good
    // after MAX_SEND_ATTEMPTS, before these runs are used up); permanent ones never retry.
    name: 'mail.send',
    policy: 'stately',
    retryLimit: 7,
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 120,
  },
  {
    // Task reminders (domain/tasks/task-reminders.ts): J-1, J0 and J+1, from the morning
    // pass at 08:00 Paris, then every 15 minutes until 19:45 for tasks created or moved
    // since. Each (task, kind) is claimed once in task_reminders_sent, so a pass that runs
    // twice or is retried after a crash sends nothing twice.
    name: 'tasks.send-reminders',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 60,
    retryBackoff: true,
    expireInSeconds: 10 * 60,
    schedule: { cron: '0,15,30,45 8-19 * * *', data: {}, singletonKey: 'all' },
  },
  {
    // Web Push to one user's devices (domain/notifications/push-send.ts). A push service
    // that is down is retried at 30 s, 60 s, 120 s; after that the moment has passed.
    // 'short': one queued job per user + notification (a reminder pass run twice queues one).
    name: 'notifications.send-push',
    policy: 'short',
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 120,
  },
  ...SALES_QUEUES,
  ...CONTRACT_QUEUES,
  ...WORKFLOW_QUEUES,
  ...INVOICING_QUEUES,
  ...SCORING_QUEUES,
  ...WEBHOOK_QUEUES,
  ...CAMPAIGN_QUEUES,
] as const satisfies readonly QueueSpec[]

export type QueueName = (typeof QUEUES)[number]['name']

export const queueSpec = (name: QueueName): QueueSpec => QUEUES.find((q) => q.name === name)!
