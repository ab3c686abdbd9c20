import type { ClickHouseMigration } from './types.js'

// Activities: current state keyed by id (the fold reads it back), and a timeline keyed
// by time for the recent-activity feed, where a moved or deleted activity leaves a
// tombstone (is_deleted) that FINAL hides.
export const migration: ClickHouseMigration = {
  version: 4,
  name: 'activities',
  statements: [
    `
    CREATE TABLE IF NOT EXISTS activities{on_cluster} (
      workspace_id UUID,
      activity_id UUID,
      kind LowCardinality(String),
      subject String,
      occurred_at DateTime64(3, 'UTC'),
      author_id Nullable(UUID),
      organisation_id Nullable(UUID),
      contact_id Nullable(UUID),
      deal_id Nullable(UUID),
      deleted Bool,
      version UInt32
    )
    ENGINE = {replicated}ReplacingMergeTree(version)
    ORDER BY (workspace_id, activity_id)`,
    `
    CREATE TABLE IF NOT EXISTS activity_timeline{on_cluster} (
      workspace_id UUID,
      occurred_at DateTime64(3, 'UTC'),
      activity_id UUID,
      kind LowCardinality(String),
      subject String,
      author_id Nullable(UUID),
      organisation_id Nullable(UUID),
      contact_id Nullable(UUID),
      deal_id Nullable(UUID),
      version UInt32,
      is_deleted UInt8
    )
    ENGINE = {replicated}ReplacingMergeTree(version, is_deleted)
    ORDER BY (workspace_id, occurred_at, activity_id)`,
  ],
}
