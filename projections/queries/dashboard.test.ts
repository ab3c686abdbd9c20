import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { TEST_NOW, testNow } from '../../testing/clock.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { seedDemo } from '../../seed/seed.js'
import { deleteActivityCommand, logActivityCommand, updateActivityCommand } from '../../domain/crm/contact.commands.js'
import { changeDealStageCommand, createDealCommand, createOrganisationCommand, deleteDealCommand, updateDealCommand } from '../../domain/crm/crm.commands.js'
import { loadStages } from '../../domain/crm/crm.repository.js'
import { setGoalCommand } from '../../domain/dashboards/dashboards.commands.js'
import type { CommandContext } from '../../domain/shared/events.js'
import { chQuery } from '../clickhouse.js'
import { addDays, addMonths, parisDay } from '../../domain/shared/paris-time.js'
import { startProjector, type Projector } from '../projector.js'
import { rebuildProjections } from '../rebuild.js'
import { givenDeals, organisationFields } from '../testing/crm-data.js'
import {
  postgresFunnel,
  postgresGoalsProgress,
  postgresKpis,
  postgresPipelineByStage,
  postgresRecentActivity,
  postgresRevenueTrend,
  postgresTopPerformers,
} from '../testing/dashboard-reference.js'
import { funnel, goalsProgress, kpis, pipelineByStage, recentActivity, revenueTrend, topPerformers } from './dashboard.js'
import type { DashboardFilter } from './dashboard.types.js'

// The proof: every figure of the dashboard read from the ClickHouse rollups equals the
// same figure computed straight from the Postgres write model (testing/dashboard-reference.ts),
// cents exact, on the demo data plus live commands, for several filters; after a
// rebuild too.

let rt: Awaited<ReturnType<typeof startTestRuntime>>
let projector: Projector
let ws: string
let stages: Awaited<ReturnType<typeof loadStages>>
let users: { id: string; email: string; full_name: string; team_id: string | null }[]
let names: Record<string, string>
// The day of the tests' clock: the demo data, the commands and the filters all count from it (testing/clock.ts).
const today = parisDay(TEST_NOW)

const startProjecting = () => startProjector({ db: rt.db, sql: rt.sql, ch: rt.ch, log: () => {}, pollMs: 200 })

beforeAll(async () => {
  rt = await startTestRuntime()
  ws = (await seedDemo(rt.db, { organisations: 150, deals: 800, invoicedDeals: 0, asOf: TEST_NOW })).workspaceId
  stages = await loadStages(rt.db, ws)
  users = await rt.db.selectFrom('users').select(['id', 'email', 'full_name', 'team_id']).where('workspace_id', '=', ws).execute()
  names = Object.fromEntries(users.map((u) => [u.id, u.full_name]))
  projector = await startProjecting()
  await projector.waitForCatchUp(120_000)
})
afterAll(async () => {
  await projector?.stop()
  await rt?.stop()
})

const user = (email: string) => users.find((u) => u.email === email)!
const lastQuarter = () => {
  const quarterStart = `${today.slice(0, 5)}${String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`
  return { from: addMonths(quarterStart, -3), to: addDays(quarterStart, -1) }
}

const FILTERS = ['the whole workspace over 90 days', 'one rep', 'one team', 'a past quarter', 'two owners, one category, over a year', 'one region over a year']

function filters(): [string, DashboardFilter][] {
  const base = { workspaceId: ws, from: addDays(today, -89), to: today, ownerIds: null, teamId: null }
  const rep = user('commercial@alforis.demo')
  const manager = user('manager@alforis.demo')
  const west = users.find((u) => u.email === 'sophie.legall@alforis.demo')!.team_id!
  const all: DashboardFilter[] = [
    base,
    { ...base, ownerIds: [rep.id] },
    { ...base, teamId: west },
    { ...base, ...lastQuarter() },
    { ...base, from: addDays(today, -364), ownerIds: [rep.id, manager.id], category: 'Licences' },
    { ...base, from: addDays(today, -364), region: 'Bretagne' },
  ]
  return all.map((f, i) => [FILTERS[i], f])
}

