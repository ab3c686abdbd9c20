import { type Kysely, sql } from 'kysely'

// E-mail campaigns (issue 20): per-workspace sending settings (pace, daily quota, the
// secret that signs tracking and unsubscribe links), the suppression list, campaigns,
// one send row per recipient × step (its send_key unique: never twice), the batches
// handed to Resend (the payload kept until Resend acknowledged it, so a crashed worker
// re-sends the same body under the same Idempotency-Key) and the verified webhook
// deliveries (svix-id unique: a replay is not processed twice).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table campaign_settings (
    workspace_id uuid primary key references workspaces(id) on delete cascade,
    link_secret text not null check (length(link_secret) >= 32),
    requests_per_second numeric(6,2) not null default 2 check (requests_per_second > 0 and requests_per_second <= 100),
    daily_quota integer not null default 10000 check (daily_quota > 0),
    next_request_at timestamptz not null default '-infinity'
  )`.execute(db)

  await sql`create table email_suppressions (
    workspace_id uuid not null references workspaces(id) on delete cascade,
    email text not null check (email = lower(email)),
    reason text not null check (reason in ('unsubscribed', 'hard_bounce', 'complaint')),
    source text not null,
    created_at timestamptz not null,
    primary key (workspace_id, email)
  )`.execute(db)

  await sql`create table campaigns (
    id uuid primary key,
    workspace_id uuid not null references workspaces(id) on delete cascade,
    name text not null,
    subject text not null,
    body text not null,
    button_label text,
    button_url text,
    status text not null default 'draft' check (status in ('draft', 'scheduled', 'sending', 'paused', 'cancelled', 'completed')),
    scheduled_at timestamptz,
    segment jsonb not null default '{}',
    created_by uuid references users(id) on delete set null,
    created_at timestamptz not null,
    started_at timestamptz,
    completed_at timestamptz,
    version integer not null default 1
  )`.execute(db)
  await sql`create index campaigns_workspace_idx on campaigns (workspace_id, created_at desc)`.execute(db)

  await sql`create table campaign_batches (
    id uuid primary key,
    workspace_id uuid not null references workspaces(id) on delete cascade,
    campaign_id uuid not null references campaigns(id) on delete cascade,
    status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    idempotency_key text not null unique check (length(idempotency_key) between 1 and 256),
    payload text,
    email_count integer not null,
    attempts integer not null default 0,
    last_error text,
    created_at timestamptz not null,
    sent_at timestamptz
  )`.execute(db)
  await sql`create index campaign_batches_pending_idx on campaign_batches (campaign_id) where status = 'pending'`.execute(db)
  await sql`create index campaign_batches_day_idx on campaign_batches (workspace_id, sent_at) where status = 'sent'`.execute(db)

  await sql`create table campaign_sends (
    id uuid primary key,
    workspace_id uuid not null references workspaces(id) on delete cascade,
    campaign_id uuid not null references campaigns(id) on delete cascade,
    contact_id uuid not null references contacts(id) on delete cascade,
    email text not null,
    step integer not null default 0,
    send_key text not null unique,
    status text not null default 'queued' check (status in ('queued', 'sending', 'sent', 'failed', 'suppressed', 'cancelled')),
    suppressed_reason text,
    batch_id uuid references campaign_batches(id) on delete set null,
    provider_id text,
    error text,
    sent_at timestamptz,
    delivered_at timestamptz,
    first_opened_at timestamptz,
    open_count integer not null default 0,
    first_clicked_at timestamptz,
    click_count integer not null default 0,
    bounced_at timestamptz,
    complained_at timestamptz
  )`.execute(db)
  await sql`create index campaign_sends_queue_idx on campaign_sends (campaign_id, status)`.execute(db)
  await sql`create index campaign_sends_provider_idx on campaign_sends (provider_id) where provider_id is not null`.execute(db)

  await sql`create table resend_webhook_events (
    svix_id text primary key,
    workspace_id uuid references workspaces(id) on delete cascade,
    type text not null,
    provider_id text,
    received_at timestamptz not null,
    payload jsonb not null
  )`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['resend_webhook_events', 'campaign_sends', 'campaign_batches', 'campaigns', 'email_suppressions', 'campaign_settings'])
    await sql`drop table ${sql.table(t)}`.execute(db)
}
