import { type Kysely, sql } from 'kysely'

// Tasks (domain/tasks): one row per task or per occurrence of a recurring series, the
// reminders already sent (claimed once per task and kind), and the hashed secret tokens
// of the private calendar feeds.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('due_at', 'timestamptz')
    // All-day tasks are due at 00:00 Paris time on their day.
    .addColumn('all_day', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('assignee_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('priority', 'text', (c) => c.notNull().check(sql`priority in ('urgente','haute','normale','basse')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('a_faire','en_cours','terminee','annulee')`))
    .addColumn('organisation_id', 'uuid', (c) => c.references('organisations.id'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id'))
    .addColumn('deal_id', 'uuid', (c) => c.references('deals.id'))
    // The RFC 5545 RRULE value ("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10"), read in Paris wall-clock time.
    .addColumn('rrule', 'text')
    // The first task of the series (its own id for a single task) and this one's rank in it.
    .addColumn('series_id', 'uuid', (c) => c.notNull())
    .addColumn('occurrence_index', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  // Completing an occurrence creates the next one: never two tasks for one rank of a series.
  await sql`create unique index tasks_series_occurrence_key on tasks (series_id, occurrence_index)`.execute(db)
  // "Mes tâches", the calendar and the reminder passes: open tasks by assignee and due date.
  await sql`create index tasks_ws_assignee_due_idx on tasks (workspace_id, assignee_id, due_at) where deleted_at is null`.execute(db)
  await sql`create index tasks_ws_creator_idx on tasks (workspace_id, created_by) where deleted_at is null`.execute(db)
  await sql`create index tasks_open_due_idx on tasks (due_at) where deleted_at is null and status in ('a_faire','en_cours')`.execute(db)
  // The "Tâches" sections of record pages.
  await sql`create index tasks_ws_org_idx on tasks (workspace_id, organisation_id) where organisation_id is not null`.execute(db)
  await sql`create index tasks_ws_contact_idx on tasks (workspace_id, contact_id) where contact_id is not null`.execute(db)
  await sql`create index tasks_ws_deal_idx on tasks (workspace_id, deal_id) where deal_id is not null`.execute(db)

  await db.schema
    .createTable('task_reminders_sent')
    .addColumn('task_id', 'uuid', (c) => c.notNull().references('tasks.id'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('j1','j0','overdue_j1')`))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The claim: the first pass to insert (task, kind) sends; any other finds it taken.
    .addUniqueConstraint('task_reminders_sent_key', ['task_id', 'kind'])
    .execute()

  await db.schema
    .createTable('calendar_tokens')
    // One private feed per user: regenerating replaces the row (the old URL stops working).
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    // sha256 of the secret in the URL, hex: a leaked database does not leak the feeds.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_tokens').ifExists().execute()
  await db.schema.dropTable('task_reminders_sent').ifExists().execute()
  await db.schema.dropTable('tasks').ifExists().execute()
}
