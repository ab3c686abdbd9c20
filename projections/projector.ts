import type postgres from 'postgres'
import { sql } from 'kysely'
import type { Db } from '../db/kysely.js'
import { readCheckpoints } from './checkpoints.js'
import type { ClickHouse } from './clickhouse.js'
import { leaderLock } from './leader-lock.js'
import { StateCache } from './state-cache.js'
import { DEFAULT_BATCH_SIZE, projectPending } from './project-pending.js'
import type { Projection } from './projection.js'
import { type Checkpoint, compareCheckpoints, type ProjectedEvent } from './projected-event.js'
import { projections as allProjections } from './registry.js'

export type Projector = {
  stop(): Promise<void>
  /** Projects everything projectable now (batch after batch); returns the number of events. */
  runOnce(): Promise<number>
  /** Resolves once every event committed before the call is projected (by whichever instance leads). */
  waitForCatchUp(timeoutMs?: number): Promise<void>
  isLeader(): boolean
}

export type ProjectorOptions = {
  db: Db
  sql: postgres.Sql
  ch: ClickHouse
  log: (m: string) => void
  projections?: Projection[]
  batchSize?: number
  /** Fallback when a NOTIFY is missed (or LISTEN is unavailable). */
  pollMs?: number
  /** How often a follower tries to take over. */
  leaderRetryMs?: number
  /** Called after each batch's checkpoint moved (metrics, benchmarks). */
  onBatch?: (b: { events: ProjectedEvent[]; last: Checkpoint; ms: number }) => void
}

const CHANNEL = 'alforis_events'

/**
 * Streams `events` into the ClickHouse read models. Wakes on NOTIFY, polls as a
 * fallback, and projects only while it holds the leader lock, so any number of
 * processes may start it. ClickHouse errors are logged and retried with backoff; the
 * checkpoint never moves past an event that was not written.
 *
 * @example const p = await startProjector({ db, sql, ch, log: console.log }); await p.waitForCatchUp(); await p.stop()
 */
export async function startProjector(o: ProjectorOptions): Promise<Projector> {
  const projections = o.projections ?? allProjections
  const names = projections.map((p) => p.name)
  const batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE
  const pollMs = o.pollMs ?? 1_000
  const leaderRetryMs = o.leaderRetryMs ?? 5_000
  const cache = new StateCache()
  const io = { db: o.db, ch: o.ch, cache }
  const lock = leaderLock(o.sql)

  let stopped = false
  let woken = false
  let backingOff = false
  let interrupt: (() => void) | null = null
  const batchWaiters = new Set<() => void>()

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const done = () => { clearTimeout(timer); interrupt = null; resolve() }
    const timer = setTimeout(done, ms)
    interrupt = done
  })
  const wake = () => {
    woken = true
    // A follower ignores NOTIFYs: it only tries to take over on its own schedule. A
    // failing leader too: new events must not turn its backoff into a busy retry.
    if (lock.held && !backingOff) interrupt?.()
  }

  // One drain at a time, whether from the loop or from runOnce.
  let mutex: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = mutex.then(fn, fn)
    mutex = run.catch(() => {})
    return run
  }

  const drain = () => projectPending(io, projections, {
    batchSize,
    stopped: () => stopped,
    onBatch: (b) => {
      o.onBatch?.(b)
      for (const w of batchWaiters) w()
    },
  }).catch((e) => {
    // A half-written batch may have left ClickHouse ahead of the cache, or behind it.
    cache.clear()
    throw e
  })

  async function lead(): Promise<boolean> {
    if (lock.held) {
      if (await lock.check()) return true
      o.log('projecteur : verrou de leader perdu (connexion coupée)')
    }
    if (await lock.tryAcquire()) {
      // Another instance may have written while this one did not lead.
      cache.clear()
      o.log('projecteur : leader')
      return true
    }
    return false
  }

  let listener: postgres.ListenMeta | null = null
  try {
    listener = await o.sql.listen(CHANNEL, wake)
  } catch (e) {
    o.log(`projecteur : LISTEN ${CHANNEL} indisponible, interrogation toutes les ${pollMs} ms (${(e as Error).message})`)
  }
  await exclusive(lead)

  const loop = (async () => {
    let failures = 0
    while (!stopped) {
      woken = false
      let leading = false
      try {
        await exclusive(async () => {
          leading = await lead()
          if (leading) await drain()
        })
        failures = 0
      } catch (e) {
        failures++
        o.log(`projecteur : échec, nouvel essai (${failures}) : ${(e as Error).stack ?? e}`)
      }
      if (stopped) break
      if (failures) {
        backingOff = true
        await sleep(Math.min(30_000, 250 * 2 ** failures))
        backingOff = false
      } else if (leading && woken) continue
      else await sleep(leading ? pollMs : leaderRetryMs)
    }
  })()

  return {
    isLeader: () => lock.held,
    runOnce: () => exclusive(async () => {
      if (!(await lead())) throw new Error('projecteur : une autre instance est leader')
      return drain()
    }),
    async waitForCatchUp(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      const target = await maxCommittedPosition(o.db)
      for (;;) {
        if (await caughtUp(o.db, names, target)) return
        if (Date.now() > deadline) throw new Error(`projecteur : pas à jour après ${timeoutMs} ms`)
        wake()
        await new Promise<void>((resolve) => {
          const done = () => { clearTimeout(timer); batchWaiters.delete(done); resolve() }
          const timer = setTimeout(done, 50)
          batchWaiters.add(done)
        })
      }
    },
    async stop() {
      stopped = true
      interrupt?.()
      await loop
      await listener?.unlisten().catch(() => {})
      await lock.release()
    },
  }
}

async function maxCommittedPosition(db: Db): Promise<number> {
  const r = await sql<{ p: number }>`select coalesce(max(position), 0)::bigint as p from events`.execute(db)
  return Number(r.rows[0].p)
}

/** True when no event at or below `position` lies past the slowest checkpoint. */
async function caughtUp(db: Db, names: string[], position: number): Promise<boolean> {
  const cps = await readCheckpoints(db, names)
  const slowest = [...cps.values()].reduce((a, b) => (compareCheckpoints(a, b) <= 0 ? a : b))
  const r = await sql<{ pending: boolean }>`
    select exists (
      select 1 from events
      where (tx_id, position) > (${slowest.tx_id}::xid8, ${slowest.position}::bigint) and position <= ${position}
    ) as pending`.execute(db)
  return !r.rows[0].pending
}
