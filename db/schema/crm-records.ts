// Contacts, activities, saved list filters and CSV imports (domain/crm).
import type { Generated } from 'kysely'
import type { Timestamp, Json } from './columns.js'

export interface ContactTable {
  id: string
  workspace_id: string
  civility: string | null
  first_name: string
  last_name: string
  job_title: string | null
  emails: string[]
  phones: string[]
  organisation_id: string | null
  owner_id: string | null
  shared: boolean
  gdpr_consent: boolean
  consent_source: string | null
  consent_date: string | null
  marketing_opt_out: boolean
  tags: string[]
  notes: string | null
  /** Set when this contact was merged into another one (then also deleted_at). */
  merged_into_id: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export type ActivityKind = 'note' | 'call' | 'meeting' | 'email'

export interface ActivityTable {
  id: string
  workspace_id: string
  kind: ActivityKind
  subject: string
  body: string | null
  occurred_at: Timestamp
  duration_minutes: number | null
  organisation_id: string | null
  contact_id: string | null
  deal_id: string | null
  author_id: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export interface SavedFilterTable {
  id: string
  workspace_id: string
  user_id: string
  entity: string
  name: string
  query: string
  created_at: Generated<Date>
}

export interface ImportTable {
  id: string
  workspace_id: string
  user_id: string
  entity: string
  file_name: string
  file_sha256: string
  content: string
  mapping: Json
  status: 'analysed' | 'committed' | 'failed'
  report: Json
  created_at: Generated<Date>
  committed_at: Timestamp | null
}
