import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { TEST_NOW } from '../../testing/clock.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { seedDemo } from '../../seed/seed.js'
import { addDays, addMonths, endOfMonth, monthOf, parisDay } from '../../domain/shared/paris-time.js'
import { checkSpec, type ReportSpec } from '../../domain/reports/report-spec.js'
import { startProjector, type Projector } from '../projector.js'
import { postgresKpis, postgresPipelineByStage, postgresRevenueTrend } from '../testing/dashboard-reference.js'
import type { DashboardFilter } from './dashboard.types.js'
import { runReport, type ReportScope } from './report.js'

// The proof for the report builder: each metric, grouped by each dimension it allows,
// equals the same figure computed from the Postgres write model (the dashboards'
// reference, testing/dashboard-reference.ts), on the demo data.

let rt: Awaited<ReturnType<typeof startTestRuntime>>
let projector: Projector
let ws: string
let users: { id: string; email: string; team_id: string | null }[]
const today = parisDay(TEST_NOW)

beforeAll(async () => {
  rt = await startTestRuntime()
  ws = (await seedDemo(rt.db, { organisations: 60, deals: 300, asOf: TEST_NOW, activitiesPerDeal: 2 })).workspaceId
  users = await rt.db.selectFrom('users').select(['id', 'email', 'team_id']).where('workspace_id', '=', ws).execute()
  projector = await startProjector({ db: rt.db, sql: rt.sql, ch: rt.ch, log: () => {}, pollMs: 200 })
  await projector.waitForCatchUp(120_000)
})
afterAll(async () => {
  await projector?.stop()
  await rt?.stop()
})

const CLOSES = ['ca_signe', 'affaires_gagnees', 'affaires_perdues', 'taux_conversion', 'panier_moyen', 'cycle_moyen'] as const
const spec = (s: Partial<ReportSpec>): ReportSpec => ({
  metrics: [...CLOSES],
  dimensions: [],
  from: addDays(today, -364),
  to: today,
  compare: false,
  teamId: null,
  ownerId: null,
  category: null,
  region: null,
  chart: 'tableau',
  sortBy: null,
  top: null,
  ...s,
})
const everyone = (): ReportScope => ({ workspaceId: ws, ownerIds: null })
const base = (from: string, to: string): DashboardFilter => ({ workspaceId: ws, from, to, ownerIds: null, teamId: null })

/** The closes figures of a filter from Postgres, under the report's metric names. */
async function postgresCloses(f: DashboardFilter) {
  const k = (await postgresKpis(rt.db, f)).current
  return {
    ca_signe: k.revenue_won_cents,
    affaires_gagnees: k.won_count,
    affaires_perdues: k.lost_count,
    taux_conversion: k.win_rate,
    panier_moyen: k.avg_won_deal_cents,
    cycle_moyen: k.sales_cycle_days,
  }
}

