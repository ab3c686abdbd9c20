import type { ClickHouseMigration } from './types.js'

// contract_mrr: each contract's MRR timeline (the days its monthly price changes and the
// cents from then), the days it is in force, how each of its terms ended, and the fold
// state the next event continues from (projections/contract-mrr.projection.ts).
export const migration: ClickHouseMigration = {
  version: 12,
  name: 'contract-mrr',
  statements: [
    `
    CREATE TABLE IF NOT EXISTS contract_mrr{on_cluster} (
      workspace_id UUID,
      contract_id UUID,
      organisation_id UUID,
      owner_id Nullable(UUID),
      type LowCardinality(String),
      first_day Nullable(Date32),
      last_day Nullable(Date32),
      change_days Array(Date32),
      change_cents Array(Int64),
      term_end_days Array(Date32),
      term_outcomes Array(LowCardinality(String)),
      fold String,
      version UInt32
    )
    ENGINE = {replicated}ReplacingMergeTree(version)
    ORDER BY (workspace_id, contract_id)`,
  ],
}
