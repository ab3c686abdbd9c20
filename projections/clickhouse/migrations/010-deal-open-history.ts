import type { ClickHouseMigration } from './types.js'

// The open pipeline as it stood at the end of any Paris day (the previous period of the
// open-pipeline KPIs): each deal's open-pipeline history in deal_facts, and
// deals_open_daily, the net change of the open pipeline per day and owner, category,
// region — a rollup like those of 008 (cp, is_deleted). The pipeline at the end of day D
// is deals_open (now) minus the changes of the days after D.
// Stores that projected 'deal-analytics' before this need
// `npm run projections:rebuild -- deal-analytics` to fill them.
export const migration: ClickHouseMigration = {
  version: 10,
  name: 'deal-open-history',
  statements: [
    'ALTER TABLE deal_facts{on_cluster} ADD COLUMN IF NOT EXISTS open_history Array(Tuple(Date, UInt8, Int64, Int64)) AFTER deleted',
    `
    CREATE TABLE IF NOT EXISTS deals_open_daily{on_cluster} (
      workspace_id UUID,
      day Date,
      owner_id UUID,
      category LowCardinality(String),
      region LowCardinality(String),
      deals Int64,
      amount_cents Int64,
      weighted_x100 Int64,
      cp UInt128,
      is_deleted UInt8
    )
    ENGINE = {replicated}ReplacingMergeTree(cp, is_deleted)
    ORDER BY (workspace_id, day, owner_id, category, region)`,
  ],
}
