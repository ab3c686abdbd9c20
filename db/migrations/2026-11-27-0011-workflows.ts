import { type Kysely, sql } from 'kysely'

// Workflow definitions (issue 7). `draft` is what the editor saves; publishing copies it
// into workflow_versions as the next version, and runs keep the version they started on.
// `trigger_kind` is denormalised on each version so the dispatcher finds the workflows an
// event may start with one index lookup.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table workflows (
      id uuid primary key,
      workspace_id uuid not null references workspaces(id),
      name text not null,
      description text not null default '',
      owner_id uuid references users(id),
      enabled boolean not null default false,
      template_key text,
      draft jsonb not null,
      published_version integer,
      webhook_secret text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      deleted_at timestamptz
    )`.execute(db)
  await sql`create index workflows_workspace_idx on workflows (workspace_id, name) where deleted_at is null`.execute(db)
  await sql`
    create table workflow_versions (
      workflow_id uuid not null references workflows(id),
      version integer not null,
      workspace_id uuid not null references workspaces(id),
      trigger_kind text not null,
      definition jsonb not null,
      published_at timestamptz not null default now(),
      published_by uuid references users(id),
      primary key (workflow_id, version)
    )`.execute(db)
  await sql`create index workflow_versions_trigger_idx on workflow_versions (workspace_id, trigger_kind)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists workflow_versions`.execute(db)
  await sql`drop table if exists workflows`.execute(db)
}
