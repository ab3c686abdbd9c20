// Organisations, deals and pipeline stages (domain/crm).
import type { Timestamp } from './columns.js'

export type OrganisationStatus = 'prospect' | 'client' | 'ancien_client'

export interface OrganisationTable {
  id: string
  workspace_id: string
  name: string
  siren: string | null
  siret: string | null
  vat_number: string | null
  address: string | null
  postal_code: string | null
  city: string | null
  sector: string | null
  size: string | null
  status: OrganisationStatus
  owner_id: string | null
  shared: boolean
  tags: string[]
  notes: string | null
  phone: string | null
  website: string | null
  email: string | null
  /** A person set the status by hand: the won-deal rule no longer changes it. */
  status_manual: boolean
  /** Set when this organisation was merged into another one (then also deleted_at). */
  merged_into_id: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export interface DealTable {
  id: string
  workspace_id: string
  title: string
  organisation_id: string
  amount_cents: number
  stage: string
  probability: number
  expected_close_date: string | null
  owner_id: string | null
  category: string | null
  source: string | null
  region: string | null
  lost_reason: string | null
  shared: boolean
  contact_ids: string[]
  closed_at: Timestamp | null
  stage_changed_at: Timestamp
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export interface PipelineStageTable {
  workspace_id: string
  code: string
  label: string
  position: number
  probability: number
  kind: 'open' | 'won' | 'lost'
  pipeline_id: string
  /** An archived stage takes no deal; it stays for the history's labels. */
  archived_at: Timestamp | null
}

/** A workspace's pipeline ("Nouveaux clients", "Renouvellements"): its stages are rows of pipeline_stages. */
export interface PipelineTable {
  id: string
  workspace_id: string
  name: string
  position: number
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}
