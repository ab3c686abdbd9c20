import { randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { startRuntime } from '../runtime/runtime.js'
import { DEMO_LOGINS } from '../seed/demo-logins.js'
import { DEMO_WORKSPACE } from '../seed/demo-team.js'
import { seedDemo } from '../seed/seed.js'
import { serveApp } from '../server.js'

// npm run bench:crm [-- --organisations 100000 --deals 1000000 --samples 100 --fresh --tmp --paths list,search,board,stage,export,concurrent --clients 20 --concurrent-requests 25 --concurrent-seconds 60]
//
// The CRM's interactive paths over HTTP against the built app, on the demo workspace
// seeded at scale through the seed's bulk path (db/seed/seed.ts): the deal list (first
// page, a filtered page, a page deep in the list, as admin and as a commercial), the
// global search with a misspelt name, the pipeline board, and a stage change posted
// from the deal page's form. Loaders are timed through single fetch's `.data` URL for
// their route alone; the full pages are timed too: the HTML document of the deal list
// and of the pipeline board, as a browser's first visit gets it (every loader of the
// page — root and route — run, the page rendered, the loaders' data streamed inline in
// the same response by single fetch; read to its last byte; `list_page_p95_ms`,
// `board_page_p95_ms`). Requests run one at a time; p50/p95 per path. Then a concurrent
// phase: --clients signed-in clients (admins and commercials, half each) at once, each
// asking --concurrent-requests full pages in turn from a mix (deal list, a rep's
// filtered list, board, organisation list, search with a typo), bounded by
// --concurrent-seconds: `concurrent_p50_ms`, `concurrent_p95_ms` over every request,
// `concurrent_rps` = requests answered ÷ the phase's wall time.
//
// The dataset is kept in .data/bench-crm between runs (seeding a million deals takes
// minutes) and re-seeded when its size differs or with --fresh; --tmp uses a throwaway
// directory instead. Postgres runs with fsync off (a bench cluster, never real data).
// The last line printed is one JSON object, with `loadavg` (os.loadavg(), at the end;
// `load_at_start` beside it): the machine may be shared.

const { values: args } = parseArgs({
  options: {
    organisations: { type: 'string', default: '100000' },
    deals: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '100' },
    // Samples for the search and the board (slow when they miss their target).
    'slow-samples': { type: 'string', default: '100' },
    'data-dir': { type: 'string', default: '.data/bench-crm' },
    fresh: { type: 'boolean', default: false },
    tmp: { type: 'boolean', default: false },
    // Which paths to time: list,search,board,stage,export (all by default).
    paths: { type: 'string', default: 'list,search,board,stage,export,concurrent' },
    clients: { type: 'string', default: '20' },
    'concurrent-requests': { type: 'string', default: '25' },
    'concurrent-seconds': { type: 'string', default: '60' },
  },
})
const PATHS = new Set(args.paths!.split(','))
const ORGANISATIONS = Number(args.organisations)
const DEALS = Number(args.deals)
const SAMPLES = Number(args.samples)
const log = (m: string) => console.log(`[bench] ${m}`)
const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)))

// ---- a small browser: cookies, the session's CSRF token, no redirects followed --------

class Client {
  cookies = new Map<string, string>()
  csrf = ''
  constructor(readonly base: string) {}
  async request(p: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const res = await fetch(new URL(p, this.base), { ...init, headers, redirect: 'manual' })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair.indexOf('=')
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim())
    }
    return res
  }
  async get(p: string) {
    const res = await this.request(p)
    const html = await res.text()
    const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1]
    if (token) this.csrf = token
    return { res, html }
  }
  async post(p: string, fields: Record<string, string>) {
    const res = await this.request(p, {
      method: 'POST',
      body: new URLSearchParams({ ...fields, csrf: this.csrf }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: this.base },
    })
    return res
  }
}

async function login(base: string, email: string, password: string) {
  const c = new Client(base)
  await c.get('/login')
  const res = await c.post('/login', { email, password })
  await res.arrayBuffer()
  if (res.status !== 302) throw new Error(`connexion de ${email} refusée : HTTP ${res.status}`)
  await c.get('/deals')
  return c
}

// ---- timing -------------------------------------------------------------------------

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
const round = (n: number) => Math.round(n * 10) / 10

/** Warm-up, then `SAMPLES` timed runs of `run(i)`; each must answer `expect`. */
async function measure(name: string, run: (i: number) => Promise<Response>, expect = 200, samples = SAMPLES) {
  const once = async (i: number) => {
    const t0 = performance.now()
    const res = await run(i)
    await res.arrayBuffer()
    const ms = performance.now() - t0
    if (res.status !== expect) throw new Error(`${name}: HTTP ${res.status} (attendu ${expect})`)
    return ms
  }
  for (let i = 0; i < 5; i++) await once(samples + i)
  const times: number[] = []
  for (let i = 0; i < samples; i++) times.push(await once(i))
  times.sort((a, b) => a - b)
  const r = { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(times[times.length - 1]) }
  log(`${name.padEnd(32)} p50 ${String(r.p50).padStart(6)} ms   p95 ${String(r.p95).padStart(6)} ms   max ${String(r.max).padStart(6)} ms`)
  return r
}

