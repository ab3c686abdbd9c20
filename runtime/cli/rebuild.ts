import { startRuntime, startupFailure } from '../runtime.js'
import { rebuildProjections } from '../../projections/rebuild.js'

// npm run projections:rebuild [-- deals organisations]
// Rebuilds the ClickHouse read models from the Postgres event store. In embedded mode
// the app must be stopped first: PostgreSQL (.data/pg) and chDB (.data/ch) each accept
// one process at a time.

async function main() {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const log = (m: string) => console.log(`[rebuild] ${m}`)
  let runtime
  try {
    runtime = await startRuntime({
      databaseUrl: process.env.DATABASE_URL || undefined,
      clickhouseUrl: process.env.CLICKHOUSE_URL || undefined,
      seed: false,
      projector: false,
      jobs: 'off',
      log,
    })
  } catch (e) {
    console.error(startupFailure(e, '[rebuild]'))
    if (!process.env.DATABASE_URL || !process.env.CLICKHOUSE_URL) {
      console.error("[rebuild] en mode embarqué, arrêtez d'abord l'application (les dossiers .data/pg et .data/ch n'acceptent qu'un processus).")
    }
    process.exit(1)
  }
  try {
    const r = await rebuildProjections({ db: runtime.db, ch: runtime.ch }, names, { log })
    log(`reconstruit : ${r.projections.join(', ')} — ${r.events} événements en ${r.ms} ms`)
    for (const [table, n] of Object.entries(r.rows)) log(`  ${table} : ${n} lignes`)
  } catch (e) {
    console.error(`[rebuild] échec : ${e instanceof Error ? e.message : String(e)}`)
    process.exitCode = 1
  } finally {
    await runtime.stop()
  }
}

main().catch((e) => {
  console.error(startupFailure(e, '[rebuild]'))
  process.exit(1)
})
