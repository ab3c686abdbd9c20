// STUB — replaced by the ClickHouse DDL migrator.
import type { ClickHouse } from './clickhouse.js'
export async function migrateClickHouse(_ch: ClickHouse): Promise<void> {}
