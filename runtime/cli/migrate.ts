// npm run db:migrate — brings the Postgres schema up to date and says what it did.
// Embedded cluster in .data/pg unless DATABASE_URL. ClickHouse DDL is applied by the
// runtime at every start (projections/migrate.ts), not here.
import path from 'node:path'
import { Migrator } from 'kysely'
import { startEmbeddedPostgres, type PostgresServer } from '../../db/embedded-postgres.js'
import { createDb } from '../../db/kysely.js'
import { migrateToLatest } from '../../db/migrate.js'
import { migrations } from '../../db/migrations/index.js'

async function main() {
  let server: PostgresServer | null = null
  let url = process.env.DATABASE_URL || undefined
  if (!url) {
    const dir = path.resolve(process.env.ALFORIS_DATA_DIR ?? '.data', 'pg')
    server = await startEmbeddedPostgres(dir)
    url = server.url
    console.log(`[migrate] PostgreSQL embarqué (${dir})`)
  }
  const { db } = createDb(url, { max: 1 })
  try {
    const applied = await migrateToLatest(db)
    const all = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).getMigrations()
    for (const name of applied) console.log(`[migrate] appliquée : ${name}`)
    console.log(`[migrate] ${applied.length ? `${applied.length} migration(s) appliquée(s)` : 'schéma déjà à jour'} — ${all.filter((m) => m.executedAt).length}/${all.length} en place`)
  } finally {
    await db.destroy()
    await server?.stop()
  }
}

main().catch((e) => {
  console.error(`[migrate] ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
