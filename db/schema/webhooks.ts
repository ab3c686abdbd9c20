// Outbound webhooks: endpoints, deliveries (one per endpoint and event), attempts.
import type { Generated } from 'kysely'
import type { Timestamp } from './columns.js'

export interface WebhookEndpointTable {
  id: string
  workspace_id: string
  url: string
  description: string
  event_types: string[]
  /** Sealed with domain/shared/secrets: never the secret itself. */
  secret_sealed: string
  previous_secret_sealed: string | null
  previous_secret_expires_at: Timestamp | null
  enabled: boolean
  /** 'admin' (switched off by hand) or 'failures' (100 failed attempts in a row). */
  disabled_reason: string | null
  allow_private_network: boolean
  consecutive_failures: Generated<number>
  created_by: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface WebhookDeliveryTable {
  id: string
  workspace_id: string
  endpoint_id: string
  event_position: number
  event_type: string
  /** The envelope exactly as signed and sent (the same bytes on every attempt). */
  payload: string
  status: 'pending' | 'succeeded' | 'dead'
  attempts: number
  next_attempt_at: Timestamp | null
  event_at: Timestamp
  created_at: Timestamp
  delivered_at: Timestamp | null
}

export interface WebhookAttemptTable {
  delivery_id: string
  attempt: number
  workspace_id: string
  endpoint_id: string
  started_at: Timestamp
  duration_ms: number
  response_status: number | null
  response_excerpt: string | null
  error: string | null
  manual: Generated<boolean>
}

export type WebhookTables = {
  webhook_endpoints: WebhookEndpointTable
  webhook_deliveries: WebhookDeliveryTable
  webhook_attempts: WebhookAttemptTable
}
