import { Kysely } from 'kysely'
import { PostgresJSDialect } from 'kysely-postgres-js'
import postgres from 'postgres'
import type { Database } from './schema.js'

export type Db = Kysely<Database>

/**
 * A kysely instance over the `postgres` driver. int8 (bigint) columns come back as JS
 * numbers: every bigint we store (cents, positions) stays far below 2^53. `date`
 * columns come back as 'YYYY-MM-DD' strings.
 *
 * @example const db = createDb(process.env.DATABASE_URL!); await db.selectFrom('deals').selectAll().execute()
 */
export function createDb(url: string, opts: { max?: number } = {}): { db: Db; sql: postgres.Sql } {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    types: {
      bigint: { to: 20, from: [20], serialize: (x: number | bigint) => String(x), parse: (x: string) => Number(x) },
      // A calendar date stays 'YYYY-MM-DD': a JS Date would shift it across time zones.
      date: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x },
    },
  })
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) })
  return { db, sql }
}
