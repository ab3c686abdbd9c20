import type { ClickHouseMigration } from './types.js'

// The funnel moves from a daily rollup (deals_funnel_daily: as many cells as deals at
// scale, see deal-created.projection.ts) to a fact table of deals by creation day.
// Stores that projected 'deal-analytics' before this need
// `npm run projections:rebuild -- deal-analytics` to fill it.
export const migration: ClickHouseMigration = {
  version: 9,
  name: 'deal-created',
  statements: [
    'DROP TABLE IF EXISTS deals_funnel_daily{on_cluster}',
    `
    CREATE TABLE IF NOT EXISTS deal_created{on_cluster} (
      workspace_id UUID,
      created_day Date,
      deal_id UUID,
      owner_id UUID,
      category LowCardinality(String),
      region LowCardinality(String),
      reached LowCardinality(String),
      amount_cents Int64,
      version UInt32,
      is_deleted UInt8
    )
    ENGINE = {replicated}ReplacingMergeTree(version, is_deleted)
    ORDER BY (workspace_id, created_day, deal_id)`,
  ],
}