/** A name with one typo: a letter dropped, doubled or two swapped, as people type. */
function misspell(name: string, i: number) {
  const word = name.split(/\s+/).sort((a, b) => b.length - a.length)[0] ?? name
  const k = 1 + (i % Math.max(1, word.length - 2))
  switch (i % 3) {
    case 0:
      return word.slice(0, k) + word.slice(k + 1)
    case 1:
      return word.slice(0, k) + word[k] + word.slice(k)
    default:
      return word.slice(0, k - 1) + word[k] + word[k - 1] + word.slice(k + 1)
  }
}

async function main() {
  process.env.SESSION_SECRET ??= randomBytes(32).toString('base64url')
  const dataDir = args.tmp ? fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-bench-crm-')) : path.resolve(args['data-dir']!)
  const marker = path.join(dataDir, 'dataset.json')
  const wanted = { organisations: ORGANISATIONS, deals: DEALS, seed: 42 }
  const have = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : null
  if (args.fresh || have !== JSON.stringify(wanted)) {
    if (fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))) throw new Error(`PostgreSQL tourne encore sur ${dataDir}/pg`)
    for (const d of ['pg', 'ch']) fs.rmSync(path.join(dataDir, d), { recursive: true, force: true })
    fs.rmSync(marker, { force: true })
  }

  const rt = await startRuntime({ dataDir, seed: false, projector: false, jobs: 'off', ephemeral: true, log })
  let server: Awaited<ReturnType<typeof serveApp>> | null = null
  try {
    if (!fs.existsSync(marker)) {
      const t = performance.now()
      await seedDemo(rt.db, { organisations: ORGANISATIONS, deals: DEALS, invoicedDeals: 0, log })
      log(`jeu de données : ${ORGANISATIONS} organisations, ${DEALS} affaires en ${Math.round((performance.now() - t) / 1000)} s`)
      const v = performance.now()
      await sql`vacuum analyze`.execute(rt.db)
      log(`vacuum analyze en ${Math.round((performance.now() - v) / 1000)} s`)
      fs.writeFileSync(marker, JSON.stringify(wanted))
    } else {
      log(`jeu de données conservé (${dataDir}) : ${ORGANISATIONS} organisations, ${DEALS} affaires`)
    }

    server = await serveApp(rt, { port: 0, host: '127.0.0.1' })
    const loadAtStart = loadavg()
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const adminLogin = DEMO_LOGINS.find((l) => l.role === 'admin')!
    const repLogin = DEMO_LOGINS.find((l) => l.role === 'commercial')!
    const admin = await login(base, adminLogin.email, adminLogin.password)
    const rep = await login(base, repLogin.email, repLogin.password)

    const ws = await rt.db.selectFrom('workspaces').select('id').where('slug', '=', DEMO_WORKSPACE.slug).executeTakeFirstOrThrow()
    // A cursor half-way down the default order (created_at desc): keyset pages cost the same there.
    const middle = await sql<{ k: string; id: string }>`
      select created_at::text as k, id from deals where workspace_id = ${ws.id} and deleted_at is null
      order by created_at desc, id desc offset ${Math.floor(DEALS / 2)} limit 1`.execute(rt.db)
    const deepCursor = middle.rows[0] ? Buffer.from(JSON.stringify([middle.rows[0].k, middle.rows[0].id])).toString('base64url') : ''
    const names = (
      await sql<{ name: string }>`select name from organisations where workspace_id = ${ws.id} order by md5(id::text) limit ${SAMPLES + 5}`.execute(rt.db)
    ).rows.map((r) => r.name)
    const terms = names.map((n, i) => misspell(n, i))
    const openDeals = (
      await sql<{ id: string; stage: string }>`
      select id, stage from deals where workspace_id = ${ws.id} and deleted_at is null and stage in ('PROSPECT', 'QUALIFICATION', 'PROPOSITION')
      order by md5(id::text) limit ${SAMPLES + 5}`.execute(rt.db)
    ).rows
    const nextStage: Record<string, string> = { PROSPECT: 'QUALIFICATION', QUALIFICATION: 'PROPOSITION', PROPOSITION: 'NEGOCIATION' }

    // A rep's working view (one owner's open deals by close date), and a narrow report-like
    // combination on columns without an index of their own, far down the amount order.
    const seller = await rt.db.selectFrom('users').select('id').where('email', '=', repLogin.email).executeTakeFirstOrThrow()
    const filtered = `/deals?responsable=${seller.id}&etat=ouvertes&tri=cloture`
    const narrow = '/deals?etat=ouvertes&categorie=Licences&region=Bretagne&montant_min=10000&tri=montant'
    const skipped = { p50: null, p95: null, max: null }
    const when = <T>(p: string, f: () => Promise<T>) => (PATHS.has(p) ? f() : Promise.resolve(skipped as T))
    // Loaders alone (single fetch's `.data`, one route), as the brief times them; the deal
    // list's full page (root loader, rendering, HTML) beside them.
    const data = (p: string, route: string) => `${p.replace(/\?|$/, (m) => `.data${m}`)}${p.includes('?') ? '&' : '?'}_routes=${encodeURIComponent(route)}`
    const L = 'routes/deals._index'
    // A full page is the document with its data: single fetch streams the loaders' data
    // inline (window.__remixContext.streamController); a page without it would not be one.
    for (const p of ['/deals', '/pipeline']) {
      const { res, html } = await admin.get(p)
      if (res.status !== 200 || !html.includes('__remixContext') || !html.includes('streamController.enqueue'))
        throw new Error(`${p} : le document ne porte pas les données des loaders (HTTP ${res.status})`)
    }
    const list = await when('list', () => measure('liste des affaires (page 1)', () => admin.request(data('/deals', L))))
    const listPage = await when('list', () => measure('  page complète (HTML)', () => admin.request('/deals')))
    const listFiltered = await when('list', () => measure('liste filtrée (vendeur, clôture)', () => admin.request(data(filtered, L))))
    const listFilteredPage = await when('list', () => measure('  page complète (HTML)', () => admin.request(filtered)))
    const listNarrow = await when('list', () => measure('liste filtrée étroite (montant)', () => admin.request(data(narrow, L))))
    const listDeep = await when('list', () => measure('liste, page à mi-chemin', () => admin.request(data(`/deals?apres=${deepCursor}`, L))))
    const listRep = await when('list', () => measure('liste, commercial', () => rep.request(data('/deals', L))))
    const orgs = await when('list', () =>
      measure('liste des organisations', () => admin.request(data('/organisations?statut=client&tri=creation', 'routes/organisations._index'))),
    )
    const SLOW = Number(args['slow-samples'])
    const searchOk = PATHS.has('search') ? (await admin.request('/search?q=test')).status : 0
    const search =
      searchOk === 404
        ? null
        : await when('search', () =>
            measure('recherche (faute de frappe)', (i) => admin.request(data(`/search?q=${encodeURIComponent(terms[i])}`, 'routes/search')), 200, SLOW),
          )
    const boardOk = PATHS.has('board') ? (await admin.request('/pipeline')).status : 0
    const board =
      boardOk === 404 ? null : await when('board', () => measure('tableau du pipeline', () => admin.request(data('/pipeline', 'routes/pipeline')), 200, SLOW))
    const boardPage = boardOk === 404 ? null : await when('board', () => measure('  page complète (HTML)', () => admin.request('/pipeline'), 200, SLOW))

    // A stage change as the deal page's form posts it (the page itself is fetched untimed).
    const stageChange = await when('stage', async () => {
      const forms: { id: string; version: string; stage: string }[] = []
      for (const d of openDeals) {
        const { html } = await admin.get(`/deals/${d.id}`)
        const version = /name="intent" value="stage"[\s\S]*?name="version" value="(\d+)"/.exec(html)?.[1]
        if (!version) throw new Error(`formulaire d'étape introuvable sur /deals/${d.id}`)
        forms.push({ id: d.id, version, stage: nextStage[d.stage] })
      }
      let s = 0
      const r = await measure(
        "changement d'étape (POST)",
        () => {
          const f = forms[s++]
          return admin.post(`/deals/${f.id}`, { intent: 'stage', commandId: randomUUID(), version: f.version, stage: f.stage, lost_reason: '' })
        },
        302,
      )
      const after = await rt.db
        .selectFrom('deals')
        .select(['id', 'stage'])
        .where(
          'id',
          'in',
          forms.slice(0, s).map((f) => f.id),
        )
        .execute()
      const moved = after.filter((d) => d.stage === forms.find((f) => f.id === d.id)!.stage).length
      log(`${moved} / ${s} affaires à leur nouvelle étape (vérifié en base)`)
      if (moved !== s) throw new Error("des changements d'étape ne sont pas en base")
      return r
    })

    // One export of the whole list (capped at 100 000 rows), streamed.
    let exportMs: number | null = null
    if (PATHS.has('export')) {
      const t = performance.now()
      const exp = await admin.request('/deals/export?format=csv')
      const bytes = (await exp.arrayBuffer()).byteLength
      exportMs = Math.round(performance.now() - t)
      log(`export CSV plafonné (100 000 lignes) : ${exportMs} ms, ${(bytes / 1e6).toFixed(1)} Mo`)
    }

    // Concurrent phase: CLIENTS signed-in clients at once, each asking full pages in turn.
    const concurrent = await when('concurrent', async () => {
      const CLIENTS = Number(args.clients)
      const PER = Number(args['concurrent-requests'])
      const clients = [admin, rep]
      for (let i = 2; i < CLIENTS; i++) clients.push(await login(base, (i % 2 ? repLogin : adminLogin).email, (i % 2 ? repLogin : adminLogin).password))
      const until = Date.now() + Number(args['concurrent-seconds']) * 1000
      const pages = (i: number) =>
        ['/deals', filtered, '/pipeline', '/organisations?statut=client&tri=creation', `/search?q=${encodeURIComponent(terms[i % terms.length])}`][i % 5]
      const times: number[] = []
      const byPage = new Map<string, number[]>()
      const load0 = loadavg()
      const t0 = performance.now()
      await Promise.all(
        clients.slice(0, CLIENTS).map(async (c, k) => {
          for (let i = 0; i < PER && Date.now() < until; i++) {
            const p = pages(k + i)
            const t = performance.now()
            const res = await c.request(p)
            await res.arrayBuffer()
            if (res.status !== 200) throw new Error(`concurrent ${p}: HTTP ${res.status}`)
            times.push(performance.now() - t)
            const kind = p.split('?')[0] + (p === filtered ? '?responsable' : '')
            byPage.set(kind, [...(byPage.get(kind) ?? []), performance.now() - t])
          }
        }),
      )
      const wall = (performance.now() - t0) / 1000
      times.sort((a, b) => a - b)
      const r = {
        p50: round(percentile(times, 50)),
        p95: round(percentile(times, 95)),
        max: round(times[times.length - 1]),
        rps: round(times.length / wall),
        requests: times.length,
        clients: CLIENTS,
        load_at_start: load0,
      }
      for (const [k, xs] of byPage) {
        xs.sort((a, b) => a - b)
        log(
          `  ${k.padEnd(30)} ${xs.length} pages, p50 ${round(percentile(xs, 50))} ms, p95 ${round(percentile(xs, 95))} ms, max ${round(xs[xs.length - 1])} ms`,
        )
      }
      log(
        `${CLIENTS} clients à la fois, ${times.length} pages complètes en ${wall.toFixed(1)} s : p50 ${r.p50} ms, p95 ${r.p95} ms, max ${r.max} ms, ${r.rps} pages/s ; charge ${load0.join(' ')} → ${loadavg().join(' ')}`,
      )
      return r
    })

    const result = {
      organisations: ORGANISATIONS,
      deals: DEALS,
      samples: SAMPLES,
      list_p50_ms: list.p50,
      list_p95_ms: list.p95,
      list_page_p95_ms: listPage.p95,
      list_filtered_p50_ms: listFiltered.p50,
      list_filtered_p95_ms: listFiltered.p95,
      list_filtered_page_p95_ms: listFilteredPage.p95,
      list_narrow_p95_ms: listNarrow.p95,
      list_deep_p95_ms: listDeep.p95,
      list_commercial_p95_ms: listRep.p95,
      organisations_list_p95_ms: orgs.p95,
      search_p50_ms: search?.p50 ?? null,
      search_p95_ms: search?.p95 ?? null,
      board_p50_ms: board?.p50 ?? null,
      board_p95_ms: board?.p95 ?? null,
      board_page_p50_ms: boardPage?.p50 ?? null,
      board_page_p95_ms: boardPage?.p95 ?? null,
      list_page_p50_ms: listPage.p50,
      stage_change_p50_ms: stageChange.p50,
      stage_change_p95_ms: stageChange.p95,
      export_100k_csv_ms: exportMs,
      concurrent_clients: (concurrent as { clients?: number }).clients ?? null,
      concurrent_requests: (concurrent as { requests?: number }).requests ?? null,
      concurrent_p50_ms: concurrent.p50,
      concurrent_p95_ms: concurrent.p95,
      concurrent_rps: (concurrent as { rps?: number }).rps ?? null,
      load_at_start: loadAtStart,
      loadavg: loadavg(),
      cpus: os.cpus().length,
    }
    if (searchOk === 404) log('/search introuvable (404) : non mesuré')
    if (boardOk === 404) log('/pipeline introuvable (404) : non mesuré')
    console.log(JSON.stringify(result))
  } finally {
    if (server) {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server!.close(() => resolve()))
    }
    await rt.stop()
    if (args.tmp) fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
