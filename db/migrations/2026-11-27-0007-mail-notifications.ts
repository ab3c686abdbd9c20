import { type Kysely, sql } from 'kysely'

// The e-mail path (outbound_emails: one row per e-mail, sent by the `mail.send` job to
// Resend or to the local mailbox) and in-app notifications with per-user preferences.
// See domain/mail and domain/notifications.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbound_emails')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('to', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'sent', 'failed')`),
    )
    // Set when sent (or failed): which path carried it.
    .addColumn('provider', 'text', (c) => c.check(sql`provider in ('resend', 'mailbox')`))
    .addColumn('provider_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    // Also sent to Resend as its Idempotency-Key (1 to 256 characters).
    .addColumn('idempotency_key', 'text', (c) =>
      c
        .notNull()
        .unique()
        .check(sql`length(idempotency_key) between 1 and 256`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute()
  await sql`create index outbound_emails_ws_created_idx on outbound_emails (workspace_id, created_at desc)`.execute(db)

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    // A path inside the app ('/tasks/…'), never another host.
    .addColumn('link', 'text', (c) => c.check(sql`link is null or (link like '/%' and link not like '//%')`))
    .addColumn('read_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Per user: the same event (a task reminder) may be told to several people.
    .addColumn('dedup_key', 'text')
    .addUniqueConstraint('notifications_dedup_key', ['user_id', 'dedup_key'])
    .execute()
  await sql`create index notifications_user_created_idx on notifications (user_id, created_at desc)`.execute(db)
  await sql`create index notifications_user_unread_idx on notifications (user_id) where read_at is null`.execute(db)

  // No row for a kind = the defaults of domain/notifications/kinds.ts (both channels on).
  await db.schema
    .createTable('notification_preferences')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('email', 'boolean', (c) => c.notNull())
    .addColumn('in_app', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('notification_preferences_pkey', ['user_id', 'kind'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notification_preferences').ifExists().execute()
  await db.schema.dropTable('notifications').ifExists().execute()
  await db.schema.dropTable('outbound_emails').ifExists().execute()
}
