// Outbound e-mails and in-app notifications (domain/mail, domain/notifications).
import type { ColumnType, Generated } from 'kysely'
import type { Timestamp } from './columns.js'

export type OutboundEmailStatus = 'queued' | 'sent' | 'failed'
export type MailProvider = 'resend' | 'mailbox'

// One e-mail: rendered once when enqueued, sent by the `mail.send` job (domain/mail).
export interface OutboundEmailTable {
  id: string
  workspace_id: string
  to: string
  from_address: string
  /** Where the customer's reply goes (the rep's address); null = the sender. */
  reply_to: ColumnType<string | null, string | null | undefined, string | null>
  subject: string
  html: string
  text: string
  template: string
  status: Generated<OutboundEmailStatus>
  provider: MailProvider | null
  provider_id: string | null
  attempts: Generated<number>
  last_error: string | null
  idempotency_key: string
  created_at: Generated<Date>
  sent_at: Timestamp | null
}

export interface NotificationTable {
  id: string
  workspace_id: string
  user_id: string
  kind: string
  title: string
  body: string | null
  link: string | null
  read_at: Timestamp | null
  created_at: Generated<Date>
  dedup_key: string | null
}

export interface NotificationPreferenceTable {
  workspace_id: string
  user_id: string
  kind: string
  email: boolean
  in_app: boolean
  /** null: the kind's default (rows saved before the push channel existed). */
  push: Generated<boolean | null>
  updated_at: Generated<Date>
}