describe('report metrics equal the Postgres write model', () => {
  it('over the whole period, with the previous period beside it', async () => {
    const s = spec({ compare: true })
    expect(checkSpec(s)).toEqual({})
    const r = await runReport(rt.ch, s, everyone())
    expect(r.rows).toHaveLength(1)
    expect(r.rows[0].values).toEqual(await postgresCloses(base(s.from, s.to)))
    expect(r.rows[0].values.affaires_gagnees).toBeGreaterThan(10)
    expect(r.previous![0].values).toEqual(await postgresCloses(base(addDays(s.from, -365), addDays(s.from, -1))))
  })

  it('by commercial and by month', async () => {
    const s = spec({ dimensions: ['commercial'] })
    const r = await runReport(rt.ch, s, everyone())
    expect(r.rows.length).toBeGreaterThan(2)
    for (const row of r.rows)
      expect({ owner: row.keys[0], ...row.values }).toEqual({
        owner: row.keys[0],
        ...(await postgresCloses({ ...base(s.from, s.to), ownerIds: [row.keys[0]] })),
      })

    const first = monthOf(addMonths(today, -5))
    const m = await runReport(
      rt.ch,
      spec({ dimensions: ['mois'], metrics: [...CLOSES, 'pipeline_cree'], from: first, to: endOfMonth(addMonths(today, -1)) }),
      everyone(),
    )
    const trend = await postgresRevenueTrend(rt.db, base(first, endOfMonth(addMonths(today, -1))))
    expect(m.rows.length).toBeGreaterThan(3)
    for (const row of m.rows) {
      const month = row.keys[0]
      const { pipeline_cree, ...closes } = row.values
      expect({ month, ...closes }).toEqual({ month, ...(await postgresCloses(base(month, endOfMonth(month)))) })
      expect(pipeline_cree).toBe(trend.find((t) => `${t.month}-01` === month || t.month === month)?.pipeline_created_cents ?? 0)
    }
  })

  it('by two dimensions: category × region', async () => {
    const s = spec({ dimensions: ['categorie', 'region'] })
    const r = await runReport(rt.ch, s, everyone())
    expect(r.rows.length).toBeGreaterThan(3)
    for (const row of r.rows.slice(0, 8)) {
      const [category, region] = row.keys
      expect({ keys: row.keys, ...row.values }).toEqual({ keys: row.keys, ...(await postgresCloses({ ...base(s.from, s.to), category, region })) })
    }
  })

  it('by team: each team sums its members', async () => {
    const s = spec({ dimensions: ['equipe'], metrics: ['ca_signe', 'affaires_gagnees'] })
    const r = await runReport(rt.ch, s, everyone())
    const teams = [...new Set(users.map((u) => u.team_id).filter((t): t is string => !!t))]
    expect(teams.length).toBeGreaterThan(0)
    for (const team of teams) {
      const k = await postgresCloses({ ...base(s.from, s.to), ownerIds: users.filter((u) => u.team_id === team).map((u) => u.id) })
      const row = r.rows.find((x) => x.keys[0] === team)
      expect({ team, ca: row?.values.ca_signe ?? 0, n: row?.values.affaires_gagnees ?? 0 }).toEqual({ team, ca: k.ca_signe, n: k.affaires_gagnees })
    }
  })

  it('the open pipeline by stage, raw and weighted', async () => {
    const r = await runReport(rt.ch, spec({ dimensions: ['etape'], metrics: ['affaires_ouvertes', 'pipeline_brut', 'pipeline_pondere'] }), everyone())
    const pg = await postgresPipelineByStage(rt.db, base(today, today))
    expect(
      r.rows
        .map((x) => ({ stage: x.keys[0], deals: x.values.affaires_ouvertes, amount_cents: x.values.pipeline_brut, weighted_cents: x.values.pipeline_pondere }))
        .filter((x) => x.deals),
    ).toEqual(pg.map((x) => ({ ...x })).sort((a, b) => a.stage.localeCompare(b.stage)))
  })

  it('activities by type and author over the period (Paris days)', async () => {
    const s = spec({ dimensions: ['type_activite', 'commercial'], metrics: ['activites'], from: addDays(today, -89) })
    const r = await runReport(rt.ch, s, everyone())
    const pg = await sql<{ kind: string; author: string; n: string }>`
      select kind, author_id::text as author, count(*)::bigint as n from activities
      where workspace_id = ${ws} and deleted_at is null
        and occurred_at >= (${s.from}::date::timestamp at time zone 'Europe/Paris') and occurred_at < ((${s.to}::date + 1)::timestamp at time zone 'Europe/Paris')
      group by 1, 2`.execute(rt.db)
    const expected = pg.rows.map((x) => ({ keys: [x.kind, x.author], n: Number(x.n) })).sort((a, b) => a.keys.join().localeCompare(b.keys.join()))
    expect(expected.length).toBeGreaterThan(2)
    expect(r.rows.map((x) => ({ keys: x.keys, n: x.values.activites })).sort((a, b) => a.keys.join().localeCompare(b.keys.join()))).toEqual(expected)
  })
})

describe('what a report shows', () => {
  it("never shows more than the viewer's scope, whatever the saved filter asks", async () => {
    const rep = users.find((u) => u.email === 'commercial@alforis.demo')!
    const other = users.find((u) => u.id !== rep.id && u.team_id)!
    const s = spec({ dimensions: ['commercial'] })
    const mine = await runReport(rt.ch, s, { workspaceId: ws, ownerIds: [rep.id] })
    expect(mine.rows.map((r) => r.keys[0])).toEqual([rep.id])
    // A report saved with another owner's filter shows nothing to this rep.
    expect((await runReport(rt.ch, { ...s, ownerId: other.id }, { workspaceId: ws, ownerIds: [rep.id] })).rows).toEqual([])
  })

  it('sorts by a metric and keeps the top N', async () => {
    const r = await runReport(rt.ch, spec({ dimensions: ['commercial'], sortBy: 'ca_signe', top: 2 }), everyone())
    const all = await runReport(rt.ch, spec({ dimensions: ['commercial'] }), everyone())
    const best = all.rows.map((x) => x.values.ca_signe as number).sort((a, b) => b - a)
    expect(r.rows.map((x) => x.values.ca_signe)).toEqual(best.slice(0, 2))
  })

  it('refuses a dimension that does not apply, naming the metrics it does not fit', () => {
    expect(checkSpec(spec({ dimensions: ['mois'], metrics: ['pipeline_brut', 'ca_signe'] })).dimensions).toEqual({
      key: 'report.err.dimensionNotApplicable',
      params: { dimension: 'mois', metrics: ['pipeline_brut'] },
    })
    expect(checkSpec(spec({ metrics: [] })).metrics).toEqual({ key: 'report.err.noMetric' })
    expect(checkSpec(spec({ dimensions: ['mois', 'commercial', 'region'] })).dimensions).toEqual({ key: 'report.err.tooManyDimensions' })
  })
})
