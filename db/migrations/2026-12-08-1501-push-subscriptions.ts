import { type Kysely, sql } from 'kysely'

// Web Push (issue 15): the browsers (devices) a user subscribed, and a "push" channel
// beside e-mail and in-app in the notification preferences. `push` is nullable: rows
// saved before this channel existed mean "the kind's default" (domain/notifications/kinds.ts).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notification_preferences add column push boolean`.execute(db)
  // One row per browser subscription; the endpoint is the push service's URL for that
  // browser and is unique (a browser that subscribes again replaces its row).
  await sql`create table push_subscriptions (
    id uuid primary key,
    workspace_id uuid not null references workspaces(id) on delete cascade,
    user_id uuid not null references users(id) on delete cascade,
    endpoint text not null unique,
    p256dh text not null,
    auth text not null,
    device_label text not null,
    created_at timestamptz not null default now(),
    last_success_at timestamptz,
    last_failure text
  )`.execute(db)
  await sql`create index push_subscriptions_user_idx on push_subscriptions (workspace_id, user_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table push_subscriptions`.execute(db)
  await sql`alter table notification_preferences drop column push`.execute(db)
}
