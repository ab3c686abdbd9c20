import type { ClickHouseMigration } from './types.js'

// The dashboards' rollups (docs/decisions/0006-analytics-rollups.md). Each cell row
// carries `cp`, the (tx_id, position) checkpoint of the batch that last wrote it, as
// tx_id · 2^64 + position: the latest write wins, a replayed delta is recognised, and a
// cell back at zero is a tombstone (is_deleted) that FINAL hides. Owner "none" is the
// nil UUID and a missing category or region the empty string: sort keys are not null.
const rollup = (table: string, keys: string, measures: string[]) => `
    CREATE TABLE IF NOT EXISTS ${table}{on_cluster} (
      workspace_id UUID,
      ${keys},
      ${measures.map((m) => `${m} Int64`).join(',\n      ')},
      cp UInt128,
      is_deleted UInt8
    )
    ENGINE = {replicated}ReplacingMergeTree(cp, is_deleted)
    ORDER BY (workspace_id, ${keys
      .split(',')
      .map((k) => k.trim().split(' ')[0])
      .join(', ')})`

const DIMS = 'owner_id UUID, category LowCardinality(String), region LowCardinality(String)'
const CLOSES = ['created_deals', 'created_cents', 'won_deals', 'won_cents', 'won_cycle_ms', 'lost_deals']

export const migration: ClickHouseMigration = {
  version: 8,
  name: 'deal-rollups',
  statements: [
    rollup('deals_daily', `day Date, ${DIMS}`, CLOSES),
    rollup('deals_monthly', `month Date, ${DIMS}`, CLOSES),
    rollup('deals_funnel_daily', `day Date, ${DIMS}, reached LowCardinality(String)`, ['deals', 'amount_cents']),
    rollup('deals_open', `${DIMS}, stage LowCardinality(String)`, ['deals', 'amount_cents', 'weighted_x100']),
  ],
}
