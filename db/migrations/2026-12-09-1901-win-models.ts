import { type Kysely, sql } from 'kysely'

// Win-probability model versions (domain/scoring): one row per training, with what it was
// trained on, how it measured on newer deals, and the serialized trees. At most one
// active version per workspace; a "fallback" version records why the stage table is used.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('win_model_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('trained_at', 'timestamptz', (c) => c.notNull())
    // 'model': the trees are used; 'fallback': too few closed deals, or not better than the stage table.
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('model','fallback')`))
    .addColumn('fallback_reason', 'text', (c) => c.check(sql`fallback_reason in ('cold_start','below_stage_table')`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('closed_deals', 'integer', (c) => c.notNull())
    .addColumn('features', 'jsonb', (c) => c.notNull())
    .addColumn('params', 'jsonb')
    // Training and test windows (close dates of the deals used), the time split.
    .addColumn('train_from', 'timestamptz')
    .addColumn('train_to', 'timestamptz')
    .addColumn('test_from', 'timestamptz')
    .addColumn('test_to', 'timestamptz')
    // { model, baseline, tree, stage_table: Metrics; reliability: ReliabilityRow[] }
    .addColumn('metrics', 'jsonb')
    .addColumn('model', 'jsonb')
    .execute()
  await sql`create unique index win_model_versions_one_active on win_model_versions (workspace_id) where active`.execute(db)
  await db.schema.createIndex('win_model_versions_ws_trained').on('win_model_versions').columns(['workspace_id', 'trained_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('win_model_versions').execute()
}
