import { sql } from 'kysely'
import postgres from 'postgres'
import type { Db } from './kysely.js'

// The one loop that consumes the `events` table (ADR 0002, ADR 0018): the projector,
// the workflow dispatcher and, later, the outbound webhooks each run it with their own
// handler, checkpoint names and lock key. It knows the events table, the checkpoints
// and leadership; it knows no rule.
//
//   - Order: events committed before the oldest running transaction
//     (`tx_id < pg_snapshot_xmin(pg_current_snapshot())`), in (tx_id, position) order,
//     after the slowest of the consumer's checkpoints: a late commit is never skipped.
//   - Delivery: at least once. The checkpoint moves only after the handler returned
//     (in the handler's transaction when `transactional`), and only forward.
//   - Leadership: a session advisory lock on a reserved connection; a dead leader's
//     connection ends and with it the lock. Only the leader runs the handler.
//   - Wake-up: LISTEN on the events trigger's channel, polling as a fallback. A follower
//     and a leader in backoff do not react to NOTIFYs (they keep their own schedule).

/** The NOTIFY channel of the statement trigger on `events`. */
export const EVENTS_CHANNEL = 'alforis_events'

/** An event as a consumer reads it. */
export type StoredEvent = {
  position: number
  /** xid8 as text: compare with `compareCheckpoints`, never as a JS number. */
  tx_id: string
  workspace_id: string
  stream_type: string
  stream_id: string
  stream_version: number
  type: string
  // Each event type declares its own shape; handlers narrow it by `type`.
  data: any // eslint-disable-line @typescript-eslint/no-explicit-any
  meta: { actorId?: string | null; [k: string]: unknown } | null
  occurred_at: Date
}

/** Where a consumer stands in the (tx_id, position) order. */
export type Checkpoint = { tx_id: string; position: number }

export const ORIGIN: Checkpoint = { tx_id: '0', position: 0 }

/** Orders two points of the (tx_id, position) stream: negative, zero or positive. */
export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  if (a.tx_id !== b.tx_id) {
    // Decimal text without leading zeros: the shorter is the smaller, equal lengths compare as text (no BigInt per event).
    if (a.tx_id.length !== b.tx_id.length) return a.tx_id.length < b.tx_id.length ? -1 : 1
    return a.tx_id < b.tx_id ? -1 : 1
  }
  return a.position - b.position
}

const slowestOf = (cps: Iterable<Checkpoint>) =>
  [...cps].reduce((a, b) => (compareCheckpoints(a, b) <= 0 ? a : b), { tx_id: '99999999999999999999', position: Number.MAX_SAFE_INTEGER })

/** Each named checkpoint (`projection_checkpoints`); one never moved is at the origin. */
export async function readCheckpoints(db: Db, names: string[]): Promise<Map<string, Checkpoint>> {
  const rows = await db
    .selectFrom('projection_checkpoints')
    .select(['name', sql<string>`tx_id::text`.as('tx_id'), 'position'])
    .where('name', 'in', names)
    .execute()
  const found = new Map(rows.map((r) => [r.name, { tx_id: r.tx_id, position: Number(r.position) }]))
  return new Map(names.map((n) => [n, found.get(n) ?? ORIGIN]))
}

/** Moves checkpoints forward, never back: a stale writer (an ex-leader finishing a batch) cannot undo a newer position. */
export async function saveCheckpoints(db: Db, names: string[], to: Checkpoint): Promise<void> {
  await sql`
    insert into projection_checkpoints (name, tx_id, position, updated_at)
    select n, ${to.tx_id}::xid8, ${to.position}::bigint, now() from unnest(${names}::text[]) as n
    on conflict (name) do update set tx_id = excluded.tx_id, position = excluded.position, updated_at = now()
    where (projection_checkpoints.tx_id, projection_checkpoints.position) < (excluded.tx_id, excluded.position)`.execute(db)
}

/** Sends checkpoints back to the origin: the next run replays every event. */
export async function resetCheckpoints(db: Db, names: string[]): Promise<void> {
  await db.deleteFrom('projection_checkpoints').where('name', 'in', names).execute()
}

