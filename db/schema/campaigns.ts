// E-mail campaigns (domain/campaigns). Migration: db/migrations/2026-12-09-2001-campaigns.ts.
import type { ColumnType, Generated } from 'kysely'
import type { Json, Timestamp } from './columns.js'

export type SuppressionReason = 'unsubscribed' | 'hard_bounce' | 'complaint'
export type CampaignStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'cancelled' | 'completed'
export type CampaignSendStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'cancelled'

export interface CampaignSettingsTable {
  workspace_id: string
  link_secret: string
  /** numeric: postgres.js returns it as a string. */
  requests_per_second: ColumnType<string, number | string | undefined, number | string>
  daily_quota: Generated<number>
  next_request_at: Generated<Date>
}

export interface EmailSuppressionTable {
  workspace_id: string
  email: string
  reason: SuppressionReason
  source: string
  created_at: Timestamp
}

export interface CampaignTable {
  id: string
  workspace_id: string
  name: string
  subject: string
  body: string
  button_label: string | null
  button_url: string | null
  status: Generated<CampaignStatus>
  scheduled_at: Timestamp | null
  segment: ColumnType<Record<string, unknown>, Record<string, unknown> | undefined, Record<string, unknown>>
  created_by: string | null
  created_at: Timestamp
  started_at: Timestamp | null
  completed_at: Timestamp | null
  version: Generated<number>
}

export interface CampaignBatchTable {
  id: string
  workspace_id: string
  campaign_id: string
  status: Generated<'pending' | 'sent' | 'failed'>
  idempotency_key: string
  /**
   * `{ sendIds, emails }` as JSON text (text, not jsonb: jsonb reorders keys, and a
   * re-sent body must be byte-identical for Resend's Idempotency-Key); null once Resend
   * acknowledged it.
   */
  payload: string | null
  email_count: number
  attempts: Generated<number>
  last_error: string | null
  created_at: Timestamp
  sent_at: Timestamp | null
}

export interface CampaignSendTable {
  id: string
  workspace_id: string
  campaign_id: string
  contact_id: string
  email: string
  step: Generated<number>
  send_key: string
  status: Generated<CampaignSendStatus>
  suppressed_reason: string | null
  batch_id: string | null
  provider_id: string | null
  error: string | null
  sent_at: Timestamp | null
  delivered_at: Timestamp | null
  first_opened_at: Timestamp | null
  open_count: Generated<number>
  first_clicked_at: Timestamp | null
  click_count: Generated<number>
  bounced_at: Timestamp | null
  complained_at: Timestamp | null
}

export interface ResendWebhookEventTable {
  svix_id: string
  workspace_id: string | null
  type: string
  provider_id: string | null
  received_at: Timestamp
  payload: Json
}

export interface CampaignTables {
  campaign_settings: CampaignSettingsTable
  email_suppressions: EmailSuppressionTable
  campaigns: CampaignTable
  campaign_batches: CampaignBatchTable
  campaign_sends: CampaignSendTable
  resend_webhook_events: ResendWebhookEventTable
}
