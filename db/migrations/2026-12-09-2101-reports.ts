import { type Kysely, sql } from 'kysely'

// Saved reports (domain/reports): the builder's spec as jsonb, its owner and who may open it
// (the owner only, the owner's team, or the whole workspace — read-only for the others;
// each viewer still sees only the figures their role allows).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('spec', 'jsonb', (c) => c.notNull())
    .addColumn('sharing', 'text', (c) =>
      c
        .notNull()
        .defaultTo('prive')
        .check(sql`sharing in ('prive','equipe','espace')`),
    )
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('reports_workspace_idx').on('reports').columns(['workspace_id', 'owner_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reports').execute()
}
