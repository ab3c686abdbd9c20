import type { ColumnType, Generated, Selectable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

// Tables of this part of the app, merged into Database (db/schema.ts).
// Migrations: db/migrations/2026-11-27-0013-quote-documents.ts, 2026-12-07-0028-stored-files.ts.

/** The workspace's legal identity, printed on quotes (domain/sales/company-settings.ts). */
export interface CompanySettingsTable {
  workspace_id: string
  company_name: string
  legal_form: string | null
  share_capital_cents: number | null
  siren: string | null
  siret: string | null
  rcs_city: string | null
  vat_number: string | null
  address: string | null
  postal_code: string | null
  city: string | null
  email: string | null
  phone: string | null
  iban: string | null
  bic: string | null
  logo_sha256: string | null
  brand_color: string
  default_payment_terms: string | null
  default_validity_days: number
  vat_franchise: boolean
  version: number
  updated_at: Timestamp
  updated_by: string | null
}

export interface CompanyLogoTable {
  workspace_id: string
  sha256: string
  content_type: 'image/png' | 'image/jpeg'
  bytes: Buffer
  created_at: Generated<Date>
}

export interface QuoteLinkTable {
  id: string
  workspace_id: string
  quote_id: string
  revision: number
  token_sha256: string
  recipient: string
  expires_at: Timestamp
  superseded_at: Timestamp | null
  email_id: string | null
  created_by: string | null
  created_at: Timestamp
  last_viewed_at: Timestamp | null
}

export type SignatureDecision = 'accepte' | 'refuse'

export interface QuoteSignatureTable {
  id: string
  workspace_id: string
  quote_id: string
  revision: number
  link_id: string
  decision: SignatureDecision
  signer_name: string
  method: 'drawn' | 'typed' | null
  signature_png: Buffer | null
  reason: string | null
  signed_at: Timestamp
  ip: string | null
  user_agent: string | null
  version_sha256: string
  signed_pdf: Buffer | null
  signed_pdf_sha256: string | null
  /** The signer's "qualité" (gérant, directeur des achats…), as typed. */
  signer_title: ColumnType<string | null, string | null | undefined, string | null>
  /** SHA-256 of the version's PDF the signer received (stored_files). */
  version_pdf_sha256: ColumnType<string | null, string | null | undefined, string | null>
  /** How the signed PDF is sealed: a PAdES signature, or its hash published here. */
  seal: ColumnType<'pades' | 'hash' | null, 'pades' | 'hash' | null | undefined, 'pades' | 'hash' | null>
}

/** A stored file's index row (domain/files/file-storage.ts): content-addressed per workspace. */
export interface StoredFileTable {
  workspace_id: string
  sha256: string
  size_bytes: ColumnType<string | number, number, number>
  content_type: string
  backend: 'postgres' | 's3'
  blob_id: string
  created_at: Generated<Date>
}

/** The bytes of a file kept in Postgres, in order. */
export interface StoredFileChunkTable {
  blob_id: string
  idx: number
  bytes: Buffer
}

/** A file attached to an outbound e-mail (domain/mail: enqueueEmail's `attachments`). */
export interface OutboundEmailAttachmentTable {
  email_id: string
  position: number
  filename: string
  content_type: string
  content: Buffer
}

export interface QuoteDocumentTables {
  outbound_email_attachments: OutboundEmailAttachmentTable
  company_settings: CompanySettingsTable
  company_logos: CompanyLogoTable
  quote_links: QuoteLinkTable
  quote_signatures: QuoteSignatureTable
  stored_files: StoredFileTable
  stored_file_chunks: StoredFileChunkTable
}

export type CompanySettingsRow = Selectable<CompanySettingsTable>
export type QuoteLink = Selectable<QuoteLinkTable>
export type QuoteSignature = Selectable<QuoteSignatureTable>
