import { randomBytes, randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import {
  consumePending,
  type EventConsumer,
  type EventConsumerOptions,
  type LeaderLock,
  leaderLock,
  readCheckpoints,
  startEventConsumer,
  type StoredEvent,
} from './event-consumer.js'
import { createDb, type Db } from './kysely.js'

// The shared consumer against the real embedded Postgres (a clone of the migrated
// template; db/ sits below testing/, so the few lines of createTestDatabase are here).
// No fixed sleeps: every wait is on a condition, with a deadline.

let url: string
let admin: postgres.Sql
const pools: Array<{ db: Db; sql: postgres.Sql }> = []

beforeAll(async () => {
  const adminUrl = inject('pgAdminUrl')
  const name = `t_${randomBytes(6).toString('hex')}`
  admin = postgres(adminUrl, { max: 2, onnotice: () => {} })
  await admin.unsafe(`create database ${name} template alforis_template`)
  url = adminUrl.replace(/\/postgres$/, `/${name}`)
})
afterAll(async () => {
  for (const p of pools) await p.db.destroy().catch(() => {})
  await admin?.end()
})

/** A pool of its own, as another process would have. */
function pool() {
  const p = createDb(url, { max: 4 })
  pools.push(p)
  return p
}

let nextKey = 7_215_399_000
const WS = randomUUID()

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`pas atteint en ${timeoutMs} ms : ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Appends one event per stream type given, in one transaction each. */
async function append(db: Db, n: number, streamType = 'thing'): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const id = randomUUID()
    ids.push(id)
    await db
      .insertInto('events')
      .values({
        workspace_id: WS,
        stream_type: streamType,
        stream_id: id,
        stream_version: 1,
        type: 'ThingHappened',
        data: JSON.stringify({ i }),
        meta: JSON.stringify({ actorId: null }),
      } as never)
      .execute()
  }
  return ids
}

/** A consumer that records what its handler got; `fail` makes the handler throw while it returns true. */
async function consumer(name: string, lockKey: number, o: Partial<EventConsumerOptions> & { fail?: () => boolean } = {}) {
  const { db, sql: pg } = pool()
  await startAtTheEnd(db, name)
  const seen: StoredEvent[] = []
  const calls: number[] = []
  const logs: string[] = []
  const c = await startEventConsumer({
    name,
    db,
    sql: pg,
    lockKey,
    checkpoints: [name],
    log: (m) => logs.push(m),
    pollMs: 100,
    leaderRetryMs: 100,
    async handle(events) {
      calls.push(Date.now())
      if (o.fail?.()) throw new Error('gestionnaire en panne (simulé)')
      seen.push(...events)
    },
    ...o,
  })
  return { c, seen, calls, logs, db, sql: pg }
}

/** Moves a new consumer's checkpoint past the events the other tests appended. */
const startAtTheEnd = (db: Db, name: string) => consumePending(db, { name, checkpoints: [name], handle: async () => {} })

const ids = (events: StoredEvent[]) => events.map((e) => e.stream_id)

/** Ends the backend that holds the advisory lock `key`, as a crash of its process would. */
async function killLockHolder(key: number) {
  const rows = await admin.unsafe(`
    select pg_terminate_backend(pid) as ok from pg_locks
    where locktype = 'advisory' and objsubid = 1 and ((classid::bigint << 32) | objid::bigint) = ${key}
      and database = (select oid from pg_database where datname = '${url.split('/').pop()}')`)
  expect(rows.map((r) => r.ok)).toEqual([true])
}

describe('the event consumer', () => {
  it('hands over when the leader dies (its connection ends) and the new leader goes on from the checkpoint', async () => {
    const name = `handover-${nextKey}`
    const key = nextKey++
    const a = await consumer(name, key)
    const b = await consumer(name, key)
    const stops: EventConsumer[] = [a.c, b.c]
    try {
      expect([a.c.isLeader(), b.c.isLeader()]).toEqual([true, false])
      const first = await append(a.db, 3)
      await a.c.waitForCatchUp(20_000)
      expect(ids(a.seen)).toEqual(first)
      await killLockHolder(key)
      await until('le suiveur prend la main', () => b.c.isLeader())
      const second = await append(b.db, 3)
      await b.c.waitForCatchUp(20_000)
      expect(ids(b.seen)).toEqual(second) // from the checkpoint: nothing of the first leader's again
      expect(ids(a.seen)).toEqual(first)
      // The old leader finds its lock gone at its next drain and follows.
      await until('l’ancien leader le constate', () => a.logs.some((m) => m.includes('verrou de leader perdu')))
      expect(a.c.isLeader()).toBe(false)
    } finally {
      for (const c of stops) await c.stop()
    }
  })

  it('does not run a follower’s handler, and a follower does not answer every NOTIFY', async () => {
    const name = `follower-${nextKey}`
    const key = nextKey++
    const leader = await consumer(name, key)
    // Count the follower's attempts to take the lead.
    const { db, sql: pg } = pool()
    const real = leaderLock(pg, key)
    let attempts = 0
    const lock: LeaderLock = {
      get held() {
        return real.held
      },
      tryAcquire: () => {
        attempts++
        return real.tryAcquire()
      },
      check: () => real.check(),
      release: () => real.release(),
    }
    const followerSeen: StoredEvent[] = []
    const follower = await startEventConsumer({
      name,
      db,
      sql: pg,
      lockKey: key,
      lock,
      checkpoints: [name],
      log: () => {},
      pollMs: 100,
      leaderRetryMs: 1_000,
      async handle(events) {
        followerSeen.push(...events)
      },
    })
    try {
      expect(follower.isLeader()).toBe(false)
      await expect(follower.runOnce()).rejects.toThrow(/autre instance/)
      const before = attempts
      const started = Date.now()
      const appended = await append(db, 40) // 40 transactions, 40 NOTIFYs
      await until('le leader a tout reçu', () => leader.seen.length >= 40)
      const elapsed = Date.now() - started
      expect(ids(leader.seen)).toEqual(appended)
      expect(followerSeen).toEqual([])
      // Its own schedule (one attempt a second), not one attempt per NOTIFY.
      expect(attempts - before).toBeLessThanOrEqual(Math.ceil(elapsed / 1_000) + 2)
    } finally {
      await follower.stop()
      await leader.c.stop()
    }
  })

  it('backs off after a handler failure, ignores NOTIFYs meanwhile, then recovers without losing an event', async () => {
    const name = `backoff-${nextKey}`
    const key = nextKey++
    let failing = 2
    const c = await consumer(name, key, { fail: () => failing-- > 0, backoff: { baseMs: 200, maxMs: 5_000 } })
    try {
      const appended = await append(c.db, 5)
      await until('deux échecs', () => c.calls.length >= 2)
      // Events keep coming (and NOTIFYs with them) during the backoff.
      appended.push(...(await append(c.db, 5)))
      await c.c.waitForCatchUp(20_000)
      // Waits of 400 ms then 800 ms (200 · 2^n) between the attempts, whatever the NOTIFYs.
      expect(c.calls[1] - c.calls[0]).toBeGreaterThanOrEqual(390)
      expect(c.calls[2] - c.calls[1]).toBeGreaterThanOrEqual(790)
      expect(c.logs.filter((m) => m.includes('gestionnaire en panne (simulé)'))).toHaveLength(2)
      // Nothing moved while failing; everything delivered once it works, in order.
      expect(ids(c.seen)).toEqual(appended)
      expect(new Set(c.seen.map((e) => e.position)).size).toBe(c.seen.length)
    } finally {
      await c.c.stop()
    }
  })

  it('skips no event when a transaction with a lower position commits after a higher one', async () => {
    const { db } = pool()
    const name = `late-${nextKey++}`
    const seen: StoredEvent[] = []
    const spec = {
      name,
      checkpoints: [name],
      handle: async (events: StoredEvent[]) => {
        seen.push(...events)
      },
    }
    await startAtTheEnd(db, name)
    // A takes its position (and xid) first and stays open; B appends after it and commits.
    const [early, late] = [randomUUID(), randomUUID()]
    const row = (id: string) =>
      ({ workspace_id: WS, stream_type: 'thing', stream_id: id, stream_version: 1, type: 'ThingHappened', data: '{}', meta: '{}' }) as never
    let commitA!: () => void
    let committedA!: Promise<unknown>
    const earlyPosition = await new Promise<number>((inserted) => {
      committedA = db.transaction().execute(async (trx) => {
        const r = await trx.insertInto('events').values(row(early)).returning('position').executeTakeFirstOrThrow()
        inserted(Number(r.position))
        await new Promise<void>((r) => {
          commitA = r
        })
      })
    })
    const latePosition = Number((await db.insertInto('events').values(row(late)).returning('position').executeTakeFirstOrThrow()).position)
    expect(earlyPosition).toBeLessThan(latePosition)

    await consumePending(db, spec)
    expect(seen).toEqual([]) // B is committed but not readable yet: A's xid is the snapshot xmin
    commitA()
    await committedA
    await consumePending(db, spec)
    expect(ids(seen)).toEqual([early, late])
    const [cp] = (await readCheckpoints(db, [name])).values()
    expect(cp.position).toBe(latePosition)
  })

  it('in transactional mode, moves the checkpoint with the handler’s writes or not at all; other stream types arrive without data', async () => {
    const { db } = pool()
    const name = `tx-${nextKey++}`
    let fail = true
    const seen: StoredEvent[] = []
    const spec = {
      name,
      checkpoints: [name],
      transactional: true,
      streamTypes: ['wanted'],
      async handle(events: StoredEvent[], { trx }: { trx: Db | null }) {
        await sql`insert into projection_checkpoints (name, tx_id, position) values (${`${name}-side`}, '1'::xid8, ${events.length})`.execute(trx!)
        if (fail) throw new Error('échec (simulé)')
        seen.push(...events)
      },
    }
    await startAtTheEnd(db, name)
    const wanted = await append(db, 2, 'wanted')
    await append(db, 2, 'other')
    await expect(consumePending(db, spec)).rejects.toThrow(/simulé/)
    expect((await readCheckpoints(db, [`${name}-side`])).get(`${name}-side`)!.position).toBe(0) // rolled back
    fail = false
    expect(await consumePending(db, spec)).toBe(4) // read past all four
    expect(ids(seen)).toEqual(wanted)
    expect(seen.every((e) => e.data !== null)).toBe(true)
    expect(await consumePending(db, spec)).toBe(0)
  })
})
