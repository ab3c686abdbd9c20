import { type Kysely, sql } from 'kysely'

// The platform's first tables: identity, the event store, the first CRM slice.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db)
  await sql`create extension if not exists unaccent`.execute(db)

  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('teams')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin','manager','commercial','finance')`))
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Emails are unique across workspaces: the login form asks for an email, not a tenant.
  await sql`create unique index users_email_key on users (lower(email))`.execute(db)

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('ip', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('success', 'boolean', (c) => c.notNull())
    .addColumn('attempted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('login_attempts_key_idx').on('login_attempts').columns(['key', 'attempted_at']).execute()

  await db.schema
    .createTable('pipeline_stages')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('probability', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('open','won','lost')`))
    .addPrimaryKeyConstraint('pipeline_stages_pkey', ['workspace_id', 'code'])
    .execute()

  await db.schema
    .createTable('organisations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('siren', 'text')
    .addColumn('siret', 'text')
    .addColumn('vat_number', 'text')
    .addColumn('address', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('city', 'text')
    .addColumn('sector', 'text')
    .addColumn('size', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('prospect','client','ancien_client')`))
    .addColumn('owner_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await sql`create index organisations_ws_name_idx on organisations (workspace_id, name)`.execute(db)
  await sql`create index organisations_ws_siren_idx on organisations (workspace_id, siren)`.execute(db)

  await db.schema
    .createTable('deals')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('amount_cents', 'bigint', (c) => c.notNull().check(sql`amount_cents >= 0`))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('probability', 'integer', (c) => c.notNull())
    .addColumn('expected_close_date', 'date')
    .addColumn('owner_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('category', 'text')
    .addColumn('source', 'text')
    .addColumn('region', 'text')
    .addColumn('lost_reason', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('stage_changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await sql`create index deals_ws_stage_idx on deals (workspace_id, stage)`.execute(db)
  await sql`create index deals_ws_org_idx on deals (workspace_id, organisation_id)`.execute(db)
  await sql`create index deals_ws_owner_idx on deals (workspace_id, owner_id)`.execute(db)

  // The event store: never updated, never deleted. tx_id lets the projector read in
  // commit order without skipping a late commit (see docs/decisions/0002).
  await sql`
    create table events (
      position bigserial primary key,
      tx_id xid8 not null default pg_current_xact_id(),
      workspace_id uuid not null,
      stream_type text not null,
      stream_id uuid not null,
      stream_version integer not null,
      type text not null,
      data jsonb not null,
      meta jsonb not null,
      occurred_at timestamptz not null default now(),
      unique (stream_id, stream_version)
    )`.execute(db)
  await sql`create index events_tx_pos_idx on events (tx_id, position)`.execute(db)
  await sql`create index events_ws_stream_idx on events (workspace_id, stream_type, stream_id)`.execute(db)
  await sql`
    create function events_notify() returns trigger language plpgsql as $$
    begin perform pg_notify('alforis_events', ''); return null; end $$`.execute(db)
  await sql`
    create trigger events_notify after insert on events
    for each statement execute function events_notify()`.execute(db)

  await db.schema
    .createTable('processed_commands')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull())
    .addColumn('command_id', 'text', (c) => c.notNull())
    .addColumn('command_type', 'text', (c) => c.notNull())
    .addColumn('result', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('processed_commands_pkey', ['workspace_id', 'command_id'])
    .execute()

  await db.schema
    .createTable('projection_checkpoints')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('tx_id', sql`xid8`, (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('consistency_checks')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('checked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'consistency_checks',
    'projection_checkpoints',
    'processed_commands',
    'events',
    'deals',
    'organisations',
    'pipeline_stages',
    'login_attempts',
    'sessions',
    'users',
    'teams',
    'workspaces',
  ]) {
    await db.schema.dropTable(t).ifExists().cascade().execute()
  }
  await sql`drop function if exists events_notify()`.execute(db)
}
