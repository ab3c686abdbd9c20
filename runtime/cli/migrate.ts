// npm run db:migrate — brings the Postgres schema up to date and says what it did.
// Embedded cluster in .data/pg unless DATABASE_URL. ClickHouse DDL is applied by the
// runtime at every start (projections/migrate.ts), not here.
import { Migrator } from 'kysely'
import { migrations } from '../../db/migrations/index.js'
import { startDatabase } from '../runtime.js'

async function main() {
  const { db, pgServer, applied } = await startDatabase({
    dataDir: process.env.ALFORIS_DATA_DIR || undefined,
    databaseUrl: process.env.DATABASE_URL || undefined,
    max: 1,
    log: (m) => console.log(`[migrate] ${m}`),
  })
  try {
    const all = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).getMigrations()
    for (const name of applied) console.log(`[migrate] appliquée : ${name}`)
    console.log(
      `[migrate] ${applied.length ? `${applied.length} migration(s) appliquée(s)` : 'schéma déjà à jour'} — ${all.filter((m) => m.executedAt).length}/${all.length} en place`,
    )
  } finally {
    await db.destroy()
    await pgServer?.stop()
  }
}

main().catch((e) => {
  console.error(`[migrate] ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
