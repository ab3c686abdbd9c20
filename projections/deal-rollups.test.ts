import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../testing/fixtures.js'
import { TEST_NOW } from '../testing/clock.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { deleteDealCommand } from '../domain/crm/crm.commands.js'
import { DEFAULT_STAGES } from '../domain/crm/pipeline.js'
import { chQuery, type ClickHouse } from './clickhouse.js'
import { parisDay } from '../domain/shared/paris-time.js'
import { startProjector } from './projector.js'
import { funnel, kpis, revenueTrend } from './queries/dashboard.js'
import type { DashboardFilter } from './queries/dashboard.types.js'
import { advanceDeals, givenDeals } from './testing/crm-data.js'
import { postgresFunnel, postgresKpis, postgresRevenueTrend } from './testing/dashboard-reference.js'
import { faultyClickHouse } from './testing/faulty-clickhouse.js'
import { dealCreatedRows } from './deal-created.projection.js'
import { dealFactFromClickHouse, type DealFactRow, foldDealFacts } from './deal-facts.projection.js'
import { dealRollups } from './deal-rollups.js'
import type { Projection } from './projection.js'
import { streamFoldProjection } from './stream-fold.js'

// At-least-once into the rollups: a batch written twice, or half written then replayed,
// or every event replayed from the origin, must leave the same sums.

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

async function project(o: { ch?: ClickHouse; batchSize?: number; failed?: Promise<void>; projections?: Projection[] } = {}) {
  const p = await startProjector({ db: rt.db, sql: rt.sql, ch: o.ch ?? rt.ch, log: () => {}, pollMs: 100, batchSize: o.batchSize, projections: o.projections })
  try {
    await o.failed
    await p.waitForCatchUp(60_000)
  } finally {
    await p.stop()
  }
}

// The day of the tests' clock, the one the fixtures' commands carry (testing/clock.ts).
const today = parisDay(TEST_NOW)
const filter = (workspaceId: string): DashboardFilter => ({ workspaceId, from: today, to: today, ownerIds: null, teamId: null })

async function figures(f: DashboardFilter) {
  return { kpis: await kpis(rt.ch, f), funnel: await funnel(rt.ch, f, DEFAULT_STAGES), trend: await revenueTrend(rt.ch, f) }
}
async function expected(f: DashboardFilter) {
  return { kpis: await postgresKpis(rt.db, f), funnel: await postgresFunnel(rt.db, f), trend: await postgresRevenueTrend(rt.db, f) }
}

describe('the deal rollups', () => {
  // The deal-analytics projection writes deal_timeline and deal_created, the three rollups, then deal_facts.
  it.each([
    ['after-insert', 'deals_monthly', 'between two rollups'],
    ['before-insert', 'deal_facts', 'after the rollups, before the current state'],
    ['after-insert', 'deal_facts', 'after the current state, before the checkpoint'],
  ] as const)('stay exact when the projector dies mid-batch and replays it (%s %s: %s)', async (mode, table, _where) => {
    const w = await givenWorkspace(rt.db)
    const { dealIds } = await givenDeals(rt.db, w.ctx, 12, w.users.commercial)
    await project()
    await advanceDeals(rt.db, w.ctx, dealIds)
    const faulty = faultyClickHouse(rt.ch, mode, { times: 4, table })
    await project({ ch: faulty.client, batchSize: 7, failed: faulty.failed })
    const f = filter(w.workspaceId)
    const got = await figures(f)
    expect(got).toEqual(await expected(f))
    expect(got.kpis.current.won_count).toBeGreaterThan(0)
  })

  it('do not double when every event is replayed from the origin', async () => {
    const w = await givenWorkspace(rt.db)
    await givenDeals(rt.db, w.ctx, 9, w.users.manager)
    await project()
    const f = filter(w.workspaceId)
    const before = await figures(f)
    const cells = await chQuery(rt.ch, 'SELECT * FROM deals_daily FINAL WHERE workspace_id = {ws:UUID} ORDER BY ALL', { ws: w.workspaceId })
    await rt.db.deleteFrom('projection_checkpoints').execute()
    await project({ batchSize: 5 })
    expect(await figures(f)).toEqual(before)
    expect(before).toEqual(await expected(f))
    expect(await chQuery(rt.ch, 'SELECT * FROM deals_daily FINAL WHERE workspace_id = {ws:UUID} ORDER BY ALL', { ws: w.workspaceId })).toEqual(cells)
  })

  it('stay exact when a workspace has more cells than the projector keeps in memory', async () => {
    const w = await givenWorkspace(rt.db)
    const { dealIds } = await givenDeals(rt.db, w.ctx, 10, w.users.commercial)
    // The same projection, remembering 3 cells per rollup: cells are read one by one.
    const forgetful = streamFoldProjection<DealFactRow>({
      name: 'deal-analytics',
      streamType: 'deal',
      stateTable: 'deal_facts',
      idColumn: 'deal_id',
      fold: foldDealFacts,
      fromClickHouse: dealFactFromClickHouse,
      facts: [{ table: 'deal_created', rows: dealCreatedRows }],
      rollups: dealRollups.map((r) => ({ ...r, memory: 3 })),
    })
    await project({ projections: [forgetful], batchSize: 9 })
    await advanceDeals(rt.db, w.ctx, dealIds)
    await project({ projections: [forgetful], batchSize: 4 })
    const f = filter(w.workspaceId)
    expect(await figures(f)).toEqual(await expected(f))
    await project()
  })

  it('drop a cell back at zero from FINAL but keep its checkpoint for replays', async () => {
    const w = await givenWorkspace(rt.db)
    const { dealIds } = await givenDeals(rt.db, w.ctx, 1, w.users.commercial)
    await project()
    await deleteDealCommand(rt.db, w.ctx(), { id: dealIds[0] })
    await project()
    const live = await chQuery(rt.ch, 'SELECT * FROM deals_daily FINAL WHERE workspace_id = {ws:UUID}', { ws: w.workspaceId })
    const all = await chQuery<{ is_deleted: number }>(rt.ch, 'SELECT is_deleted FROM deals_daily WHERE workspace_id = {ws:UUID}', { ws: w.workspaceId })
    expect(live).toEqual([])
    expect(all.some((r) => Number(r.is_deleted) === 1)).toBe(true)
  })
})