/** Everything the dashboard shows for one filter, from ClickHouse and from Postgres. */
async function both(f: DashboardFilter) {
  const byStage = <T extends { stage: string }>(rows: T[]) => [...rows].sort((a, b) => a.stage.localeCompare(b.stage))
  return {
    clickhouse: {
      kpis: await kpis(rt.ch, f),
      funnel: await funnel(rt.ch, f, stages),
      top: await topPerformers(rt.ch, f, names),
      trend: await revenueTrend(rt.ch, f),
      goals: await goalsProgress(rt.ch, f),
      goalsQuarter: await goalsProgress(rt.ch, f, `${f.to.slice(0, 4)}-Q${Math.floor((Number(f.to.slice(5, 7)) - 1) / 3) + 1}`),
      pipeline: byStage(await pipelineByStage(rt.ch, f)),
    },
    postgres: {
      kpis: await postgresKpis(rt.db, f),
      funnel: await postgresFunnel(rt.db, f),
      top: await postgresTopPerformers(rt.db, f, names),
      trend: await postgresRevenueTrend(rt.db, f),
      goals: await postgresGoalsProgress(rt.db, f),
      goalsQuarter: await postgresGoalsProgress(rt.db, f, `${f.to.slice(0, 4)}-Q${Math.floor((Number(f.to.slice(5, 7)) - 1) / 3) + 1}`),
      pipeline: byStage(await postgresPipelineByStage(rt.db, f)),
    },
  }
}

const ctxOf = (actorId: string): CommandContext => ({ workspaceId: ws, actorId, now: testNow(), source: 'web' })