/**
 * Up to `limit` events after `from` in (tx_id, position) order, only from transactions
 * older than every transaction still running. With `streamTypes`, events of other
 * streams come without their data (`data` and `meta` null): the caller skips them but
 * still moves its checkpoint past them.
 *
 * The batch travels as one JSON array of arrays (json_agg), parsed with one JSON.parse:
 * row by row, the driver decoded and parsed ten columns per event (two of them JSON),
 * a tenth of the projector's catch-up time (docs/performance.md).
 */
export async function readEventsAfter(db: Db, from: Checkpoint, limit: number, streamTypes?: readonly string[]): Promise<StoredEvent[]> {
  // Qualified names: a bare `tx_id` in ORDER BY would mean the text output column.
  const payload = streamTypes
    ? sql`case when e.stream_type = any(${[...streamTypes]}::text[]) then e.data end as data, case when e.stream_type = any(${[...streamTypes]}::text[]) then e.meta end as meta`
    : sql`e.data, e.meta`
  const r = await sql<{ events: string | null }>`
    select json_agg(json_build_array(b.position, b.tx_id::text, b.workspace_id, b.stream_type, b.stream_id, b.stream_version, b.type, b.data, b.meta, b.occurred_at)
      order by b.tx_id, b.position)::text as events
    from (
      select e.position, e.tx_id, e.workspace_id, e.stream_type, e.stream_id, e.stream_version, e.type, ${payload}, e.occurred_at
      from events e
      where (e.tx_id, e.position) > (${from.tx_id}::xid8, ${from.position}::bigint)
        and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
      order by e.tx_id, e.position
      limit ${limit}
    ) b`.execute(db)
  const text = r.rows[0]?.events
  if (!text) return []
  const rows = JSON.parse(text) as [number, string, string, string, string, number, string, unknown, StoredEvent['meta'], string][]
  const events = new Array<StoredEvent>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i]
    events[i] = {
      position: x[0],
      tx_id: x[1],
      workspace_id: x[2],
      stream_type: x[3],
      stream_id: x[4],
      stream_version: x[5],
      type: x[6],
      data: x[7],
      meta: x[8],
      occurred_at: new Date(x[9]),
    }
  }
  return events
}

/** The newest readable event after `from` (the end of the stream as a consumer may see it now), or null. */
async function newestReadableAfter(db: Db, from: Checkpoint): Promise<Checkpoint | null> {
  const r = await sql<Checkpoint>`
    select e.tx_id::text as tx_id, e.position from events e
    where (e.tx_id, e.position) > (${from.tx_id}::xid8, ${from.position}::bigint) and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
    order by e.tx_id desc, e.position desc limit 1`.execute(db)
  return r.rows[0] ? { tx_id: r.rows[0].tx_id, position: Number(r.rows[0].position) } : null
}

export type BatchInfo = {
  /** The events handed to the handler (without those `streamTypes` left out). */
  events: StoredEvent[]
  /** How many events the batch read, skipped ones included. */
  read: number
  /** Where the checkpoints now stand. */
  last: Checkpoint
  ms: number
}

/** What a consumer is: which checkpoints it moves and what it does with a batch. */
export type ConsumerSpec = {
  /** For logs and, in transactional mode, the batch lock. */
  name: string
  /**
   * Its checkpoint names in `projection_checkpoints`. Reading starts at the slowest; the
   * handler gets every checkpoint as it stood (`from`) to skip what a faster one holds.
   * All move together to the end of each batch.
   */
  checkpoints: string[]
  /** Events read per batch (default 1,000). */
  batchSize?: number
  /**
   * True: each batch is read, handled and checkpointed in one Postgres transaction (the
   * handler gets it as `trx`), under a transaction lock that serialises two instances
   * that both believe they lead: exactly once for what the handler writes to Postgres.
   * False: the checkpoint moves after the handler returned (at least once; for
   * idempotent writes elsewhere) and the next batch is read while the handler works.
   */
  transactional?: boolean
  /** Only events of these stream types reach the handler (the others are read without their data and skipped). */
  streamTypes?: readonly string[]
  /** Returns true when nothing readable can concern the handler now: the checkpoints jump to the newest readable event. */
  skipAll?: (db: Db) => Promise<boolean>
  /** Must throw on any failure: the checkpoints then hold and the batch comes again. */
  handle(events: StoredEvent[], ctx: { trx: Db | null; from: ReadonlyMap<string, Checkpoint> }): Promise<void>
  onBatch?: (b: BatchInfo) => void
}

