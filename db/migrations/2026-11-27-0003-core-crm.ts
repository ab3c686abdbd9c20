import { type Kysely, sql } from 'kysely'

// Core CRM: contacts, activities, tags and sharing, saved filters, imports, and the
// accent- and typo-tolerant search indexes.
export async function up(db: Kysely<any>): Promise<void> {
  // unaccent() is only STABLE (it reads a dictionary); an index needs IMMUTABLE. This
  // wrapper pins the dictionary, the usual way to index unaccented text.
  await sql`
    create or replace function f_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$`.execute(db)

  for (const t of ['organisations', 'deals']) {
    await sql`alter table ${sql.table(t)} add column shared boolean not null default false`.execute(db)
  }
  await sql`alter table organisations add column tags text[] not null default '{}'`.execute(db)
  await sql`alter table organisations add column notes text`.execute(db)
  await sql`alter table deals add column contact_ids uuid[] not null default '{}'`.execute(db)

  await db.schema
    .createTable('contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('civility', 'text')
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('job_title', 'text')
    .addColumn('emails', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('phones', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('owner_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('shared', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('gdpr_consent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('consent_source', 'text')
    .addColumn('consent_date', 'date')
    .addColumn('marketing_opt_out', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await sql`create index contacts_ws_org_idx on contacts (workspace_id, organisation_id)`.execute(db)
  await sql`create index contacts_ws_owner_idx on contacts (workspace_id, owner_id)`.execute(db)

  await db.schema
    .createTable('activities')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('note','call','meeting','email')`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer')
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id'))
    .addColumn('deal_id', 'uuid', (c) => c.references('deals.id'))
    .addColumn('author_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await sql`create index activities_ws_org_idx on activities (workspace_id, organisation_id, occurred_at desc)`.execute(db)
  await sql`create index activities_ws_contact_idx on activities (workspace_id, contact_id, occurred_at desc)`.execute(db)
  await sql`create index activities_ws_deal_idx on activities (workspace_id, deal_id, occurred_at desc)`.execute(db)

  await db.schema
    .createTable('saved_filters')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('mapping', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('analysed','committed','failed')`))
    .addColumn('report', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('committed_at', 'timestamptz')
    .execute()

  // Trigram indexes over unaccented, lower-cased text: "Societe Generale" finds
  // "Société Générale", and "Bouygue" finds "Bouygues".
  await sql`create index organisations_name_trgm on organisations using gin (f_unaccent(lower(name)) gin_trgm_ops)`.execute(db)
  await sql`create index contacts_name_trgm on contacts using gin (f_unaccent(lower(first_name || ' ' || last_name)) gin_trgm_ops)`.execute(db)
  await sql`create index contacts_emails_idx on contacts using gin (emails)`.execute(db)
  await sql`create index contacts_phones_idx on contacts using gin (phones)`.execute(db)
  await sql`create index deals_title_trgm on deals using gin (f_unaccent(lower(title)) gin_trgm_ops)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['imports', 'saved_filters', 'activities', 'contacts']) await db.schema.dropTable(t).ifExists().execute()
  await sql`drop index if exists organisations_name_trgm, deals_title_trgm`.execute(db)
  await sql`alter table organisations drop column shared, drop column tags, drop column notes`.execute(db)
  await sql`alter table deals drop column shared, drop column contact_ids`.execute(db)
  await sql`drop function if exists f_unaccent(text)`.execute(db)
}
