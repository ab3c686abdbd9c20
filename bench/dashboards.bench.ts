import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { startRuntime } from '../runtime/runtime.js'
import type { Db } from '../db/kysely.js'
import { DEMO_PASSWORD } from '../seed/demo-logins.js'
import { isSeeded, seedDemo } from '../seed/seed.js'
import { loadStages } from '../domain/crm/crm.repository.js'
import { chQuery, type ClickHouse } from '../projections/clickhouse.js'
import { projectionLag } from '../projections/lag.js'
import { addDays } from '../domain/shared/paris-time.js'
import { startProjector } from '../projections/projector.js'
import { rebuildProjections } from '../projections/rebuild.js'
import { funnel, goalsProgress, kpis, openPipelineFor, recentActivity, revenueTrend, topPerformers } from '../projections/queries/dashboard.js'
import type { DashboardFilter } from '../projections/queries/dashboard.types.js'
import {
  checkEventInstants,
  dataToday,
  pgFunnel,
  pgGoalsProgress,
  pgKpis,
  pgPipelineByStage,
  pgRecentActivity,
  pgRevenueTrend,
  pgTopPerformers,
  POSTGRES_INDEXES,
  preparePostgres,
} from './dashboards.postgres.js'

// npm run bench:dashboards [-- --deals 1000000 --activities-per-deal 10 --runs 40 --pg-runs 5 --dir .data/bench-dashboards --reproject --reset --rebuild deal-analytics --no-http]
//
// The analytics dashboard at scale: the demo seed at 1,000,000 deals (250,000
// companies, ~500,000 contacts) and 10 activities per deal (~10,000,000), written by
// the seed's bulk path (the domain's decide/evolve, batched inserts), projected by the
// real projector. The data set stays in --dir between runs: the first run builds it
// (tens of minutes on 2 cores), later runs only measure. --reproject drops the
// ClickHouse side and projects again; --rebuild <projection> rebuilds one projection
// from the events (after a ClickHouse migration that needs it, e.g. 010 and
// deal-analytics); --reset starts from nothing.
//
// « Today » is the data set's (the Paris day of its last event), never the wall clock;
// the period is the admin's last 30 days to it. Before timing, the Postgres side gets
// the indexes its queries need and VACUUM ANALYZE (bench/dashboards.postgres.ts,
// POSTGRES_INDEXES), and every widget's figures are checked equal between ClickHouse and
// Postgres (it throws with both sides printed otherwise).
//
// What is timed is the dashboard loader's work (app/utils/dashboard.server.ts
// loadWidgetData) for every widget kind, called as it calls them: the workspace's
// stages from Postgres, then all widget queries at once (kpis, funnel, top performers,
// revenue trend, goals, 10 recent items and the names of their companies, pipeline by
// stage), per widget, --runs times. Then the same questions answered by plain Postgres
// on the write model (bench/dashboards.postgres.ts), widgets at once on the same pool,
// --pg-runs times (at least 5 for a published figure). `ratio` = Postgres p95 / loader
// p95 (like for like; `ratio_p50` from the medians). Then GET / over HTTP for the same
// period as the signed-in admin (the built app, `npm run build` first, served by
// serveApp): route, loader and rendering — `dashboard_*` (--no-http leaves it out).
// Each phase's load average is printed with it. The last line printed is one JSON object.

const { values: args } = parseArgs({
  options: {
    deals: { type: 'string', default: '1000000' },
    'activities-per-deal': { type: 'string', default: '10' },
    runs: { type: 'string', default: '40' },
    'pg-runs': { type: 'string', default: '5' },
    dir: { type: 'string', default: '.data/bench-dashboards' },
    reproject: { type: 'boolean', default: false },
    reset: { type: 'boolean', default: false },
    http: { type: 'boolean', default: true },
    'no-http': { type: 'boolean', default: false },
    rebuild: { type: 'string' },
  },
})
const DEALS = Number(args.deals)
const PER_DEAL = Number(args['activities-per-deal'])
const RUNS = Number(args.runs)
const PG_RUNS = Number(args['pg-runs'])
const DIR = path.resolve(args.dir!)
// A fixed "today" for the data set, so every run measures the same figures.
const AS_OF = new Date('2026-11-27T00:00:00Z')