/**
 * Hands every event readable now to the spec's handler, batch after batch, moving the
 * checkpoints after each; returns how many events were read. No leadership here: the
 * caller leads (startEventConsumer) or is alone (tests, rebuilds).
 *
 * @example await consumePending(db, { name: 'x', checkpoints: ['x'], handle: async (events) => { … } })
 */
export async function consumePending(db: Db, spec: ConsumerSpec, opts: { stopped?: () => boolean } = {}): Promise<number> {
  return spec.transactional ? consumeInTransactions(db, spec, opts) : consumePipelined(db, spec, opts)
}

const DEFAULT_BATCH = 1_000

function delivered(spec: ConsumerSpec, events: StoredEvent[]): StoredEvent[] {
  if (!spec.streamTypes) return events
  const types = new Set(spec.streamTypes)
  return events.filter((e) => types.has(e.stream_type))
}

async function consumePipelined(db: Db, spec: ConsumerSpec, opts: { stopped?: () => boolean }): Promise<number> {
  const batchSize = spec.batchSize ?? DEFAULT_BATCH
  const checkpoints = await readCheckpoints(db, spec.checkpoints)
  let from = slowestOf(checkpoints.values())
  if (spec.skipAll && (await spec.skipAll(db))) {
    const end = await newestReadableAfter(db, from)
    if (!end) return 0
    await saveCheckpoints(db, spec.checkpoints, end)
    return 0
  }
  let next: Promise<StoredEvent[]> = readEventsAfter(db, from, batchSize, spec.streamTypes)
  let total = 0
  try {
    for (;;) {
      const started = performance.now()
      const read = await next
      if (read.length === 0) return total
      const lastEvent = read[read.length - 1]
      const last = { tx_id: lastEvent.tx_id, position: lastEvent.position }
      const full = read.length === batchSize
      // The next batch is read from Postgres while the handler works on this one.
      next = full ? readEventsAfter(db, last, batchSize, spec.streamTypes) : Promise.resolve([])
      const events = delivered(spec, read)
      if (events.length) await spec.handle(events, { trx: null, from: checkpoints })
      await saveCheckpoints(db, spec.checkpoints, last)
      for (const n of spec.checkpoints) checkpoints.set(n, last)
      from = last
      total += read.length
      spec.onBatch?.({ events, read: read.length, last, ms: performance.now() - started })
      if (!full || opts.stopped?.()) return total
    }
  } finally {
    // A prefetch left behind by a failure or a stop must not surface as unhandled.
    next.catch(() => {})
  }
}

async function consumeInTransactions(db: Db, spec: ConsumerSpec, opts: { stopped?: () => boolean }): Promise<number> {
  const batchSize = spec.batchSize ?? DEFAULT_BATCH
  let total = 0
  for (;;) {
    const started = performance.now()
    const batch = await db.transaction().execute(async (trx) => {
      // Two instances that both believe they lead (a lock lost mid-batch) take turns here.
      await sql`select pg_advisory_xact_lock(hashtext('alforis.event-consumer'), hashtext(${spec.name}))`.execute(trx)
      const checkpoints = await readCheckpoints(trx, spec.checkpoints)
      const from = slowestOf(checkpoints.values())
      if (spec.skipAll && (await spec.skipAll(trx))) {
        const end = await newestReadableAfter(trx, from)
        if (end) await saveCheckpoints(trx, spec.checkpoints, end)
        return null
      }
      const read = await readEventsAfter(trx, from, batchSize, spec.streamTypes)
      if (read.length === 0) return null
      const lastEvent = read[read.length - 1]
      const last = { tx_id: lastEvent.tx_id, position: lastEvent.position }
      const events = delivered(spec, read)
      if (events.length) await spec.handle(events, { trx, from: checkpoints })
      await saveCheckpoints(trx, spec.checkpoints, last)
      return { events, read: read.length, last }
    })
    if (!batch) return total
    total += batch.read
    spec.onBatch?.({ ...batch, ms: performance.now() - started })
    if (batch.read < batchSize || opts.stopped?.()) return total
  }
}

