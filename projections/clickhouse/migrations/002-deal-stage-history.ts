import type { ClickHouseMigration } from './types.js'

// One row per stage entered (creation included), keyed by the event's position: a
// replayed event lands on the same key and FINAL keeps one row.
export const migration: ClickHouseMigration = {
  version: 2,
  name: 'deal-stage-history',
  statements: [
    `
    CREATE TABLE IF NOT EXISTS deal_stage_history{on_cluster} (
      workspace_id UUID,
      deal_id UUID,
      position UInt64,
      stream_version UInt32,
      from_stage LowCardinality(Nullable(String)),
      to_stage LowCardinality(String),
      at DateTime64(3, 'UTC'),
      amount_cents Int64,
      owner_id Nullable(UUID),
      seconds_in_previous_stage Nullable(Int64),
      closed Bool,
      won Bool
    )
    ENGINE = {replicated}ReplacingMergeTree
    ORDER BY (workspace_id, deal_id, position)`,
  ],
}
