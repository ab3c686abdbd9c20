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
import { addDays, parisDay } from '../domain/shared/paris-time.js'
import { startProjector } from '../projections/projector.js'
import { rebuildProjections } from '../projections/rebuild.js'
import { funnel, goalsProgress, kpis, openPipelineFor, recentActivity, revenueTrend, topPerformers } from '../projections/queries/dashboard.js'
import type { DashboardFilter } from '../projections/queries/dashboard.types.js'
import {
  postgresFunnel, postgresGoalsProgress, postgresKpis, postgresPipelineByStage, postgresRecentActivity, postgresRevenueTrend, postgresTopPerformers,
} from '../projections/testing/dashboard-reference.js'

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
// What is timed is the dashboard loader's work (app/utils/dashboard.server.ts
// loadWidgetData) for every widget kind, called as it calls them: the workspace's
// stages from Postgres, then all widget queries at once (kpis, funnel, top performers,
// revenue trend, goals, 10 recent items and the names of their companies, pipeline by
// stage), for the admin's view of the last 30 days, per widget. Then GET / over HTTP
// as the signed-in admin (the built app, `npm run build` first, served by serveApp):
// the real route, loader and rendering included — the headline `dashboard_*` figures
// and the ratio are those (--no-http leaves it out and falls back to the loader's).
// Then the same figures from Postgres (projections/testing/dashboard-reference.ts:
// SQL over deals, events, activities, goals, users), the way the dashboard would
// compute them without ClickHouse. The last line printed is one JSON object.

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
const loadText = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ')

type Dataset = { deals: number; activitiesPerDeal: number; asOf: string; workspaceId: string; seededMs: number }

