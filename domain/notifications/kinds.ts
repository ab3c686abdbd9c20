// What a user can be told about. Preferences (settings/notifications) are per kind and
// per channel; a kind without a stored preference uses its defaults here.

export const NOTIFICATION_KINDS = {
  // Task reminders (domain/tasks): the day before, the day itself, one day overdue.
  task_reminder_j1: { email: true, in_app: true, push: false, configurable: true },
  task_reminder_j0: { email: true, in_app: true, push: true, configurable: true },
  task_overdue_j1: { email: true, in_app: true, push: false, configurable: true },
  task_assigned: { email: false, in_app: true, push: true, configurable: true },
  // The owner of a quote: the customer signed or refused it on the private link.
  quote_answered: { email: true, in_app: true, push: false, configurable: true },
  // The owner of a contract: J-90, J-60 and J-30 before its end or notice deadline (domain/contracts).
  contract_renewal: { email: true, in_app: true, push: false, configurable: true },
  // Admins: an e-mail the provider refused for good (shown in /admin/mailbox).
  mail_failed: { email: false, in_app: true, push: false, configurable: false },
  // Workflows: a "notify" step, and the owner told that a run failed after its last retry.
  workflow_notification: { email: false, in_app: true, push: false, configurable: true },
  workflow_failed: { email: false, in_app: true, push: false, configurable: false },
  // Admins: an outbound webhook endpoint switched off after 100 failed sends in a row (domain/webhooks).
  webhook_disabled: { email: false, in_app: true, push: false, configurable: false },
} as const satisfies Record<string, { email: boolean; in_app: boolean; push: boolean; configurable: boolean }>

export type NotificationKind = keyof typeof NOTIFICATION_KINDS

export const CONFIGURABLE_KINDS = (Object.keys(NOTIFICATION_KINDS) as NotificationKind[]).filter((k) => NOTIFICATION_KINDS[k].configurable)

export const isNotificationKind = (k: string): k is NotificationKind => Object.hasOwn(NOTIFICATION_KINDS, k)

export type Channel = 'email' | 'in_app' | 'push'
export type ChannelPreference = { email: boolean; in_app: boolean; push: boolean }
export type Preferences = Record<NotificationKind, ChannelPreference>

/** The Postgres channel on which every created notification (and read change) is announced. */
export const NOTIFICATIONS_CHANNEL = 'alforis_notifications'

/** What travels on NOTIFICATIONS_CHANNEL: ids only, listeners read the rest. */
export type NotificationSignal = { type: 'created'; workspaceId: string; userId: string; id: string } | { type: 'read'; workspaceId: string; userId: string }