/** True when no event at or below `position` lies past the slowest of the checkpoints. */
export async function caughtUp(db: Db, names: string[], position: number): Promise<boolean> {
  const slowest = slowestOf((await readCheckpoints(db, names)).values())
  const r = await sql<{ pending: boolean }>`
    select exists (
      select 1 from events
      where (tx_id, position) > (${slowest.tx_id}::xid8, ${slowest.position}::bigint) and position <= ${position}
    ) as pending`.execute(db)
  return !r.rows[0].pending
}

async function maxCommittedPosition(db: Db): Promise<number> {
  const r = await sql<{ p: number }>`select coalesce(max(position), 0)::bigint as p from events`.execute(db)
  return Number(r.rows[0].p)
}

export type LeaderLock = {
  readonly held: boolean
  /** Takes the lock if it is free; never waits. */
  tryAcquire(): Promise<boolean>
  /** True while the session that took the lock is still the same live backend. */
  check(): Promise<boolean>
  release(): Promise<void>
}

/**
 * Leadership as a session-level advisory lock on a connection of its own: Postgres
 * releases it when that connection dies, so a crashed leader hands over on its own.
 * The backend pid is remembered because a reconnected session would no longer hold
 * the lock.
 *
 * The connection is a one-connection client (as postgres.js makes for LISTEN), not a
 * `sql.reserve()`d one: postgres.js 3.4.9 throws an uncatchable TypeError from
 * `nextWrite` on the next query over a reserved connection whose backend died
 * (porsager/postgres#1208), which would take the whole process down exactly when the
 * lock is lost. A client reconnects instead, and the new pid says the lock is gone.
 *
 * @example const lock = leaderLock(sql, 7_215_300_201); if (await lock.tryAcquire()) { … }
 */
export function leaderLock(pg: postgres.Sql, key: number): LeaderLock {
  let conn: postgres.Sql | null = null
  let pid: number | null = null
  // Same server, user and types as the pool; parsed options are taken as they are.
  const connect = () => (conn ??= postgres({ ...pg.options, max: 1, idle_timeout: null, max_lifetime: null, fetch_types: false } as never))

  return {
    get held() {
      return pid !== null
    },
    async tryAcquire() {
      if (pid !== null) return true
      try {
        const [row] = await connect()<{ ok: boolean; pid: number }[]>`select pg_try_advisory_lock(${key}::bigint) as ok, pg_backend_pid() as pid`
        if (row.ok) pid = row.pid
        return row.ok
      } catch {
        return false
      }
    },
    async check() {
      if (pid === null || !conn) return false
      try {
        const [row] = await conn<{ pid: number }[]>`select pg_backend_pid() as pid`
        if (row.pid === pid) return true
      } catch {
        /* the connection died with its lock */
      }
      pid = null
      return false
    },
    async release() {
      const c = conn
      conn = null
      if (c && pid !== null) {
        try {
          await c`select pg_advisory_unlock(${key}::bigint)`
        } catch {
          /* released with the session anyway */
        }
      }
      pid = null
      await c?.end({ timeout: 1 }).catch(() => {})
    },
  }
}

export type EventConsumerOptions = ConsumerSpec & {
  db: Db
  sql: postgres.Sql
  /** The advisory lock key only the leading instance holds (one per consumer). */
  lockKey: number
  log: (m: string) => void
  /** Fallback when a NOTIFY is missed (or LISTEN is unavailable); default 1 s. */
  pollMs?: number
  /** How often a follower tries to take over; default 5 s. */
  leaderRetryMs?: number
  /** Wait after the n-th failure in a row: min(maxMs, baseMs · 2^n); default 250 ms and 30 s. */
  backoff?: { baseMs?: number; maxMs?: number }
  /** Called on each failed drain (default: logged with the stack). */
  onError?: (e: unknown, failures: number) => void
  /** This instance (re)took the lead: drop anything another leader may have made stale. */
  onLead?: () => void
  /** Leadership (default: leaderLock(sql, lockKey)); tests wrap it to count attempts. */
  lock?: LeaderLock
}

