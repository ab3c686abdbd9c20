import { type Kysely, sql } from 'kysely'

// Outbound webhooks (domain/webhooks): the endpoints a workspace's admins subscribed,
// one delivery per (endpoint, event) — unique, so an event is never queued twice for an
// endpoint — and each HTTP attempt of a delivery (the log shown on /settings/webhooks).
// Signing secrets are stored sealed (domain/shared/secrets), never in clear.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table webhook_endpoints (
    id uuid primary key,
    workspace_id uuid not null references workspaces(id) on delete cascade,
    url text not null,
    description text not null default '',
    event_types text[] not null,
    secret_sealed text not null,
    previous_secret_sealed text,
    previous_secret_expires_at timestamptz,
    enabled boolean not null default true,
    disabled_reason text,
    allow_private_network boolean not null default false,
    consecutive_failures integer not null default 0,
    created_by uuid,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`.execute(db)
  await sql`create index webhook_endpoints_workspace on webhook_endpoints (workspace_id, created_at)`.execute(db)

  await sql`create table webhook_deliveries (
    id uuid primary key,
    workspace_id uuid not null references workspaces(id) on delete cascade,
    endpoint_id uuid not null references webhook_endpoints(id) on delete cascade,
    event_position bigint not null,
    event_type text not null,
    payload text not null,
    status text not null check (status in ('pending', 'succeeded', 'dead')),
    attempts integer not null default 0,
    next_attempt_at timestamptz,
    event_at timestamptz not null,
    created_at timestamptz not null,
    delivered_at timestamptz,
    unique (endpoint_id, event_position)
  )`.execute(db)
  await sql`create index webhook_deliveries_log on webhook_deliveries (endpoint_id, created_at desc, id desc)`.execute(db)

  await sql`create table webhook_attempts (
    delivery_id uuid not null references webhook_deliveries(id) on delete cascade,
    attempt integer not null,
    workspace_id uuid not null,
    endpoint_id uuid not null,
    started_at timestamptz not null,
    duration_ms integer not null,
    response_status integer,
    response_excerpt text,
    error text,
    manual boolean not null default false,
    primary key (delivery_id, attempt)
  )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table webhook_attempts`.execute(db)
  await sql`drop table webhook_deliveries`.execute(db)
  await sql`drop table webhook_endpoints`.execute(db)
}
