import type { ClickHouseMigration } from './types.js'

// Revenue goals per rep or team and month or quarter, folded from the 'goal' streams.
export const migration: ClickHouseMigration = {
  version: 5,
  name: 'goals',
  statements: [
    `
    CREATE TABLE IF NOT EXISTS goals{on_cluster} (
      workspace_id UUID,
      goal_id UUID,
      scope LowCardinality(String),
      scope_id UUID,
      period LowCardinality(String),
      target_cents Int64,
      removed Bool,
      updated_at DateTime64(3, 'UTC'),
      version UInt32
    )
    ENGINE = {replicated}ReplacingMergeTree(version)
    ORDER BY (workspace_id, goal_id)`,
  ],
}
