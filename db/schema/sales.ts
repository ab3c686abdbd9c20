// The catalogue, quotes, their sent versions and document counters (domain/sales).
import type { ColumnType, Generated } from 'kysely'
import type { Timestamp } from './columns.js'

// The product and service catalogue (domain/sales). Prices HT in cents, VAT in basis points.
export interface ProductTable {
  id: string
  workspace_id: string
  code: string | null
  name: string
  description: string | null
  unit: string
  unit_price_cents: number
  vat_rate: number
  vat_exemption: string | null
  category: string | null
  active: boolean
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  archived_at: Timestamp | null
}

export type QuoteStatus = 'brouillon' | 'envoye' | 'accepte' | 'refuse' | 'expire'

// A quote (devis): its current revision's lines and conditions; sent revisions are
// frozen in quote_versions. `lines` and `global_discount` are jsonb (domain/sales/quote.ts).
export interface QuoteTable {
  id: string
  workspace_id: string
  number: string
  year: number
  sequence: number
  revision: number
  status: QuoteStatus
  organisation_id: string
  contact_id: string | null
  deal_id: string | null
  title: string | null
  lines: ColumnType<unknown, unknown, unknown>
  global_discount: ColumnType<unknown, unknown, unknown>
  validity_days: number
  payment_terms: string | null
  notes: string | null
  total_ht_cents: number
  total_vat_cents: number
  total_ttc_cents: number
  sent_at: Timestamp | null
  valid_until: string | null
  sent_sha256: string | null
  accepted_at: Timestamp | null
  accepted_revision: number | null
  signed_by: string | null
  refused_at: Timestamp | null
  refusal_reason: string | null
  expired_at: Timestamp | null
  created_by: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}

// One sent revision of a quote, as the customer received it (immutable: a trigger refuses updates).
export interface QuoteVersionTable {
  quote_id: string
  workspace_id: string
  revision: number
  number: string
  snapshot: ColumnType<unknown, unknown, unknown>
  sha256: string
  total_ht_cents: number
  total_vat_cents: number
  total_ttc_cents: number
  valid_until: string
  sent_at: Timestamp
  sent_by: string | null
  created_at: Generated<Date>
  /** The version's PDF, drawn once and kept (stored_files): every download is these bytes. */
  pdf_sha256: ColumnType<string | null, string | null | undefined, string | null>
}

// The last number handed out per workspace, document kind ('quote', later 'invoice') and year.
export interface DocumentCounterTable {
  workspace_id: string
  kind: string
  year: number
  last: number
}