const log = (m: string) => console.log(`[bench] ${m}`)
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
const round1 = (x: number) => Math.round(x * 10) / 10
// The machine is shared: every timing is printed with the load average it ran under.
const loadText = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ')

type Dataset = { deals: number; activitiesPerDeal: number; asOf: string; workspaceId: string; seededMs: number }

async function ensureSeeded(db: Db): Promise<Dataset> {
  const file = path.join(DIR, 'dataset.json')
  if (await isSeeded(db)) {
    const d = JSON.parse(fs.readFileSync(file, 'utf8')) as Dataset
    if (d.deals !== DEALS || d.activitiesPerDeal !== PER_DEAL)
      throw new Error(`${DIR} holds ${d.deals} deals × ${d.activitiesPerDeal} activities: pass the same options, or --reset`)
    return d
  }
  log(`seeding ${DEALS} deals, ${PER_DEAL} activities per deal (kept in ${DIR})…`)
  const t = performance.now()
  const { workspaceId } = await seedDemo(db, {
    deals: DEALS,
    organisations: Math.max(100, Math.round(DEALS / 4)),
    activitiesPerDeal: PER_DEAL,
    // The invoicing history is not what this bench measures.
    invoicedDeals: 0,
    asOf: AS_OF,
    log,
  })
  const d: Dataset = { deals: DEALS, activitiesPerDeal: PER_DEAL, asOf: AS_OF.toISOString(), workspaceId, seededMs: Math.round(performance.now() - t) }
  fs.writeFileSync(file, JSON.stringify(d, null, 2))
  return d
}

async function ensureProjected(db: Db, pgSql: Parameters<typeof startProjector>[0]['sql'], ch: ClickHouse) {
  // Projected by a projector of its own (the runtime starts none), to time it.
  const lag = await projectionLag(db)
  if (lag.events === 0) return null
  log(`projecting ${lag.events} events into ClickHouse…`)
  const t = performance.now()
  const projector = await startProjector({ db, sql: pgSql, ch, log })
  const progress = setInterval(() => {
    projectionLag(db).then(
      (l) => log(`… ${l.events} events to go (${Math.round((performance.now() - t) / 1000)} s)`),
      () => {},
    )
  }, 30_000)
  try {
    await projector.waitForCatchUp(12 * 3_600_000)
  } finally {
    clearInterval(progress)
    await projector.stop()
  }
  const ms = performance.now() - t
  log(`projected ${lag.events} events in ${Math.round(ms / 1000)} s (${Math.round(lag.events / (ms / 1000))} events/s)`)
  // What chDB's background merges converge to; a bulk load leaves many parts behind.
  await optimize(ch)
  return { events: lag.events, ms }
}

async function optimize(ch: ClickHouse) {
  for (const table of [
    'deals_daily',
    'deals_monthly',
    'deals_open',
    'deals_open_daily',
    'deal_created',
    'deal_timeline',
    'activity_timeline',
    'goals',
    'users_teams',
    'teams',
  ]) {
    await ch.command({ query: `OPTIMIZE TABLE ${table} FINAL` })
  }
}

type Widget = { name: string; ms: number[] }

