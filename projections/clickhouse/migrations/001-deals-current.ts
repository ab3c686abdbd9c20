import type { ClickHouseMigration } from './types.js'

// Current state of each deal, folded from its events. `version` is the deal stream's
// version (equal to deals.version in Postgres), so a replayed batch rewrites the same
// row and FINAL keeps one.
export const migration: ClickHouseMigration = {
  version: 1,
  name: 'deals-current',
  statements: [
    `
    CREATE TABLE IF NOT EXISTS deals_current{on_cluster} (
      workspace_id UUID,
      deal_id UUID,
      title String,
      organisation_id UUID,
      owner_id Nullable(UUID),
      stage LowCardinality(String),
      probability UInt8,
      amount_cents Int64,
      category LowCardinality(Nullable(String)),
      region LowCardinality(Nullable(String)),
      source LowCardinality(Nullable(String)),
      expected_close_date Nullable(Date32),
      lost_reason Nullable(String),
      created_at DateTime64(3, 'UTC'),
      updated_at DateTime64(3, 'UTC'),
      stage_changed_at DateTime64(3, 'UTC'),
      closed_at Nullable(DateTime64(3, 'UTC')),
      closed Bool,
      won Bool,
      deleted Bool,
      deleted_at Nullable(DateTime64(3, 'UTC')),
      version UInt32
    )
    ENGINE = {replicated}ReplacingMergeTree(version)
    ORDER BY (workspace_id, deal_id)`,
  ],
}
