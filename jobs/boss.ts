// STUB — replaced by the pg-boss setup.
import type { Db } from '../db/kysely.js'
import type { ClickHouse } from '../projections/clickhouse.js'
export type Jobs = { stop: () => Promise<void> }
export async function startJobs(_o: { db: Db; ch: ClickHouse; databaseUrl: string; work: boolean; log: (m: string) => void }): Promise<Jobs> {
  return { stop: async () => {} }
}
