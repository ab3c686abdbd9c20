import { chQuery, type ClickHouse } from './clickhouse.js'
import { clickHouseMigrations, type ClickHouseMigration } from './clickhouse/migrations/index.js'

export type ClickHouseMigrateOptions = {
  /** Cluster name for `ON CLUSTER` + Replicated engines; single node when unset. */
  cluster?: string
  migrations?: ClickHouseMigration[]
}

/** Fills the `{on_cluster}` and `{replicated}` placeholders of a migration statement. */
export function renderStatement(statement: string, cluster?: string): string {
  if (cluster && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(cluster)) throw new Error(`Nom de cluster ClickHouse invalide : ${cluster}`)
  return statement.replaceAll('{on_cluster}', cluster ? ` ON CLUSTER ${cluster}` : '').replaceAll('{replicated}', cluster ? 'Replicated' : '')
}

/**
 * Applies the ClickHouse migrations not yet recorded in `schema_migrations`, in
 * version order, and returns the names applied. Statements are idempotent, so two
 * processes racing at start-up both succeed (the table may then hold a duplicate
 * record, which `FINAL` hides).
 *
 * @example await migrateClickHouse(ch) // ['deals-current', 'deal-stage-history', …] on a fresh store
 */
export async function migrateClickHouse(ch: ClickHouse, opts: ClickHouseMigrateOptions = {}): Promise<string[]> {
  const cluster = opts.cluster ?? (process.env.CLICKHOUSE_CLUSTER || undefined)
  const migrations = [...(opts.migrations ?? clickHouseMigrations)].sort((a, b) => a.version - b.version)
  // The one table without workspace_id: it describes the store, not a tenant's data.
  await ch.command({
    query: renderStatement(
      `
      CREATE TABLE IF NOT EXISTS schema_migrations{on_cluster} (
        version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
      ) ENGINE = {replicated}ReplacingMergeTree ORDER BY version`,
      cluster,
    ),
  })
  const done = new Set((await chQuery<{ version: number }>(ch, 'SELECT DISTINCT version FROM schema_migrations')).map((r) => Number(r.version)))
  const applied: string[] = []
  for (const m of migrations) {
    if (done.has(m.version)) continue
    for (const statement of m.statements) await ch.command({ query: renderStatement(statement, cluster) })
    await ch.insert({ table: 'schema_migrations', values: [{ version: m.version, name: m.name }], format: 'JSONEachRow' })
    applied.push(m.name)
  }
  return applied
}
