import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenOrganisation } from '../../testing/crm-records.js'
import { TEST_NOW } from '../../testing/clock.js'
import { contractFields } from '../../testing/contract-records.js'
import { closeTermCommand, createContractCommand } from '../../domain/contracts/contract.commands.js'
import { givenSecondTeam, givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { seedContract, type ContractWorld } from '../../seed/demo-contracts.js'
import { bridgeGap } from '../../domain/contracts/mrr.js'
import { replayRevenueFigures } from '../../domain/contracts/mrr-replay.js'
import { revenueSummary, type RevenueFilter } from '../../domain/contracts/recurring-revenue.js'
import { addDays, addMonths, parisDateTime, parisDay } from '../../domain/shared/paris-time.js'
import { chQuery } from '../clickhouse.js'
import { startProjector, type Projector } from '../projector.js'
import { rebuildProjections } from '../rebuild.js'
import { contractMrrProjection } from '../registry.js'
import { revenueFiguresFromClickHouse } from './recurring-revenue.js'

// The proof: the recurring-revenue figures read from the ClickHouse read model
// (contract_mrr) equal a Postgres replay of the contract events (domain/contracts/
// mrr-replay.ts), cents exact, month by month — MRR bridge, customers, renewals, and the
// summary (ARR, churn, NRR, CLV) computed from them — for several filters, on a
// portfolio of 36 months written by the contract commands (upgrades, downgrades,
// terminations, renewals, returning customers), projected in small batches; after a
// rebuild too.

let rt: Awaited<ReturnType<typeof startTestRuntime>>
let projector: Projector
let w: Awaited<ReturnType<typeof givenWorkspace>>
let south: Awaited<ReturnType<typeof givenSecondTeam>>
const thisMonth = `${parisDay(TEST_NOW).slice(0, 7)}-01`

const startProjecting = () =>
  startProjector({ db: rt.db, sql: rt.sql, ch: rt.ch, log: () => {}, pollMs: 200, batchSize: 25, projections: [contractMrrProjection] })

beforeAll(async () => {
  rt = await startTestRuntime()
  w = await givenWorkspace(rt.db)
  south = await givenSecondTeam(rt.db, w.workspaceId)
  const organisationIds: string[] = []
  // Few customers for many contracts: several per customer, churn and comebacks.
  for (let i = 0; i < 40; i++) organisationIds.push(await givenOrganisation(rt.db, w.ctx()))
  const world: ContractWorld = {
    seed: 11,
    workspaceId: w.workspaceId,
    asOf: TEST_NOW.getTime(),
    organisationIds,
    ownerIds: [w.users.commercial, w.users.manager, south.users.commercial],
    actorId: w.users.admin,
  }
  for (let i = 0; i < 70; i++) await seedContract(rt.db, world, i)
  // A customer that leaves and comes back: its return is a reactivation, not new business.
  const back = await givenOrganisation(rt.db, w.ctx())
  const at = (month: string) => ({ ...w.ctx(), now: parisDateTime(month, '09:00')! })
  const first = randomUUID()
  const left = addMonths(thisMonth, -20)
  await createContractCommand(rt.db, at(left), {
    id: first,
    fields: contractFields(back, { owner_id: w.users.commercial, start_date: left, end_date: addDays(addMonths(left, 6), -1) }),
    activate: true,
  })
  await closeTermCommand(rt.db, at(addMonths(left, 6)), { id: first, periodIndex: 0 })
  const returned = addMonths(thisMonth, -9)
  await createContractCommand(rt.db, at(returned), {
    id: randomUUID(),
    fields: contractFields(back, { owner_id: w.users.commercial, start_date: returned, end_date: addDays(addMonths(returned, 12), -1) }),
    activate: true,
  })
  projector = await startProjecting()
  await projector.waitForCatchUp(60_000)
}, 120_000)
afterAll(async () => {
  await projector?.stop()
  await rt?.stop()
})

const FILTERS = ['the whole workspace over 36 months', 'one rep', 'one team', 'one type', 'a past half-year']

function filters(): [string, RevenueFilter][] {
  const base: RevenueFilter = { workspaceId: w.workspaceId, from: addMonths(thisMonth, -35), to: thisMonth, ownerIds: null, type: null }
  const all: RevenueFilter[] = [
    base,
    { ...base, ownerIds: [w.users.commercial] },
    { ...base, ownerIds: [w.users.commercial, w.users.manager] },
    { ...base, type: 'abonnement' },
    { ...base, from: addMonths(thisMonth, -12), to: addMonths(thisMonth, -7) },
  ]
  return all.map((f, i) => [FILTERS[i], f])
}

async function both(f: RevenueFilter) {
  const clickhouse = await revenueFiguresFromClickHouse(rt.ch, f)
  const postgres = await replayRevenueFigures(rt.db, f)
  return { clickhouse, postgres }
}

describe('the recurring-revenue figures', () => {
  it.each(FILTERS)('equal the Postgres replay of the contract events for %s', async (name) => {
    const f = filters().find(([n]) => n === name)![1]
    const { clickhouse, postgres } = await both(f)
    expect(clickhouse).toEqual(postgres)
    expect(revenueSummary(clickhouse)).toEqual(revenueSummary(postgres))
    for (const m of clickhouse.months) expect(bridgeGap(m), `bridge of ${m.month}`).toBe(0)
  })

  it('tell a story with every kind of movement, renewals and churn', async () => {
    const { clickhouse } = await both(filters()[0][1])
    const s = revenueSummary(clickhouse)
    for (const k of ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const) expect(s.movements[k], k).toBeGreaterThan(0)
    expect(s.mrr).toBeGreaterThan(0)
    expect(s.arr).toBe(s.mrr * 12)
    expect(s.renewalRate).toBeGreaterThan(0)
    expect(s.renewalRate).toBeLessThan(1)
    // CLV = ARPA × average lifetime = ARPA ÷ monthly logo churn.
    expect(s.clv).toBe(Math.round(s.arpa / s.logoChurn!))
  })

  it('count nothing of another workspace', async () => {
    const other = await givenWorkspace(rt.db)
    const f = { ...filters()[0][1], workspaceId: other.workspaceId }
    const { clickhouse, postgres } = await both(f)
    expect(clickhouse).toEqual(postgres)
    expect(clickhouse.months.every((m) => m.end === 0)).toBe(true)
  })

  it('come out identical after a rebuild from the events', async () => {
    const read = () => Promise.all(filters().map(([, f]) => revenueFiguresFromClickHouse(rt.ch, f)))
    const rows = () => chQuery(rt.ch, 'SELECT * FROM contract_mrr FINAL ORDER BY workspace_id, contract_id')
    const figures = await read()
    const before = await rows()
    await projector.stop()
    try {
      await rebuildProjections({ db: rt.db, ch: rt.ch }, ['contract-mrr'], { batchSize: 40 })
    } finally {
      projector = await startProjecting()
    }
    expect(await rows()).toEqual(before)
    expect(await read()).toEqual(figures)
  })
})