async function main() {
  if (args.reset) fs.rmSync(DIR, { recursive: true, force: true })
  if (args.reproject) fs.rmSync(path.join(DIR, 'ch'), { recursive: true, force: true })
  fs.mkdirSync(DIR, { recursive: true })
  // The app's own runtime over the data set: Postgres in DIR/pg, chDB in DIR/ch, both migrated.
  const rt = await startRuntime({ dataDir: DIR, ephemeral: true, projector: false, jobs: 'off', seed: false, log })
  const { db, sql: pgSql, ch } = rt
  try {
    // A new ClickHouse store starts every projection from the origin.
    if (args.reproject) await db.deleteFrom('projection_checkpoints').execute()
    const data = await ensureSeeded(db)
    const projected = await ensureProjected(db, pgSql, ch)
    if (projected === null && (await projectionLag(db)).events === 0) log('data set already seeded and projected')
    if (args.rebuild) {
      const t = performance.now()
      const r = await rebuildProjections({ db, ch }, args.rebuild.split(','), { log })
      await optimize(ch)
      log(`rebuilt ${r.projections.join(', ')}: ${r.events} events in ${Math.round((performance.now() - t) / 1000)} s`)
    }

    const ws = data.workspaceId
    const counts = await sql<{ deals: string; activities: string; events: string }>`
      select (select count(*) from deals) as deals, (select count(*) from activities) as activities, (select count(*) from events) as events`.execute(db)
    const c = counts.rows[0]
    log(`Postgres: ${Number(c.deals)} deals, ${Number(c.activities)} activities, ${Number(c.events)} events`)
    const rows = await chQuery<{ table: string; n: string; parts: string }>(
      ch,
      `
      SELECT table, toString(sum(rows)) AS n, toString(count()) AS parts FROM system.parts
      WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table`,
    )
    log(`ClickHouse rows (active parts): ${rows.map((r) => `${r.table} ${r.n} (${r.parts})`).join(', ')}`)

    // « Today » is the data set's: the Paris day of its last event, not the wall clock.
    const today = await dataToday(db, ws)
    const to = today
    const f: DashboardFilter = { workspaceId: ws, from: addDays(to, -29), to, ownerIds: null, teamId: null }
    const users = await db.selectFrom('users').select(['id', 'full_name']).where('workspace_id', '=', ws).execute()
    const names = Object.fromEntries(users.map((u) => [u.id, u.full_name]))
    log(`data set's today ${today} (last event's Paris day; AS_OF ${AS_OF.toISOString()}); the admin's last 30 days: ${f.from} → ${f.to}`)

    // The Postgres side's indexes, then VACUUM ANALYZE (bench/dashboards.postgres.ts).
    log('Postgres: indexes for the dashboard queries, then vacuum analyze…')
    await checkEventInstants(db, ws)
    await preparePostgres(db, log)

    // The loader's work for every widget, as app/utils/dashboard.server.ts does it
    // (goals: the month's and the quarter's of the period's last day, as the loader asks).
    const widgets: Widget[] = ['stages', 'kpis', 'funnel', 'top-performers', 'revenue-trend', 'goals', 'recent-activity', 'pipeline-by-stage'].map((name) => ({
      name,
      ms: [],
    }))
    const timed = async <T>(i: number, p: () => Promise<T>): Promise<T> => {
      const t = performance.now()
      try {
        return await p()
      } finally {
        widgets[i].ms.push(performance.now() - t)
      }
    }
    const dashboard = async () => {
      const stages = await timed(0, () => loadStages(db, ws))
      const [k, fu, top, trend, goals, recent, pipeline] = await Promise.all([
        timed(1, () => kpis(ch, f)),
        timed(2, () => funnel(ch, f, stages)),
        timed(3, () => topPerformers(ch, f, names)),
        timed(4, () => revenueTrend(ch, f)),
        timed(5, () => goalsProgress(ch, f)),
        timed(6, async () => {
          const items = await recentActivity(ch, f, 10)
          const orgIds = [...new Set(items.map((x) => x.organisation_id).filter((x): x is string => !!x))]
          const orgs = orgIds.length
            ? await db.selectFrom('organisations').select(['id', 'name']).where('workspace_id', '=', ws).where('id', 'in', orgIds).execute()
            : []
          return { items, organisations: orgs }
        }),
        timed(7, () => openPipelineFor(ch, f)),
      ])
      return { kpis: k, funnel: fu, top, trend, goals, recent, pipeline }
    }
    // The same questions from Postgres, widgets at once on the runtime's pool as the loader does.
    const pgWidgets: Widget[] = ['stages', 'kpis', 'funnel', 'top-performers', 'revenue-trend', 'goals', 'recent-activity', 'pipeline-by-stage'].map(
      (name) => ({ name, ms: [] }),
    )
    const pgTimed = async <T>(i: number, p: () => Promise<T>): Promise<T> => {
      const t = performance.now()
      try {
        return await p()
      } finally {
        pgWidgets[i].ms.push(performance.now() - t)
      }
    }
    const postgres = async () => {
      await pgTimed(0, () => loadStages(db, ws))
      const [k, fu, top, trend, goals, recent, pipeline] = await Promise.all([
        pgTimed(1, () => pgKpis(db, f, today)),
        pgTimed(2, () => pgFunnel(db, f)),
        pgTimed(3, () => pgTopPerformers(db, f, names)),
        pgTimed(4, () => pgRevenueTrend(db, f)),
        pgTimed(5, () => pgGoalsProgress(db, f)),
        pgTimed(6, () => pgRecentActivity(db, f, 10)),
        pgTimed(7, () => pgPipelineByStage(db, f)),
      ])
      return { kpis: k, funnel: fu, top, trend, goals, recent, pipeline }
    }

    // Every widget's figures, the same on both sides, before timing anything (and the
    // goals of the quarter alone too). Orders where ClickHouse and Postgres may break a
    // tie differently (UUIDs sort differently) are normalised; nothing else is.
    const byOwner = (rows: { owner_id: string }[]) => [...rows].sort((a, b) => a.owner_id.localeCompare(b.owner_id))
    const normal = (x: Awaited<ReturnType<typeof dashboard>>) => ({
      ...x,
      top: byOwner(x.top),
      organisations: [...x.recent.organisations].sort((a, b) => a.id.localeCompare(b.id)),
    })
    const compareAll = async () => {
      const c = normal(await dashboard())
      const p = normal(await postgres())
      const quarter = `${f.to.slice(0, 4)}-Q${Math.floor((Number(f.to.slice(5, 7)) - 1) / 3) + 1}`
      const extra = { quarterGoals: [await goalsProgress(ch, f, quarter), await pgGoalsProgress(db, f, quarter)] }
      const diffs: string[] = []
      for (const key of ['kpis', 'funnel', 'top', 'trend', 'goals', 'pipeline'] as const) {
        if (JSON.stringify(c[key]) !== JSON.stringify(p[key]))
          diffs.push(`${key}:\n  ClickHouse ${JSON.stringify(c[key])}\n  Postgres   ${JSON.stringify(p[key])}`)
      }
      if (JSON.stringify(c.recent.items) !== JSON.stringify(p.recent.items))
        diffs.push(`recent-activity:\n  ClickHouse ${JSON.stringify(c.recent.items)}\n  Postgres   ${JSON.stringify(p.recent.items)}`)
      if (JSON.stringify(c.organisations) !== JSON.stringify(p.organisations))
        diffs.push(`recent-activity's organisations:\n  ClickHouse ${JSON.stringify(c.organisations)}\n  Postgres   ${JSON.stringify(p.organisations)}`)
      if (JSON.stringify(extra.quarterGoals[0]) !== JSON.stringify(extra.quarterGoals[1]))
        diffs.push(`goals of ${quarter}:\n  ClickHouse ${JSON.stringify(extra.quarterGoals[0])}\n  Postgres   ${JSON.stringify(extra.quarterGoals[1])}`)
      if (diffs.length) throw new Error(`ClickHouse and Postgres disagree on ${diffs.length} widget(s):\n${diffs.join('\n')}`)
      log(
        `every widget equal on both sides: KPIs (both periods), funnel (${c.funnel.length} stages), top performers (${c.top.length}), trend (12 months), goals (${c.goals.length}, and ${extra.quarterGoals[0].length} of ${quarter}), recent activity (${c.recent.items.length} items, ${c.organisations.length} organisations), pipeline by stage (${c.pipeline.length} stages)`,
      )
      return c
    }
    const checked = await compareAll()
    const k = checked.kpis
    log(
      `period ${f.from} → ${f.to}: ${k.current.won_count} won (${(k.current.revenue_won_cents / 100).toLocaleString('fr-FR')} €), ${k.current.lost_count} lost, open pipeline ${(k.current.open_pipeline_cents / 100).toLocaleString('fr-FR')} € (previous period's end: ${(k.previous.open_pipeline_cents / 100).toLocaleString('fr-FR')} €)`,
    )

    for (const w of widgets) w.ms.length = 0
    for (let i = 0; i < 3; i++) await dashboard()
    for (const w of widgets) w.ms.length = 0
    const total: number[] = []
    const load0 = os.loadavg()
    const cpu0 = process.cpuUsage()
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now()
      await dashboard()
      total.push(performance.now() - t)
    }
    const cpu = process.cpuUsage(cpu0)
    total.sort((a, b) => a - b)
    const dash = { p50: percentile(total, 50), p95: percentile(total, 95), max: total[total.length - 1], load: [load0, os.loadavg()] }
    log(
      `dashboard (ClickHouse, ${RUNS} runs): p50 ${dash.p50.toFixed(1)} ms, p95 ${dash.p95.toFixed(1)} ms, max ${dash.max.toFixed(1)} ms; process CPU ${Math.round((cpu.user + cpu.system) / 1000 / RUNS)} ms per dashboard; load ${loadText()}`,
    )
    for (const w of widgets) {
      const s = [...w.ms].sort((a, b) => a - b)
      log(`  ${w.name.padEnd(18)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms, p95 ${percentile(s, 95).toFixed(1).padStart(6)} ms`)
    }

    // Postgres: one warm-up (the compare above was the first), then PG_RUNS timed runs.
    await postgres()
    for (const w of pgWidgets) w.ms.length = 0
    const pgTotal: number[] = []
    const pgLoad0 = os.loadavg()
    for (let i = 0; i < PG_RUNS; i++) {
      const t = performance.now()
      await postgres()
      pgTotal.push(performance.now() - t)
    }
    pgTotal.sort((a, b) => a - b)
    const pgs = { p50: percentile(pgTotal, 50), p95: percentile(pgTotal, 95), load: [pgLoad0, os.loadavg()] }
    log(`dashboard (Postgres, ${PG_RUNS} runs): p50 ${pgs.p50.toFixed(1)} ms, p95 ${pgs.p95.toFixed(1)} ms (widgets at once on the pool); load ${loadText()}`)
    for (const w of pgWidgets) {
      const s = [...w.ms].sort((a, b) => a - b)
      log(`  ${w.name.padEnd(18)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms, p95 ${percentile(s, 95).toFixed(1).padStart(6)} ms`)
    }
    let http: { p50: number; p95: number; load: number[][] } | null = null
    if (args.http && !args['no-http']) http = await overHttp(rt, f)
    // The ratio compares like with like: the same questions answered by the loader's
    // ClickHouse queries and by Postgres, on the same pool, p95 over p95 (and p50 over
    // p50). The whole page over HTTP (ClickHouse) is printed beside it, not divided into.
    const ratio = pgs.p95 / dash.p95
    const ratioP50 = pgs.p50 / dash.p50
    log(
      `ratio Postgres / ClickHouse (loader's queries): ${ratio.toFixed(1)}× at p95, ${ratioP50.toFixed(1)}× at p50${http ? `; Postgres p95 / GET / p95: ${(pgs.p95 / http.p95).toFixed(1)}×` : ''}`,
    )

    const loads = (l: number[][]) => l.map((x) => x.map((y) => round1(y)))
    console.log(
      JSON.stringify({
        deals: Number(c.deals),
        activities: Number(c.activities),
        events: Number(c.events),
        runs: RUNS,
        pg_runs: PG_RUNS,
        today,
        from: f.from,
        to: f.to,
        loader_p50_ms: round1(dash.p50),
        loader_p95_ms: round1(dash.p95),
        postgres_p50_ms: round1(pgs.p50),
        postgres_p95_ms: round1(pgs.p95),
        ratio: round1(ratio),
        ratio_p50: round1(ratioP50),
        dashboard_over: http ? 'http' : 'loader',
        dashboard_p50_ms: round1((http ?? dash).p50),
        dashboard_p95_ms: round1((http ?? dash).p95),
        ratio_vs_http_p95: http ? round1(pgs.p95 / http.p95) : null,
        widgets_checked_equal: true,
        postgres_indexes: POSTGRES_INDEXES.map((x) => x.name),
        loadavg_loader: loads(dash.load),
        loadavg_postgres: loads(pgs.load),
        loadavg_http: http ? loads(http.load) : null,
        ...(projected ? { projected_events: projected.events, projection_s: Math.round(projected.ms / 1000) } : {}),
        seeded_s: Math.round(data.seededMs / 1000),
        cpus: os.cpus().length,
        node: process.version,
        loadavg: os.loadavg().map((x) => round1(x)),
      }),
    )
  } finally {
    await rt.stop()
  }
}

