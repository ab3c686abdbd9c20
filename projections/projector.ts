// STUB — replaced by the projector.
import type postgres from 'postgres'
import type { Db } from '../db/kysely.js'
import type { ClickHouse } from './clickhouse.js'
export type Projector = { stop: () => Promise<void> }
export async function startProjector(_o: { db: Db; sql: postgres.Sql; ch: ClickHouse; log: (m: string) => void }): Promise<Projector> {
  return { stop: async () => {} }
}
