import type { ClickHouseMigration } from './types.js'

// The people dimension: each user's team, name and role, and each team's name, so team
// filters, team goals and leaderboards resolve inside ClickHouse.
export const migration: ClickHouseMigration = {
  version: 6,
  name: 'users-teams',
  statements: [
    `
    CREATE TABLE IF NOT EXISTS users_teams{on_cluster} (
      workspace_id UUID,
      user_id UUID,
      team_id Nullable(UUID),
      full_name String,
      role LowCardinality(String),
      version UInt32
    )
    ENGINE = {replicated}ReplacingMergeTree(version)
    ORDER BY (workspace_id, user_id)`,
    `
    CREATE TABLE IF NOT EXISTS teams{on_cluster} (
      workspace_id UUID,
      team_id UUID,
      name String,
      version UInt32
    )
    ENGINE = {replicated}ReplacingMergeTree(version)
    ORDER BY (workspace_id, team_id)`,
  ],
}
