import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import type { Db } from '../db/kysely.js'
import { appendEvents } from '../domain/shared/run-command.js'
import { readCheckpoints } from './checkpoints.js'
import { chQuery, type ClickHouse } from './clickhouse.js'
import { projectionLag } from './lag.js'
import { startProjector, type Projector } from './projector.js'
import type { ProjectedEvent } from './projected-event.js'
import { dealTotals } from './queries/deal-totals.js'
import { projectionNames } from './registry.js'
import { advanceDeals, dealFields, givenDeals, postgresDealTotals } from './testing/crm-data.js'
import { faultyClickHouse } from './testing/faulty-clickhouse.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

const start = (o: { ch?: ClickHouse; pollMs?: number; batchSize?: number; log?: (m: string) => void; onBatch?: (events: ProjectedEvent[]) => void } = {}) =>
  startProjector({
    db: rt.db,
    sql: rt.sql,
    ch: o.ch ?? rt.ch,
    log: o.log ?? (() => {}),
    pollMs: o.pollMs ?? 200,
    batchSize: o.batchSize,
    onBatch: o.onBatch && ((b) => o.onBatch!(b.events)),
  })

async function withProjector<T>(fn: (p: Projector) => Promise<T>, o: Parameters<typeof start>[0] = {}): Promise<T> {
  const p = await start(o)
  try {
    return await fn(p)
  } finally {
    await p.stop()
  }
}

/** A transaction kept open between steps: `run` executes inside it, `commit` ends it. */
function heldTransaction(db: Db) {
  type Step = { fn: (trx: Db) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void } | 'commit'
  const queue: Step[] = []
  let wakeUp: (() => void) | null = null
  const next = async (): Promise<Step> => {
    while (queue.length === 0)
      await new Promise<void>((r) => {
        wakeUp = r
      })
    return queue.shift()!
  }
  const push = (s: Step) => {
    queue.push(s)
    wakeUp?.()
    wakeUp = null
  }
  const done = db.transaction().execute(async (trx) => {
    for (;;) {
      const step = await next()
      if (step === 'commit') return
      try {
        step.resolve(await step.fn(trx))
      } catch (e) {
        step.reject(e)
        throw e
      }
    }
  })
  return {
    run: <T>(fn: (trx: Db) => Promise<T>) => new Promise<T>((resolve, reject) => push({ fn, resolve: resolve as (v: unknown) => void, reject })),
    commit: () => {
      push('commit')
      return done
    },
  }
}

const dealCreated = (workspaceId: string, id: string, organisationId: string, amount: number) => ({
  type: 'DealCreated',
  data: { id, workspace_id: workspaceId, at: new Date().toISOString(), stage: 'PROSPECT', probability: 10, ...dealFields(organisationId, amount) },
})

async function stageHistoryCount(workspaceId: string) {
  const [r] = await chQuery<{ n: number }>(rt.ch, 'SELECT toInt64(count()) AS n FROM deal_stage_history FINAL WHERE workspace_id = {ws:UUID}', {
    ws: workspaceId,
  })
  return Number(r.n)
}

