import { type Kysely, sql } from 'kysely'

// Sales (domain/sales): the product catalogue, quotes (devis) with their frozen sent
// versions, and the per-workspace, per-year document counters (DEV-2026-0001; the
// invoices will count in the same table under their own kind).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('products')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('code', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('unit_price_cents', 'bigint', (c) => c.notNull().check(sql`unit_price_cents >= 0`))
    // Basis points: 2000 = 20 %.
    .addColumn('vat_rate', 'integer', (c) => c.notNull().check(sql`vat_rate in (2000, 1000, 550, 210, 0)`))
    .addColumn('vat_exemption', 'text')
    .addColumn('category', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('archived_at', 'timestamptz')
    // A 0 % product carries its exemption mention; no other rate has one.
    .addCheckConstraint('products_vat_exemption_check', sql`(vat_rate = 0) = (vat_exemption is not null)`)
    .execute()
  // Names and codes identify a product (the CSV import matches on them): unique among
  // the active products of a workspace, case and accents folded. Archiving frees them.
  await sql`create unique index products_ws_name_key on products (workspace_id, f_unaccent(lower(name))) where active`.execute(db)
  await sql`create unique index products_ws_code_key on products (workspace_id, lower(code)) where active and code is not null`.execute(db)
  await sql`create index products_ws_category_idx on products (workspace_id, active, category, name)`.execute(db)
  await sql`create index products_name_trgm on products using gin (f_unaccent(lower(name)) gin_trgm_ops)`.execute(db)

  await db.schema
    .createTable('document_counters')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    // 'quote' now; 'invoice', 'credit_note' later.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_counters_pkey', ['workspace_id', 'kind', 'year'])
    .execute()

  await db.schema
    .createTable('quotes')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    // DEV-2026-0042: the year and rank it was numbered with (at creation).
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    // The version being edited or last sent (1, 2, …); the sent ones are in quote_versions.
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('brouillon','envoye','accepte','refuse','expire')`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id'))
    .addColumn('deal_id', 'uuid', (c) => c.references('deals.id'))
    .addColumn('title', 'text')
    .addColumn('lines', 'jsonb', (c) => c.notNull())
    .addColumn('global_discount', 'jsonb')
    .addColumn('validity_days', 'integer', (c) => c.notNull())
    .addColumn('payment_terms', 'text')
    .addColumn('notes', 'text')
    // Cached from the lines (domain/sales/quote-totals.ts) for lists and sums.
    .addColumn('total_ht_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_vat_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_ttc_cents', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('valid_until', 'date')
    .addColumn('sent_sha256', 'text')
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('accepted_revision', 'integer')
    .addColumn('signed_by', 'text')
    .addColumn('refused_at', 'timestamptz')
    .addColumn('refusal_reason', 'text')
    .addColumn('expired_at', 'timestamptz')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('quotes_ws_number_key', ['workspace_id', 'number'])
    .execute()
  await sql`create index quotes_ws_created_idx on quotes (workspace_id, created_at desc)`.execute(db)
  await sql`create index quotes_ws_org_idx on quotes (workspace_id, organisation_id)`.execute(db)
  await sql`create index quotes_ws_deal_idx on quotes (workspace_id, deal_id) where deal_id is not null`.execute(db)
  // The expiry pass reads only the sent quotes.
  await sql`create index quotes_sent_valid_until_idx on quotes (valid_until) where status = 'envoye'`.execute(db)

  await db.schema
    .createTable('quote_versions')
    .addColumn('quote_id', 'uuid', (c) => c.notNull().references('quotes.id'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    // The document as sent (domain/sales/quote-snapshot.ts) and the SHA-256 of its canonical JSON.
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('total_ht_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_vat_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_ttc_cents', 'bigint', (c) => c.notNull())
    .addColumn('valid_until', 'date', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('quote_versions_pkey', ['quote_id', 'revision'])
    .execute()
  // A sent version is what the customer received (and may sign): never rewritten.
  await sql`
    create function quote_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'quote_versions rows are immutable (quote %, revision %)', old.quote_id, old.revision;
    end $$`.execute(db)
  await sql`create trigger quote_versions_no_update before update on quote_versions for each row execute function quote_versions_immutable()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('quote_versions').ifExists().execute()
  await sql`drop function if exists quote_versions_immutable()`.execute(db)
  await db.schema.dropTable('quotes').ifExists().execute()
  await db.schema.dropTable('document_counters').ifExists().execute()
  await db.schema.dropTable('products').ifExists().execute()
}