describe('the dashboard figures', () => {
  it.each(FILTERS)('equal the Postgres write model for %s', async (name) => {
    const f = filters().find(([n]) => n === name)![1]
    const { clickhouse, postgres } = await both(f)
    expect(clickhouse).toEqual(postgres)
  })

  it('come out the same when the widgets are asked for at once (one batched query)', async () => {
    const [, f] = filters()[1]
    const { clickhouse } = await both(f)
    const [k, fu, top, trend, goals, pipeline] = await Promise.all([
      kpis(rt.ch, f),
      funnel(rt.ch, f, stages),
      topPerformers(rt.ch, f, names),
      revenueTrend(rt.ch, f),
      goalsProgress(rt.ch, f),
      pipelineByStage(rt.ch, f),
    ])
    expect({ ...clickhouse, kpis: k, funnel: fu, top, trend, goals, pipeline: [...pipeline].sort((a, b) => a.stage.localeCompare(b.stage)) }).toEqual(
      clickhouse,
    )
    expect(await Promise.all([recentActivity(rt.ch, f, 5), kpis(rt.ch, f)])).toEqual([await recentActivity(rt.ch, f, 5), k])
  })

  it('are not empty on the demo data', async () => {
    const [, f] = filters()[0]
    const { clickhouse } = await both(f)
    expect(clickhouse.kpis.current.won_count).toBeGreaterThan(5)
    expect(clickhouse.kpis.current.lost_count).toBeGreaterThan(5)
    expect(clickhouse.kpis.previous.revenue_won_cents).toBeGreaterThan(0)
    expect(clickhouse.kpis.current.open_pipeline_cents).toBeGreaterThan(clickhouse.kpis.current.weighted_pipeline_cents)
    // The pipeline 90 days ago was another one.
    expect(clickhouse.kpis.previous.open_pipeline_cents).toBeGreaterThan(0)
    expect(clickhouse.kpis.previous.open_pipeline_cents).not.toBe(clickhouse.kpis.current.open_pipeline_cents)
    expect(clickhouse.funnel.map((s) => s.stage)).toEqual(['PROSPECT', 'QUALIFICATION', 'PROPOSITION', 'NEGOCIATION', 'SIGNE'])
    expect(clickhouse.funnel[0].reached).toBeGreaterThan(clickhouse.funnel[4].reached)
    expect(clickhouse.top.length).toBeGreaterThanOrEqual(5)
    expect(clickhouse.trend).toHaveLength(12)
    expect(clickhouse.trend.filter((m) => m.won_cents > 0).length).toBeGreaterThan(8)
    // 9 sellers and 3 teams have a goal for this month and the seed sets none by quarter.
    expect(clickhouse.goals.filter((g) => g.scope === 'user')).toHaveLength(9)
    expect(clickhouse.goals.filter((g) => g.scope === 'team')).toHaveLength(3)
    expect(clickhouse.goals.find((g) => g.scope === 'team')!.scope_name).toMatch(/^Équipe /)
  })

  it('count a deal won through the commands once the projector has caught up, and follow its reopening', async () => {
    const rep = user('commercial@alforis.demo')
    const f: DashboardFilter = { workspaceId: ws, from: today, to: today, ownerIds: [rep.id], teamId: null }
    const before = await kpis(rt.ch, f)
    const organisationId = randomUUID()
    await createOrganisationCommand(rt.db, ctxOf(rep.id), { id: organisationId, fields: organisationFields('Scierie Lemoine') })
    const dealId = randomUUID()
    const fields = {
      title: 'Licences scierie',
      organisation_id: organisationId,
      amount_cents: 1_234_567,
      expected_close_date: null,
      owner_id: rep.id,
      category: 'Licences',
      source: 'Salon',
      region: 'Île-de-France',
    }
    await createDealCommand(rt.db, ctxOf(rep.id), { id: dealId, fields, stage: 'PROSPECT' })
    await changeDealStageCommand(rt.db, ctxOf(rep.id), { id: dealId, to: 'NEGOCIATION' })
    await updateDealCommand(rt.db, ctxOf(rep.id), { id: dealId, expectedVersion: 2, fields: { ...fields, amount_cents: 1_200_000 } })
    await changeDealStageCommand(rt.db, ctxOf(rep.id), { id: dealId, to: 'SIGNE' })
    // Edited after the signature: revenue stays the amount at close.
    await updateDealCommand(rt.db, ctxOf(rep.id), { id: dealId, expectedVersion: 4, fields: { ...fields, amount_cents: 1_500_000 } })
    await logActivityCommand(rt.db, ctxOf(rep.id), {
      id: randomUUID(),
      fields: {
        kind: 'meeting',
        subject: 'Signature à la scierie',
        body: null,
        occurred_at: testNow().toISOString(),
        duration_minutes: 60,
        organisation_id: organisationId,
        contact_id: null,
        deal_id: dealId,
      },
    })
    await projector.waitForCatchUp()

    const after = await kpis(rt.ch, f)
    expect(after.current.revenue_won_cents - before.current.revenue_won_cents).toBe(1_200_000)
    expect(after.current.won_count - before.current.won_count).toBe(1)
    expect(after).toEqual(await postgresKpis(rt.db, f))
    const recent = await recentActivity(rt.ch, f, 3)
    expect(recent.map((r) => [r.kind, r.title])).toEqual([
      ['activity', 'Signature à la scierie'],
      ['deal_won', 'Licences scierie'],
      ['stage_changed', 'Licences scierie'],
    ])
    expect(recent[1]).toMatchObject({ deal_id: dealId, organisation_id: organisationId, actor_id: rep.id, amount_cents: 1_200_000 })

    await changeDealStageCommand(rt.db, ctxOf(rep.id), { id: dealId, to: 'NEGOCIATION' })
    await projector.waitForCatchUp()
    const reopened = await kpis(rt.ch, f)
    expect(reopened.current.revenue_won_cents).toBe(before.current.revenue_won_cents)
    expect(reopened.current.open_pipeline_cents - before.current.open_pipeline_cents).toBe(1_500_000)
    expect(reopened).toEqual(await postgresKpis(rt.db, f))

    await deleteDealCommand(rt.db, ctxOf(rep.id), { id: dealId })
    await projector.waitForCatchUp()
    expect(await kpis(rt.ch, f)).toEqual(before)
  })

  it("give the open pipeline as it stood at the end of the previous period, from the deals' dated history", async () => {
    const rep = user('commercial@alforis.demo')
    const f: DashboardFilter = { workspaceId: ws, from: addDays(today, -6), to: today, ownerIds: [rep.id], teamId: null }
    const past: DashboardFilter = { ...f, from: addDays(today, -13), to: addDays(today, -7) }
    const before = await kpis(rt.ch, f)
    const beforePast = await kpis(rt.ch, past)
    // Commands dated in the past, at noon Paris time (10:00 or 11:00 UTC).
    const daysAgo = (n: number) => ({ ...ctxOf(rep.id), now: new Date(`${addDays(today, -n)}T10:30:00Z`) })
    const organisationId = randomUUID()
    await createOrganisationCommand(rt.db, daysAgo(30), { id: organisationId, fields: organisationFields('Charpentes Vidal') })
    const fields = {
      title: 'Charpente',
      organisation_id: organisationId,
      amount_cents: 1_000_001,
      expected_close_date: null,
      owner_id: rep.id,
      category: null,
      source: null,
      region: null,
    }
    const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
    // Open since 20 days ago, 1 000 000,01 € raised to 1 250 000,99 € 3 days ago, into negotiation 2 days ago.
    await createDealCommand(rt.db, daysAgo(20), { id: ids[0], fields, stage: 'PROSPECT' })
    await updateDealCommand(rt.db, daysAgo(3), { id: ids[0], expectedVersion: 1, fields: { ...fields, amount_cents: 1_250_099 } })
    await changeDealStageCommand(rt.db, daysAgo(2), { id: ids[0], to: 'NEGOCIATION' })
    // Open 10 days ago, won 5 days ago: in the previous period's pipeline only.
    await createDealCommand(rt.db, daysAgo(10), { id: ids[1], fields: { ...fields, amount_cents: 333_333 }, stage: 'QUALIFICATION' })
    await changeDealStageCommand(rt.db, daysAgo(5), { id: ids[1], to: 'SIGNE' })
    // Created 4 days ago: in the current one only.
    await createDealCommand(rt.db, daysAgo(4), { id: ids[2], fields: { ...fields, amount_cents: 77_777 }, stage: 'PROPOSITION' })
    // Open 9 days ago, deleted 1 day ago: counts nowhere, as deleted deals do.
    await createDealCommand(rt.db, daysAgo(9), { id: ids[3], fields: { ...fields, amount_cents: 50_000 }, stage: 'PROSPECT' })
    await deleteDealCommand(rt.db, daysAgo(1), { id: ids[3] })
    await projector.waitForCatchUp()

    const after = await kpis(rt.ch, f)
    const prospect = stages.find((s) => s.code === 'PROSPECT')!.probability
    const qualification = stages.find((s) => s.code === 'QUALIFICATION')!.probability
    const negotiation = stages.find((s) => s.code === 'NEGOCIATION')!.probability
    const proposal = stages.find((s) => s.code === 'PROPOSITION')!.probability
    expect(after.current.open_pipeline_cents - before.current.open_pipeline_cents).toBe(1_250_099 + 77_777)
    expect(after.previous.open_pipeline_cents - before.previous.open_pipeline_cents).toBe(1_000_001 + 333_333)
    // The weighted figures are rounded once over the total: compare the unrounded sums.
    const weightedNow = 1_250_099 * negotiation + 77_777 * proposal
    const weightedThen = 1_000_001 * prospect + 333_333 * qualification
    expect(Math.abs(after.current.weighted_pipeline_cents - before.current.weighted_pipeline_cents - weightedNow / 100)).toBeLessThanOrEqual(1)
    expect(Math.abs(after.previous.weighted_pipeline_cents - before.previous.weighted_pipeline_cents - weightedThen / 100)).toBeLessThanOrEqual(1)
    expect(after).toEqual(await postgresKpis(rt.db, f))
    // A past period: its own end (7 days ago) and the end of the one before (14 days ago).
    const afterPast = await kpis(rt.ch, past)
    expect(afterPast.current.open_pipeline_cents - beforePast.current.open_pipeline_cents).toBe(1_000_001 + 333_333)
    expect(afterPast.previous.open_pipeline_cents - beforePast.previous.open_pipeline_cents).toBe(1_000_001)
    expect(afterPast).toEqual(await postgresKpis(rt.db, past))
    // The same figures for the whole workspace, a team, and after the deals are gone again.
    for (const [, g] of filters()) expect(await kpis(rt.ch, g)).toEqual(await postgresKpis(rt.db, g))
    for (const id of ids.slice(0, 3)) await deleteDealCommand(rt.db, ctxOf(rep.id), { id })
    await projector.waitForCatchUp()
    expect(await kpis(rt.ch, f)).toEqual(before)
    expect(await kpis(rt.ch, past)).toEqual(beforePast)
  })

  it('follow goals set through the commands', async () => {
    const rep = user('commercial@alforis.demo')
    const admin = user('admin@alforis.demo')
    const quarter = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`
    await setGoalCommand(
      rt.db,
      ctxOf(admin.id),
      { id: admin.id, workspaceId: ws, role: 'admin', teamId: null },
      { scope: 'user', scopeId: rep.id, period: quarter, targetCents: 12_345_600 },
    )
    await projector.waitForCatchUp()
    const f: DashboardFilter = { workspaceId: ws, from: addDays(today, -30), to: today, ownerIds: [rep.id], teamId: null }
    const goals = await goalsProgress(rt.ch, f)
    expect(goals).toEqual(await postgresGoalsProgress(rt.db, f))
    expect(goals.map((g) => [g.scope, g.period])).toEqual([
      ['team', today.slice(0, 7)],
      ['user', today.slice(0, 7)],
      ['user', quarter],
    ])
    expect(goals[2]).toMatchObject({ scope: 'user', scope_id: rep.id, scope_name: 'Camille Durand', target_cents: 12_345_600 })
  })

  it('list the newest activities and deal steps, leaving out deleted and moved activities', async () => {
    const w = await givenWorkspace(rt.db)
    const ctx = (): CommandContext => ({ workspaceId: w.workspaceId, actorId: w.users.commercial, now: testNow(), source: 'web' })
    const organisationId = randomUUID()
    await createOrganisationCommand(rt.db, ctx(), { id: organisationId, fields: organisationFields('Tuilerie Marchal') })
    const dealId = randomUUID()
    await createDealCommand(rt.db, ctx(), {
      id: dealId,
      stage: 'PROSPECT',
      fields: {
        title: 'Toiture',
        organisation_id: organisationId,
        amount_cents: 990_000,
        expected_close_date: null,
        owner_id: w.users.commercial,
        category: null,
        source: null,
        region: null,
      },
    })
    const ids: string[] = []
    const at = (minutesAgo: number) => new Date(TEST_NOW.getTime() - minutesAgo * 60_000).toISOString()
    for (let i = 0; i < 30; i++) {
      const id = randomUUID()
      ids.push(id)
      await logActivityCommand(rt.db, ctx(), {
        id,
        fields: {
          kind: 'call',
          subject: `Appel ${i}`,
          body: null,
          occurred_at: at(30 - i),
          duration_minutes: 5,
          organisation_id: organisationId,
          contact_id: null,
          deal_id: dealId,
        },
      })
    }
    const fields = (i: number, over: object) => ({
      kind: 'call' as const,
      subject: `Appel ${i}`,
      body: null,
      occurred_at: at(30 - i),
      duration_minutes: 5,
      organisation_id: organisationId,
      contact_id: null,
      deal_id: dealId,
      ...over,
    })
    // The 15 newest go away: the first 30 rows read back are all gone, the query must read further.
    for (const id of ids.slice(15)) await deleteActivityCommand(rt.db, ctx(), { id })
    await updateActivityCommand(rt.db, ctx(), { id: ids[14], expectedVersion: 1, fields: fields(14, { occurred_at: at(600) }) })
    await updateActivityCommand(rt.db, ctx(), { id: ids[13], expectedVersion: 1, fields: fields(13, { subject: 'Appel reporté' }) })
    await projector.waitForCatchUp()
    const f: DashboardFilter = { workspaceId: w.workspaceId, from: addDays(today, -1), to: today, ownerIds: [w.users.commercial], teamId: null }
    const recent = await recentActivity(rt.ch, f, 10)
    // The deal was created now, the calls are dated in the last half hour.
    expect(recent.map((r) => r.title)).toEqual(['Toiture', 'Appel reporté', ...Array.from({ length: 8 }, (_, i) => `Appel ${12 - i}`)])
    expect(recent).toEqual(await postgresRecentActivity(rt.db, f, 10))
    expect(await recentActivity(rt.ch, f, 50)).toEqual(await postgresRecentActivity(rt.db, f, 50))
  })

  it("never mix in another workspace's figures", async () => {
    const [, f] = filters()[0]
    const mine = await both(f)
    const other = await givenWorkspace(rt.db)
    await givenDeals(rt.db, other.ctx, 12, other.users.commercial)
    await projector.waitForCatchUp()
    expect(await both(f)).toEqual(mine)
    const theirs: DashboardFilter = { ...f, workspaceId: other.workspaceId }
    const { clickhouse, postgres } = await both(theirs)
    expect(clickhouse).toEqual(postgres)
    expect(clickhouse.kpis.current.won_count).toBeGreaterThan(0)
    expect((await recentActivity(rt.ch, theirs, 50)).every((r) => r.actor_id === null || r.actor_id === other.users.admin)).toBe(true)
  })

  it('come out identical after a rebuild from the events', async () => {
    const all = filters()
    const read = async () => Promise.all(all.map(async ([, f]) => ({ ...(await both(f)).clickhouse, recent: await recentActivity(rt.ch, f, 20) })))
    const tables = async () => ({
      facts: await chQuery(rt.ch, 'SELECT * FROM deal_facts FINAL ORDER BY workspace_id, deal_id'),
      daily: await chQuery(rt.ch, 'SELECT * EXCEPT cp FROM deals_daily FINAL ORDER BY ALL'),
      created: await chQuery(rt.ch, 'SELECT * FROM deal_created FINAL ORDER BY ALL'),
      monthly: await chQuery(rt.ch, 'SELECT * EXCEPT cp FROM deals_monthly FINAL ORDER BY ALL'),
      open: await chQuery(rt.ch, 'SELECT * EXCEPT cp FROM deals_open FINAL ORDER BY ALL'),
      openDaily: await chQuery(rt.ch, 'SELECT * EXCEPT cp FROM deals_open_daily FINAL ORDER BY ALL'),
      activities: await chQuery(rt.ch, 'SELECT * FROM activity_timeline FINAL ORDER BY ALL'),
    })
    const figures = await read()
    const rows = await tables()
    await projector.stop()
    try {
      const r = await rebuildProjections({ db: rt.db, ch: rt.ch })
      expect(r.rows.deals_daily).toBe(rows.daily.length)
    } finally {
      projector = await startProjecting()
    }
    expect(await tables()).toEqual(rows)
    expect(await read()).toEqual(figures)
  })
})
