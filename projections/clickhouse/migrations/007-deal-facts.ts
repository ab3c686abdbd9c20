import type { ClickHouseMigration } from './types.js'

// The analytics fold of each deal (its own checkpoint 'deal-analytics', so it rebuilds
// apart from deals_current), and the deal side of the recent-activity feed keyed by
// time and event position.
export const migration: ClickHouseMigration = {
  version: 7,
  name: 'deal-facts',
  statements: [
    `
    CREATE TABLE IF NOT EXISTS deal_facts{on_cluster} (
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
      created_at DateTime64(3, 'UTC'),
      closed_at Nullable(DateTime64(3, 'UTC')),
      won Bool,
      lost Bool,
      close_amount_cents Nullable(Int64),
      reached Array(LowCardinality(String)),
      deleted Bool,
      version UInt32
    )
    ENGINE = {replicated}ReplacingMergeTree(version)
    ORDER BY (workspace_id, deal_id)`,
    `
    CREATE TABLE IF NOT EXISTS deal_timeline{on_cluster} (
      workspace_id UUID,
      at DateTime64(3, 'UTC'),
      position UInt64,
      deal_id UUID,
      kind LowCardinality(String),
      stage LowCardinality(String),
      title String,
      organisation_id UUID,
      owner_id Nullable(UUID),
      actor_id Nullable(UUID),
      amount_cents Int64,
      category LowCardinality(Nullable(String)),
      region LowCardinality(Nullable(String))
    )
    ENGINE = {replicated}ReplacingMergeTree
    ORDER BY (workspace_id, at, position)`,
  ],
}