async function stageEventCount(workspaceId: string) {
  const r = await rt.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('type', 'in', ['DealCreated', 'DealStageChanged'])
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

describe('the projector', () => {
  it('delivers each event exactly once when transactions commit out of position order', async () => {
    const w = await givenWorkspace(rt.db)
    const { organisationId } = await givenDeals(rt.db, w.ctx, 1)
    const delivered: number[] = []
    await withProjector(
      async (p) => {
        await p.waitForCatchUp()
        const idA = randomUUID()
        const idB = randomUUID()
        const a = heldTransaction(rt.db)
        await a.run((trx) => appendEvents(trx, w.ctx(), 'deal', idA, 0, [dealCreated(w.workspaceId, idA, organisationId, 111)]))
        const b = heldTransaction(rt.db)
        await b.run((trx) => appendEvents(trx, w.ctx(), 'deal', idB, 0, [dealCreated(w.workspaceId, idB, organisationId, 222)]))
        await b.commit()
        // B is committed with the higher position; A is still open.
        await p.runOnce()
        expect(await chQuery(rt.ch, 'SELECT deal_id FROM deals_current WHERE deal_id IN {ids:Array(UUID)}', { ids: [idA, idB] })).toEqual([])
        await a.commit()
        await p.waitForCatchUp()

        const all = await rt.db.selectFrom('events').select(['stream_id', 'position']).where('stream_id', 'in', [idA, idB]).orderBy('position').execute()
        expect(all.map((e) => e.stream_id)).toEqual([idA, idB])
        for (const e of all) expect(delivered.filter((d) => d === e.position)).toHaveLength(1)
        const rows = await chQuery<{ deal_id: string; amount_cents: number }>(
          rt.ch,
          'SELECT deal_id, amount_cents FROM deals_current FINAL WHERE workspace_id = {ws:UUID} AND deal_id IN {ids:Array(UUID)} ORDER BY amount_cents',
          { ws: w.workspaceId, ids: [idA, idB] },
        )
        expect(rows.map((r) => [r.deal_id, Number(r.amount_cents)])).toEqual([
          [idA, 111],
          [idB, 222],
        ])
      },
      { onBatch: (events) => delivered.push(...events.map((e) => e.position)) },
    )
    // Nothing is ever delivered twice over the whole run either.
    expect(new Set(delivered).size).toBe(delivered.length)
  })

  it('folds a deal in stream order even when its later version has the older transaction id', async () => {
    const w = await givenWorkspace(rt.db)
    const {
      dealIds: [dealId],
    } = await givenDeals(rt.db, w.ctx, 1)
    await withProjector(
      async (p) => {
        await p.waitForCatchUp()
        const { v } = await rt.db.selectFrom('deals').select('version as v').where('id', '=', dealId).executeTakeFirstOrThrow()
        // `early` takes its xid first, but writes the deal's version v + 2 after `later` wrote v + 1.
        const early = heldTransaction(rt.db)
        const earlyTx = await early.run(async (trx) => (await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(trx)).rows[0].x)
        const later = heldTransaction(rt.db)
        await later.run((trx) =>
          appendEvents(trx, w.ctx(), 'deal', dealId, v, [
            { type: 'DealUpdated', data: { id: dealId, at: new Date().toISOString(), changes: { amount_cents: 77_700, title: 'Renégociée' } } },
          ]),
        )
        await later.commit()
        await early.run((trx) =>
          appendEvents(trx, w.ctx(), 'deal', dealId, v + 1, [
            {
              type: 'DealStageChanged',
              data: {
                id: dealId,
                at: new Date().toISOString(),
                from: 'QUALIFICATION',
                to: 'PROPOSITION',
                probability: 50,
                amount_cents: 77_700,
                lost_reason: null,
                closed: false,
              },
            },
          ]),
        )
        await early.commit()
        const events = await rt.db
          .selectFrom('events')
          .select(['stream_version', sql<string>`tx_id::text`.as('tx')])
          .where('stream_id', '=', dealId)
          .where('stream_version', '>', v)
          .orderBy('stream_version')
          .execute()
        expect(BigInt(events[1].tx)).toBe(BigInt(earlyTx))
        expect(BigInt(events[1].tx)).toBeLessThan(BigInt(events[0].tx))

        await p.waitForCatchUp()
        const [row] = await chQuery<{ title: string; amount_cents: number; stage: string; version: number }>(
          rt.ch,
          'SELECT title, amount_cents, stage, version FROM deals_current FINAL WHERE workspace_id = {ws:UUID} AND deal_id = {id:UUID}',
          { ws: w.workspaceId, id: dealId },
        )
        expect({ ...row, amount_cents: Number(row.amount_cents), version: Number(row.version) }).toEqual({
          title: 'Renégociée',
          amount_cents: 77_700,
          stage: 'PROPOSITION',
          version: v + 2,
        })
      },
      { batchSize: 1 },
    ) // one event per batch: v + 2 arrives alone, v + 1 must be fetched
  })

  for (const mode of ['after-insert', 'second-insert'] as const) {
    it(`ends equal to Postgres after dying mid-batch and restarting (${mode})`, async () => {
      const w = await givenWorkspace(rt.db)
      const { dealIds } = await givenDeals(rt.db, w.ctx, 12)
      await withProjector((p) => p.waitForCatchUp())
      const before = await readCheckpoints(rt.db, projectionNames)
      // New deals (folded from nothing) and deals already in ClickHouse (folded from their row).
      await givenDeals(rt.db, w.ctx, 6)
      await advanceDeals(rt.db, w.ctx, dealIds)
      const faulty = faultyClickHouse(rt.ch, mode)
      await withProjector(() => faulty.failed, { ch: faulty.client, pollMs: 20 })
      // The failed batch moved no checkpoint.
      expect(await readCheckpoints(rt.db, projectionNames)).toEqual(before)

      await withProjector((p) => p.waitForCatchUp())
      expect(await dealTotals(rt.ch, w.workspaceId)).toEqual(await postgresDealTotals(rt.db, w.workspaceId))
      expect(await stageHistoryCount(w.workspaceId)).toBe(await stageEventCount(w.workspaceId))
    })
  }

  it('retries a failing ClickHouse write, says so in the log, and catches up once it works', async () => {
    const w = await givenWorkspace(rt.db)
    await givenDeals(rt.db, w.ctx, 5)
    const faulty = faultyClickHouse(rt.ch, 'second-insert', { times: 2 })
    const logged: string[] = []
    await withProjector(
      async (p) => {
        await faulty.failed
        await p.waitForCatchUp()
      },
      { ch: faulty.client, log: (m) => logged.push(m) },
    )
    expect(logged.filter((m) => m.includes('ClickHouse indisponible (simulé)'))).toHaveLength(2)
    expect(await dealTotals(rt.ch, w.workspaceId)).toEqual(await postgresDealTotals(rt.db, w.workspaceId))
    expect(await stageHistoryCount(w.workspaceId)).toBe(await stageEventCount(w.workspaceId))
  })

  it('does not double totals when events are replayed from the origin', async () => {
    const w = await givenWorkspace(rt.db)
    await givenDeals(rt.db, w.ctx, 9)
    await withProjector((p) => p.waitForCatchUp())
    const totals = await dealTotals(rt.ch, w.workspaceId)
    const history = await stageHistoryCount(w.workspaceId)
    await rt.db.deleteFrom('projection_checkpoints').execute()
    await withProjector((p) => p.waitForCatchUp())
    expect(await dealTotals(rt.ch, w.workspaceId)).toEqual(totals)
    expect(totals).toEqual(await postgresDealTotals(rt.db, w.workspaceId))
    expect(await stageHistoryCount(w.workspaceId)).toBe(history)
  })

  it('leads from one instance only and hands over when the leader stops', async () => {
    const first = await start()
    const second = await start()
    try {
      expect([first.isLeader(), second.isLeader()]).toEqual([true, false])
      await expect(second.runOnce()).rejects.toThrow(/autre instance/)
      await first.stop()
      await second.runOnce()
      expect(second.isLeader()).toBe(true)
    } finally {
      await first.stop()
      await second.stop()
    }
  })

  it('reports its lag from Postgres alone', async () => {
    await withProjector((p) => p.waitForCatchUp())
    expect(await projectionLag(rt.db)).toEqual({ events: 0, seconds: 0 })
    const w = await givenWorkspace(rt.db)
    await givenDeals(rt.db, w.ctx, 2)
    const lag = await projectionLag(rt.db)
    expect(lag.events).toBeGreaterThanOrEqual(3)
    await withProjector((p) => p.waitForCatchUp())
    expect(await projectionLag(rt.db)).toEqual({ events: 0, seconds: 0 })
  })
})
