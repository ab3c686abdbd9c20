// npm run start:worker — the background process of server mode: projector and pg-boss
// workers, beside any number of web processes (docker-compose `worker`). In the
// embedded default, server.ts runs all of this in the web process instead (chDB allows
// one process per data directory).
import { startRuntime, startupFailure, stopOnSignals } from './runtime.js'

const log = (m: string) => console.log(`[worker] ${m}`)

async function main() {
  // Before the start: a signal while it runs stops what was started.
  const shutdown = stopOnSignals(log)
  const runtime = await startRuntime({
    dataDir: process.env.ALFORIS_DATA_DIR || undefined,
    databaseUrl: process.env.DATABASE_URL || undefined,
    clickhouseUrl: process.env.CLICKHOUSE_URL || undefined,
    projector: true,
    jobs: 'work',
    seed: false,
    log,
  })
  log('prêt : projecteur et tâches planifiées')
  shutdown.setStop((step) => runtime.stop(step))
}

main().catch((e) => {
  console.error(startupFailure(e))
  process.exit(1)
})
