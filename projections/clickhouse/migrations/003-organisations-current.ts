import type { ClickHouseMigration } from './types.js'

export const migration: ClickHouseMigration = {
  version: 3,
  name: 'organisations-current',
  statements: [
    `
    CREATE TABLE IF NOT EXISTS organisations_current{on_cluster} (
      workspace_id UUID,
      organisation_id UUID,
      name String,
      status LowCardinality(String),
      sector LowCardinality(Nullable(String)),
      city Nullable(String),
      size LowCardinality(Nullable(String)),
      siren Nullable(String),
      owner_id Nullable(UUID),
      created_at DateTime64(3, 'UTC'),
      updated_at DateTime64(3, 'UTC'),
      deleted Bool,
      deleted_at Nullable(DateTime64(3, 'UTC')),
      version UInt32
    )
    ENGINE = {replicated}ReplacingMergeTree(version)
    ORDER BY (workspace_id, organisation_id)`,
  ],
}