async function ensureSeeded(db: Db): Promise<Dataset> {
  const file = path.join(DIR, 'dataset.json')
  if (await isSeeded(db)) {
    const d = JSON.parse(fs.readFileSync(file, 'utf8')) as Dataset
    if (d.deals !== DEALS || d.activitiesPerDeal !== PER_DEAL) throw new Error(`${DIR} holds ${d.deals} deals × ${d.activitiesPerDeal} activities: pass the same options, or --reset`)
    return d
  }
  log(`seeding ${DEALS} deals, ${PER_DEAL} activities per deal (kept in ${DIR})…`)
  const t = performance.now()
  const { workspaceId } = await seedDemo(db, { deals: DEALS, organisations: Math.max(100, Math.round(DEALS / 4)), activitiesPerDeal: PER_DEAL, asOf: AS_OF, log })
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
    projectionLag(db).then((l) => log(`… ${l.events} events to go (${Math.round((performance.now() - t) / 1000)} s)`), () => {})
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
  for (const table of ['deals_daily', 'deals_monthly', 'deals_open', 'deals_open_daily', 'deal_created', 'deal_timeline', 'activity_timeline', 'goals', 'users_teams', 'teams']) {
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
    const rows = await chQuery<{ table: string; n: string; parts: string }>(ch, `
      SELECT table, toString(sum(rows)) AS n, toString(count()) AS parts FROM system.parts
      WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table`)
    log(`ClickHouse rows (active parts): ${rows.map((r) => `${r.table} ${r.n} (${r.parts})`).join(', ')}`)

    const to = addDays(parisDay(AS_OF), -1)
    const f: DashboardFilter = { workspaceId: ws, from: addDays(to, -29), to, ownerIds: null, teamId: null }
    const users = await db.selectFrom('users').select(['id', 'full_name']).where('workspace_id', '=', ws).execute()
    const names = Object.fromEntries(users.map((u) => [u.id, u.full_name]))
    const period = f.to.slice(0, 7)

    // The loader's work for every widget, as app/utils/dashboard.server.ts does it.
    const widgets: Widget[] = ['stages', 'kpis', 'funnel', 'top-performers', 'revenue-trend', 'goals', 'recent-activity', 'pipeline-by-stage'].map((name) => ({ name, ms: [] }))
    const timed = async <T>(i: number, p: () => Promise<T>): Promise<T> => {
      const t = performance.now()
      try { return await p() } finally { widgets[i].ms.push(performance.now() - t) }
    }
    const dashboard = async () => {
      const stages = await timed(0, () => loadStages(db, ws))
      await Promise.all([
        timed(1, () => kpis(ch, f)),
        timed(2, () => funnel(ch, f, stages)),
        timed(3, () => topPerformers(ch, f, names)),
        timed(4, () => revenueTrend(ch, f)),
        timed(5, () => goalsProgress(ch, f, period)),
        timed(6, async () => {
          const items = await recentActivity(ch, f, 10)
          const orgIds = [...new Set(items.map((x) => x.organisation_id).filter((x): x is string => !!x))]
          return orgIds.length ? db.selectFrom('organisations').select(['id', 'name']).where('workspace_id', '=', ws).where('id', 'in', orgIds).execute() : []
        }),
        timed(7, () => openPipelineFor(ch, f)),
      ])
    }
    const pgWidgets: Widget[] = ['kpis', 'funnel', 'top-performers', 'revenue-trend', 'goals', 'recent-activity', 'pipeline-by-stage'].map((name) => ({ name, ms: [] }))
    const pgTimed = async <T>(i: number, p: () => Promise<T>): Promise<T> => {
      const t = performance.now()
      try { return await p() } finally { pgWidgets[i].ms.push(performance.now() - t) }
    }
    const postgres = async () => {
      await loadStages(db, ws)
      await Promise.all([
        pgTimed(0, () => postgresKpis(db, f)), pgTimed(1, () => postgresFunnel(db, f)), pgTimed(2, () => postgresTopPerformers(db, f, names)),
        pgTimed(3, () => postgresRevenueTrend(db, f)), pgTimed(4, () => postgresGoalsProgress(db, f, period)),
        pgTimed(5, () => postgresRecentActivity(db, f, 10)), pgTimed(6, () => postgresPipelineByStage(db, f)),
      ])
    }

    // Same figures on both sides before timing anything.
    const k = await kpis(ch, f)
    const pk = await postgresKpis(db, f)
    if (JSON.stringify(k) !== JSON.stringify(pk)) throw new Error(`ClickHouse and Postgres disagree: ${JSON.stringify(k)} vs ${JSON.stringify(pk)}`)
    log(`period ${f.from} → ${f.to}: ${k.current.won_count} won (${(k.current.revenue_won_cents / 100).toLocaleString('fr-FR')} €), ${k.current.lost_count} lost, open pipeline ${(k.current.open_pipeline_cents / 100).toLocaleString('fr-FR')} €`)

    for (let i = 0; i < 3; i++) await dashboard()
    for (const w of widgets) w.ms.length = 0
    const total: number[] = []
    const cpu0 = process.cpuUsage()
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now()
      await dashboard()
      total.push(performance.now() - t)
    }
    const cpu = process.cpuUsage(cpu0)
    total.sort((a, b) => a - b)
    const dash = { p50: percentile(total, 50), p95: percentile(total, 95), max: total[total.length - 1] }
    log(`dashboard (ClickHouse, ${RUNS} runs): p50 ${dash.p50.toFixed(1)} ms, p95 ${dash.p95.toFixed(1)} ms, max ${dash.max.toFixed(1)} ms; process CPU ${Math.round((cpu.user + cpu.system) / 1000 / RUNS)} ms per dashboard; load ${loadText()}`)
    for (const w of widgets) {
      const s = [...w.ms].sort((a, b) => a - b)
      log(`  ${w.name.padEnd(18)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms, p95 ${percentile(s, 95).toFixed(1).padStart(6)} ms`)
    }

    await postgres()
    for (const w of pgWidgets) w.ms.length = 0
    const pgTotal: number[] = []
    for (let i = 0; i < PG_RUNS; i++) {
      const t = performance.now()
      await postgres()
      pgTotal.push(performance.now() - t)
    }
    pgTotal.sort((a, b) => a - b)
    const pgs = { p50: percentile(pgTotal, 50), p95: percentile(pgTotal, 95) }
    log(`dashboard (Postgres, ${PG_RUNS} runs): p50 ${pgs.p50.toFixed(0)} ms, p95 ${pgs.p95.toFixed(0)} ms (widgets run at once on a pool of connections)`)
    for (const w of pgWidgets) {
      const s = [...w.ms].sort((a, b) => a - b)
      log(`  ${w.name.padEnd(18)} p50 ${percentile(s, 50).toFixed(0).padStart(6)} ms`)
    }
    let http: { p50: number; p95: number } | null = null
    if (args.http && !args['no-http']) http = await overHttp(rt)
    // The headline: the whole page over HTTP when measured, else the loader's queries.
    const headline = http ?? dash
    const ratio = pgs.p95 / headline.p95
    log(`ratio Postgres / ${http ? 'GET / over HTTP' : 'ClickHouse loader'} at p95: ${ratio.toFixed(1)}× (Postgres / loader queries: ${(pgs.p95 / dash.p95).toFixed(1)}×)`)

    console.log(JSON.stringify({
      deals: Number(c.deals), activities: Number(c.activities), events: Number(c.events), runs: RUNS, pg_runs: PG_RUNS,
      dashboard_over: http ? 'http' : 'loader',
      dashboard_p50_ms: round1(headline.p50), dashboard_p95_ms: round1(headline.p95),
      postgres_p50_ms: Math.round(pgs.p50), postgres_p95_ms: Math.round(pgs.p95), ratio: round1(ratio),
      loader_p50_ms: round1(dash.p50), loader_p95_ms: round1(dash.p95),
      ...(projected ? { projected_events: projected.events, projection_s: Math.round(projected.ms / 1000) } : {}),
      seeded_s: Math.round(data.seededMs / 1000), cpus: os.cpus().length, load: os.loadavg().map((x) => round1(x)), node: process.version,
    }))
  } finally {
    await rt.stop()
  }
}

/** GET / as the signed-in demo admin, over real HTTP: the dashboard route with its loader. */
async function overHttp(rt: Awaited<ReturnType<typeof startRuntime>>) {
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
      method: 'POST', body: new URLSearchParams({ email: 'admin@alforis.demo', password: DEMO_PASSWORD, csrf }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
    })
    if (signedIn.res.status !== 302) throw new Error(`login failed: HTTP ${signedIn.res.status}`)
    for (let i = 0; i < 3; i++) await request('/')
    const ms: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now()
      const { res } = await request('/')
      if (res.status !== 200) throw new Error(`GET / answered ${res.status}`)
      ms.push(performance.now() - t)
    }
    ms.sort((a, b) => a - b)
    const loader = fs.readFileSync('app/utils/dashboard-queries.server.ts', 'utf8')
    const module = loader.includes('projections/queries/dashboard') ? 'projections/queries/dashboard.ts' : 'a stand-in (app/utils/dashboard-queries.server.ts)'
    log(`GET / over HTTP (${RUNS} runs, loader's queries from ${module}): p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms; load ${loadText()}`)
    return { p50: percentile(ms, 50), p95: percentile(ms, 95) }
  } finally {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
