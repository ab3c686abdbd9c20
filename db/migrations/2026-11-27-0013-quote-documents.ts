import { type Kysely, sql } from 'kysely'

// Quote documents (issue 5, part B): the workspace's legal identity printed on every
// devis, its logos, the private signing links sent to customers, and the signatures
// with the archived signed PDF.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per workspace; absent until an admin fills /settings/company.
  await db.schema
    .createTable('company_settings')
    .addColumn('workspace_id', 'uuid', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('company_name', 'text', (c) => c.notNull())
    .addColumn('legal_form', 'text')
    .addColumn('share_capital_cents', 'bigint', (c) => c.check(sql`share_capital_cents >= 0`))
    .addColumn('siren', 'text')
    .addColumn('siret', 'text')
    .addColumn('rcs_city', 'text')
    .addColumn('vat_number', 'text')
    .addColumn('address', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('iban', 'text')
    .addColumn('bic', 'text')
    // The logo in force: a row of company_logos (kept forever, sent versions name it).
    .addColumn('logo_sha256', 'text')
    .addColumn('brand_color', 'text', (c) => c.notNull().check(sql`brand_color ~ '^#[0-9a-f]{6}$'`))
    .addColumn('default_payment_terms', 'text')
    .addColumn('default_validity_days', 'integer', (c) => c.notNull().check(sql`default_validity_days between 1 and 365`))
    // Franchise en base de TVA (art. 293 B du CGI): the mention goes on every document.
    .addColumn('vat_franchise', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id'))
    .execute()

  // Uploaded logos by content hash: immutable, so a sent version's PDF finds its logo forever.
  await db.schema
    .createTable('company_logos')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull().check(sql`content_type in ('image/png', 'image/jpeg')`))
    .addColumn('bytes', 'bytea', (c) => c.notNull().check(sql`octet_length(bytes) <= 1048576`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('company_logos_pkey', ['workspace_id', 'sha256'])
    .execute()

  // A private link to one sent version. Only the SHA-256 of the token is stored: a
  // leaked database does not open anyone's quote.
  await db.schema
    .createTable('quote_links')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('quote_id', 'uuid', (c) => c.notNull().references('quotes.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('token_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    // Set when a later version is sent: the link still shows its version, no longer signs it.
    .addColumn('superseded_at', 'timestamptz')
    .addColumn('email_id', 'uuid')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_viewed_at', 'timestamptz')
    .addForeignKeyConstraint('quote_links_version_fk', ['quote_id', 'revision'], 'quote_versions', ['quote_id', 'revision'])
    .execute()
  await sql`create index quote_links_quote_idx on quote_links (workspace_id, quote_id, revision)`.execute(db)

  // Files attached to an outbound e-mail (the quote PDF), sent to Resend as base64
  // `attachments`; stored with the e-mail so a retry sends the very same bytes.
  await db.schema
    .createTable('outbound_email_attachments')
    .addColumn('email_id', 'uuid', (c) => c.notNull().references('outbound_emails.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('outbound_email_attachments_pkey', ['email_id', 'position'])
    .execute()

  // The customer's answer on a version: accepted (signed) or refused, with the proof.
  await db.schema
    .createTable('quote_signatures')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('quote_id', 'uuid', (c) => c.notNull().references('quotes.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('link_id', 'uuid', (c) => c.notNull().references('quote_links.id'))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('accepte', 'refuse')`))
    .addColumn('signer_name', 'text', (c) => c.notNull())
    // 'drawn' (canvas, image kept) or 'typed' (full name + acceptance box, no JavaScript).
    .addColumn('method', 'text', (c) => c.check(sql`method in ('drawn', 'typed')`))
    .addColumn('signature_png', 'bytea')
    .addColumn('reason', 'text')
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    // The SHA-256 of the exact version answered (quote_versions.sha256).
    .addColumn('version_sha256', 'text', (c) => c.notNull())
    // The signed PDF with its audit block, archived as delivered, and its own hash.
    .addColumn('signed_pdf', 'bytea')
    .addColumn('signed_pdf_sha256', 'text')
    .addForeignKeyConstraint('quote_signatures_version_fk', ['quote_id', 'revision'], 'quote_versions', ['quote_id', 'revision'])
    .addUniqueConstraint('quote_signatures_version_key', ['quote_id', 'revision'])
    .execute()
  // Signatures are evidence: never rewritten, never deleted.
  await sql`
    create function quote_signatures_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'quote_signatures rows are immutable (quote %, revision %)', old.quote_id, old.revision;
    end $$`.execute(db)
  await sql`create trigger quote_signatures_no_change before update or delete on quote_signatures for each row execute function quote_signatures_immutable()`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quote_signatures').ifExists().execute()
  await sql`drop function if exists quote_signatures_immutable()`.execute(db)
  await db.schema.dropTable('outbound_email_attachments').ifExists().execute()
  await db.schema.dropTable('quote_links').ifExists().execute()
  await db.schema.dropTable('company_logos').ifExists().execute()
  await db.schema.dropTable('company_settings').ifExists().execute()
}
