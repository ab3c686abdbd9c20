import { signalEmbeddedPostgres, stopEmbeddedPostgres } from '../db/embedded-postgres.js'

// Stopping in order, on a clock. A stop is a list of named steps, each given a few
// seconds; one that hangs is logged and left behind, and the whole stop is cut at
// SHUTDOWN_TIMEOUT_MS with a French message (systemd and `docker stop` send SIGKILL
// after 90 s and 10 s). Whatever happens, the embedded Postgres is told to stop before
// the process exits, so no postmaster is left on the data directory.

export const SHUTDOWN_TIMEOUT_MS = 10_000

/** Runs one named step of a stop: waits up to `ms`, logs a failure or a timeout, never throws. */
export type StopStep = (label: string, fn: () => Promise<unknown>, ms?: number) => Promise<void>

/** A StopStep that logs with `log` and tells `onStep` which step runs (for the force-exit message). */
export function stopSteps(log: (m: string) => void, onStep: (label: string) => void = () => {}): StopStep {
  return async (label, fn, ms = 3_000) => {
    onStep(label)
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms)
      timer.unref()
    })
    try {
      const r = await Promise.race([fn().then(() => 'done' as const), timeout])
      if (r === 'timeout') log(`arrêt : « ${label} » ne s'est pas terminé en ${Math.round(ms / 1000)} s, étape suivante`)
    } catch (e) {
      log(`arrêt : « ${label} » a échoué (${e instanceof Error ? e.message : String(e)}), étape suivante`)
    } finally {
      clearTimeout(timer)
    }
  }
}

/**
 * Stops everything in order on SIGTERM, SIGINT and SIGHUP, then exits (0 when every step
 * ended, 1 otherwise). embedded-postgres hooks these signals (async-exit-hook) to stop
 * its cluster and exit at once — before pg-boss and the projector have stopped — so its
 * listeners are replaced by ours. A signal repeated during the stop (a Ctrl+C reaches
 * npm and node both) is ignored: the timer bounds the stop anyway.
 *
 * Install it first thing, before the runtime starts, then hand it the stop once there is
 * something to stop (`setStop`): a signal during the start (the demo data loading) then
 * stops the embedded Postgres too; the next start resumes the seed.
 *
 * @example const shutdown = stopOnSignals(log); const rt = await startRuntime(…); shutdown.setStop((step) => rt.stop(step))
 */
export function stopOnSignals(log: (m: string) => void = console.log, opts: { timeoutMs?: number; exit?: (code: number) => void } = {}) {
  const timeoutMs = opts.timeoutMs ?? SHUTDOWN_TIMEOUT_MS
  const exit = opts.exit ?? ((code: number) => process.exit(code))
  let stop: ((step: StopStep) => Promise<void>) | null = null
  let stopping = false
  let current = 'démarrage'
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log(`${signal} reçu, arrêt…`)
    // Not unref'd: it must fire even if something keeps the event loop busy.
    const force = setTimeout(() => {
      log(`arrêt forcé après ${Math.round(timeoutMs / 1000)} s : « ${current} » ne s'est pas terminé`)
      signalEmbeddedPostgres()
      exit(1)
    }, timeoutMs)
    let failed = false
    const step = stopSteps(
      (m) => {
        failed = true
        log(m)
      },
      (label) => (current = label),
    )
    try {
      if (stop) await stop(step)
      else {
        log('arrêt pendant le démarrage : ce qui était en cours reprendra au prochain démarrage')
        await step('PostgreSQL embarqué', stopEmbeddedPostgres, 6_000)
      }
    } catch (e) {
      failed = true
      log(`arrêt : échec (${e instanceof Error ? e.message : String(e)})`)
    }
    signalEmbeddedPostgres()
    clearTimeout(force)
    log(failed ? 'arrêté (avec des étapes incomplètes)' : 'arrêté')
    exit(failed ? 1 : 0)
  }
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.removeAllListeners(signal)
    process.on(signal, () => void shutdown(signal))
  }
  return {
    setStop(fn: (step: StopStep) => Promise<void>) {
      stop = fn
    },
  }
}
