// The rep's phone (issue 15, migrations 2026-12-08-1501/1502): Web Push subscriptions
// and meeting check-ins.
import type { Generated } from 'kysely'
import type { Timestamp } from './columns.js'

export interface PushSubscriptionTable {
  id: string
  workspace_id: string
  user_id: string
  endpoint: string
  /** The browser's P-256 public key and auth secret, base64url, as PushSubscription.toJSON() gives them. */
  p256dh: string
  auth: string
  device_label: string
  created_at: Generated<Date>
  last_success_at: Timestamp | null
  last_failure: string | null
}

export type CheckInPositionStatus = 'ok' | 'denied' | 'unavailable' | 'timeout' | 'unsupported'

export interface ActivityCheckInTable {
  id: string
  workspace_id: string
  activity_id: string
  user_id: string
  checked_in_at: Timestamp
  latitude: number | null
  longitude: number | null
  accuracy_m: number | null
  position_status: CheckInPositionStatus
}

export interface PhoneTables {
  push_subscriptions: PushSubscriptionTable
  activity_check_ins: ActivityCheckInTable
}
