import { type Kysely, sql } from 'kysely'

// Per-user dashboard layouts and revenue goals (domain/dashboards). Both are aggregates
// with a version and an event stream ('dashboard', 'goal').
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dashboard_layouts')
    // Derived from (workspace, user): see domain/dashboards/dashboards.repository.ts layoutIdFor.
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('widgets', 'jsonb', (c) => c.notNull().check(sql`jsonb_typeof(widgets) = 'array'`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('dashboard_layouts_user_key', ['workspace_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('goals')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('user', 'team')`))
    // A user or a team of the workspace (checked by the command: one column, two tables).
    .addColumn('scope_id', 'uuid', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'`))
    .addColumn('target_cents', 'bigint', (c) => c.notNull().check(sql`target_cents > 0`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    // A removed goal keeps its row (and stream): setting it again revives it.
    .addColumn('removed_at', 'timestamptz')
    .addUniqueConstraint('goals_scope_period_key', ['workspace_id', 'scope', 'scope_id', 'period'])
    .execute()
  await sql`create index goals_period_idx on goals (workspace_id, period) where removed_at is null`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('goals').ifExists().execute()
  await db.schema.dropTable('dashboard_layouts').ifExists().execute()
}