export type EventConsumer = {
  readonly name: string
  isLeader(): boolean
  /** Drains everything readable now (batch after batch); returns the number of events read. Throws if another instance leads. */
  runOnce(): Promise<number>
  /** Resolves once every event committed before the call is past the checkpoints (whichever instance leads). */
  waitForCatchUp(timeoutMs?: number): Promise<void>
  /** Ends the loop (an ongoing batch finishes first), stops listening, releases the lock. */
  stop(): Promise<void>
}

/**
 * Starts a consumer: it drains while it holds its leader lock, wakes on NOTIFY, polls
 * as a fallback and backs off after failures, so any number of processes may start it.
 *
 * @example const c = await startEventConsumer({ name: 'webhooks', db, sql, log, lockKey: 7_215_300_230, checkpoints: ['webhooks'], handle: async (events) => { … } })
 */
export async function startEventConsumer(o: EventConsumerOptions): Promise<EventConsumer> {
  const pollMs = o.pollMs ?? 1_000
  const leaderRetryMs = o.leaderRetryMs ?? 5_000
  const baseMs = o.backoff?.baseMs ?? 250
  const maxMs = o.backoff?.maxMs ?? 30_000
  const lock = o.lock ?? leaderLock(o.sql, o.lockKey)
  const onError = o.onError ?? ((e: unknown, n: number) => o.log(`${o.name} : échec, nouvel essai (${n}) : ${(e as Error)?.stack ?? e}`))

  let stopped = false
  let woken = false
  let backingOff = false
  let interrupt: (() => void) | null = null
  const batchWaiters = new Set<() => void>()

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        interrupt = null
        resolve()
      }
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

  const spec: ConsumerSpec = {
    ...o,
    onBatch: (b) => {
      o.onBatch?.(b)
      for (const w of batchWaiters) w()
    },
  }
  const drain = () => consumePending(o.db, spec, { stopped: () => stopped })

  async function lead(): Promise<boolean> {
    if (lock.held) {
      if (await lock.check()) return true
      // Step back for one retry interval: a follower that saw the lock go takes over,
      // instead of the instance whose connection just failed winning it straight back.
      o.log(`${o.name} : verrou de leader perdu (connexion coupée)`)
      return false
    }
    if (await lock.tryAcquire()) {
      o.onLead?.()
      o.log(`${o.name} : leader`)
      return true
    }
    return false
  }

  let listener: postgres.ListenMeta | null = null
  try {
    listener = await o.sql.listen(EVENTS_CHANNEL, wake)
  } catch (e) {
    o.log(`${o.name} : LISTEN ${EVENTS_CHANNEL} indisponible, interrogation toutes les ${pollMs} ms (${(e as Error).message})`)
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
        onError(e, failures)
      }
      if (stopped) break
      if (failures) {
        backingOff = true
        await sleep(Math.min(maxMs, baseMs * 2 ** failures))
        backingOff = false
      } else if (leading && woken) continue
      else await sleep(leading ? pollMs : leaderRetryMs)
    }
  })()

  return {
    name: o.name,
    isLeader: () => lock.held,
    runOnce: () =>
      exclusive(async () => {
        if (!(await lead())) throw new Error(`${o.name} : une autre instance est leader`)
        return drain()
      }),
    async waitForCatchUp(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      const target = await maxCommittedPosition(o.db)
      for (;;) {
        if (await caughtUp(o.db, o.checkpoints, target)) return
        if (Date.now() > deadline) throw new Error(`${o.name} : pas à jour après ${timeoutMs} ms`)
        wake()
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer)
            batchWaiters.delete(done)
            resolve()
          }
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
