// npm run db:seed -- [--seed 42] [--deals 6000] [--organisations 1500] [--as-of 2026-11-27] [--reset] [--data-dir .data]
//
// Loads the demo workspace into the database the app uses (embedded in .data unless
// DATABASE_URL), then lets the projector carry the events into ClickHouse.
// --reset starts from an empty embedded database: it deletes .data/pg and .data/ch.
// With DATABASE_URL, reset means recreating that database yourself (we never drop a
// server's data from a script).
import fs from 'node:fs'
import path from 'node:path'
import { startRuntime } from '../runtime.js'
import { projectionLag } from '../../projections/lag.js'
import { isSeeded, SEED_DEFAULTS, seedDemo } from '../../seed/seed.js'
import { intArg, parseArgs } from './cli-args.js'

const log = (m: string) => console.log(`[seed] ${m}`)

async function main() {
  const args = parseArgs(process.argv.slice(2), ['seed', 'deals', 'organisations', 'as-of', 'reset', 'data-dir'])
  const seed = intArg(args, 'seed', SEED_DEFAULTS.seed)
  const deals = intArg(args, 'deals', SEED_DEFAULTS.deals)
  const organisations = intArg(args, 'organisations', SEED_DEFAULTS.organisations)
  const asOfArg = args.get('as-of')
  if (asOfArg !== undefined && (typeof asOfArg !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(asOfArg))) throw new Error('--as-of attend une date AAAA-MM-JJ')
  const asOf = typeof asOfArg === 'string' ? new Date(`${asOfArg}T00:00:00Z`) : undefined
  const dataDir = path.resolve(typeof args.get('data-dir') === 'string' ? (args.get('data-dir') as string) : (process.env.ALFORIS_DATA_DIR ?? '.data'))
  const databaseUrl = process.env.DATABASE_URL || undefined
  const clickhouseUrl = process.env.CLICKHOUSE_URL || undefined

  if (args.get('reset')) {
    if (databaseUrl)
      throw new Error('--reset ne vide que la base embarquée. Avec DATABASE_URL, recréez la base vous-même puis relancez db:seed (et projections:rebuild).')
    // A running app holds the cluster: deleting under it would corrupt it.
    if (fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')))
      throw new Error(`PostgreSQL tourne encore sur ${dataDir}/pg : arrêtez l'application avant --reset.`)
    for (const d of ['pg', 'ch']) fs.rmSync(path.join(dataDir, d), { recursive: true, force: true })
    log(`${dataDir}/pg et ${dataDir}/ch supprimés`)
  }

  const rt = await startRuntime({ databaseUrl, clickhouseUrl, dataDir, seed: false, projector: true, jobs: 'off', log })
  try {
    if (await isSeeded(rt.db)) throw new Error("La démo est déjà chargée. Relancez avec --reset pour repartir d'une base vide.")
    await seedDemo(rt.db, { seed, deals, organisations, asOf, log })
    // Hand ClickHouse the events now rather than at the app's next start.
    if (rt.projector) {
      const t = Date.now()
      log('projection des événements vers ClickHouse…')
      const progress = setInterval(() => {
        projectionLag(rt.db).then(
          (lag) => log(`… ${lag.events} événements à projeter`),
          () => {},
        )
      }, 15_000)
      try {
        await rt.projector.waitForCatchUp(6 * 3_600_000)
      } finally {
        clearInterval(progress)
      }
      log(`ClickHouse à jour en ${((Date.now() - t) / 1000).toFixed(1)} s`)
    }
  } finally {
    await rt.stop()
  }
}

main().catch((e) => {
  console.error(`[seed] ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