/** GET / as the signed-in demo admin, over real HTTP: the dashboard route with its loader. */
async function overHttp(rt: Awaited<ReturnType<typeof startRuntime>>, f: DashboardFilter) {
  process.env.SESSION_SECRET ??= randomBytes(32).toString('base64url')
  const { serveApp } = await import('../server.js')
  const server = await serveApp(rt, { port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const cookies = new Map<string, string>()
    const request = async (p: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers)
      if (cookies.size) headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '))
      const res = await fetch(base + p, { ...init, headers, redirect: 'manual' })
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';')
        const i = pair.indexOf('=')
        cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim())
      }
      return { res, html: await res.text() }
    }
    const login = await request('/login')
    const csrf = /name="csrf" value="([^"]+)"/.exec(login.html)?.[1] ?? ''
    const signedIn = await request('/login', {
      method: 'POST',
      body: new URLSearchParams({ email: 'admin@alforis.demo', password: DEMO_PASSWORD, csrf }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
    })
    if (signedIn.res.status !== 302) throw new Error(`login failed: HTTP ${signedIn.res.status}`)
    // The same period as the loader's and Postgres' (the data set's last 30 days), not the wall clock's.
    const page = `/?periode=personnalisee&du=${f.from}&au=${f.to}`
    const first = await request(page)
    if (first.res.status !== 200) throw new Error(`GET ${page} answered ${first.res.status}`)
    for (let i = 0; i < 2; i++) await request(page)
    const ms: number[] = []
    const load0 = os.loadavg()
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now()
      const { res } = await request(page)
      if (res.status !== 200) throw new Error(`GET / answered ${res.status}`)
      ms.push(performance.now() - t)
    }
    ms.sort((a, b) => a - b)
    const loader = fs.readFileSync('app/utils/dashboard-queries.server.ts', 'utf8')
    const module = loader.includes('projections/queries/dashboard') ? 'projections/queries/dashboard.ts' : 'a stand-in (app/utils/dashboard-queries.server.ts)'
    log(
      `GET / over HTTP (${RUNS} runs, loader's queries from ${module}): p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms; load ${loadText()}`,
    )
    return { p50: percentile(ms, 50), p95: percentile(ms, 95), load: [load0, os.loadavg()] }
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
