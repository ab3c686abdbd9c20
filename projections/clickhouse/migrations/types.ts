/**
 * One versioned step of the ClickHouse schema. Statements are SQL strings (TS modules,
 * not .sql files, so Vite can bundle them) and must be idempotent (`IF NOT EXISTS`):
 * two processes starting together may both run them.
 *
 * Placeholders, filled by `migrateClickHouse`: `{on_cluster}` (empty on one node,
 * ` ON CLUSTER name` on a cluster) and `{replicated}` (empty, or `Replicated` so a
 * `{replicated}ReplacingMergeTree(version)` becomes its replicated twin).
 */
export type ClickHouseMigration = { version: number; name: string; statements: string[] }
