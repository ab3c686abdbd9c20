import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import { startRuntime } from '../runtime/runtime.js'
import { DEMO_LOGINS } from '../seed/demo-logins.js'
import { seedDemo, SEED_DEFAULTS } from '../seed/seed.js'
import { serveApp } from '../server.js'

// npm run bench:pwa [-- --pages /,/pipeline,@account,/tasks --role admin --fresh --tmp --reports dir]
//
// Lighthouse 12.2.3 (its default config: mobile emulation, simulated slow 4G and 4× CPU
// slowdown) on the Chromium the browser tests use (/usr/bin/chromium), signed in (the
// session cookie passed as an extra header), against the built app started on the demo
// data (seed/seed.ts defaults: 1 500 organisations, 6 000 deals), with the projector
// caught up so the dashboard shows real figures. One run per page, pages in turn.
// `@account` stands for the record page of the signed-in user's first account by name
// (an organisation page with its deals, contacts and timeline).
// The data set stays in .data/bench-pwa between runs (--fresh re-seeds, --tmp uses a
// throwaway directory). The last line printed is one JSON object: `pages` (each page's
// scores 0–100 and its main metrics), `performance_min`, `accessibility_min`,
// `best_practices_min`, `loadavg` (the machine is shared: read the scores with it).

const { values: args } = parseArgs({
  options: {
    pages: { type: 'string', default: '/,/pipeline,@account,/tasks' },
    role: { type: 'string', default: 'admin' },
    'data-dir': { type: 'string', default: '.data/bench-pwa' },
    fresh: { type: 'boolean', default: false },
    tmp: { type: 'boolean', default: false },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    // A directory to keep each page's full Lighthouse report in (JSON), to see what blocks.
    reports: { type: 'string' },
  },
})
const log = (m: string) => console.log(`[bench] ${m}`)
const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)))

async function login(base: string, email: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`, { redirect: 'manual' })
  const cookies = new Map<string, string>()
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair.indexOf('=')
      cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim())
    }
  }
  keep(page)
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ''
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ email, password, csrf }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base, Cookie: header() },
  })
  await res.arrayBuffer()
  if (res.status !== 302) throw new Error(`connexion de ${email} refusée : HTTP ${res.status}`)
  keep(res)
  return header()
}

type Scores = { performance: number; accessibility: number; best_practices: number; tbt_ms: number; lcp_ms: number; fcp_ms: number; cls: number; bytes: number }

async function main() {
  process.env.SESSION_SECRET ??= randomBytes(32).toString('base64url')
  const dataDir = args.tmp ? fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-bench-pwa-')) : path.resolve(args['data-dir']!)
  const marker = path.join(dataDir, 'dataset.json')
  const wanted = { organisations: SEED_DEFAULTS.organisations, deals: SEED_DEFAULTS.deals, seed: SEED_DEFAULTS.seed }
  if (args.fresh || (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') !== JSON.stringify(wanted))) {
    for (const d of ['pg', 'ch']) fs.rmSync(path.join(dataDir, d), { recursive: true, force: true })
    fs.rmSync(marker, { force: true })
  }
  const rt = await startRuntime({ dataDir, seed: false, projector: true, jobs: 'off', ephemeral: true, log })
  let server: Awaited<ReturnType<typeof serveApp>> | null = null
  let chrome: chromeLauncher.LaunchedChrome | null = null
  try {
    if (!fs.existsSync(marker)) {
      const t = performance.now()
      await seedDemo(rt.db, { log })
      log(`données de démonstration en ${Math.round((performance.now() - t) / 1000)} s`)
      fs.writeFileSync(marker, JSON.stringify(wanted))
    }
    await rt.projector!.waitForCatchUp(30 * 60_000)
    server = await serveApp(rt, { port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const who = DEMO_LOGINS.find((l) => l.role === args.role) ?? DEMO_LOGINS[0]
    const cookie = await login(base, who.email, who.password)

    const loadAtStart = loadavg()
    const pages: Record<string, Scores> = {}
    const accountPage = async () => {
      const org = await rt.db
        .selectFrom('organisations')
        .innerJoin('users', 'users.workspace_id', 'organisations.workspace_id')
        .select('organisations.id')
        .where('users.email', '=', who.email)
        .where('organisations.deleted_at', 'is', null)
        .where((eb) => eb.or([eb('organisations.owner_id', '=', eb.ref('users.id')), eb('organisations.owner_id', 'is', null)]))
        .orderBy('organisations.name')
        .limit(1)
        .executeTakeFirstOrThrow()
      return `/organisations/${org.id}`
    }
    const wantedPages = await Promise.all(args.pages!.split(',').map((p) => (p === '@account' ? accountPage() : p)))
    for (const p of wantedPages) {
      // Warm the server's caches once (compiled SQL, first ClickHouse queries) outside the measure.
      await (await fetch(`${base}${p}`, { headers: { Cookie: cookie } })).arrayBuffer()
      // A fresh browser per page: the service worker a page installs would otherwise answer
      // the next page's navigation itself, without Lighthouse's Cookie header (signed out).
      chrome?.kill()
      chrome = await chromeLauncher.launch({
        chromePath: args.chromium,
        chromeFlags: ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
        logLevel: 'silent',
      })
      const r = await lighthouse(
        `${base}${p}`,
        {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices'],
          extraHeaders: { Cookie: cookie },
        },
        undefined,
      )
      if (!r) throw new Error(`${p} : pas de résultat Lighthouse`)
      const lhr = r.lhr
      if (args.reports) {
        fs.mkdirSync(args.reports, { recursive: true })
        fs.writeFileSync(path.join(args.reports, `${p.replace(/\W+/g, '_') || 'root'}.json`), r.report as string)
      }
      if (lhr.runtimeError) throw new Error(`${p} : ${lhr.runtimeError.code} ${lhr.runtimeError.message}`)
      if (!lhr.finalDisplayedUrl.startsWith(`${base}${p}`)) throw new Error(`${p} : redirigé vers ${lhr.finalDisplayedUrl} (session refusée ?)`)
      const score = (c: string) => Math.round((lhr.categories[c]?.score ?? 0) * 100)
      const num = (a: string) => Math.round(lhr.audits[a]?.numericValue ?? 0)
      pages[p] = {
        performance: score('performance'),
        accessibility: score('accessibility'),
        best_practices: score('best-practices'),
        tbt_ms: num('total-blocking-time'),
        lcp_ms: num('largest-contentful-paint'),
        fcp_ms: num('first-contentful-paint'),
        cls: Number((lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3)),
        bytes: num('total-byte-weight'),
      }
      log(`${p.padEnd(12)} ${JSON.stringify(pages[p])} ; charge ${loadavg().join(' ')}`)
    }
    const min = (k: keyof Scores) => Math.min(...Object.values(pages).map((s) => s[k]))
    console.log(
      JSON.stringify({
        pages,
        performance_min: min('performance'),
        accessibility_min: min('accessibility'),
        best_practices_min: min('best_practices'),
        lighthouse: '12.2.3',
        role: who.role,
        load_at_start: loadAtStart,
        loadavg: loadavg(),
        cpus: os.cpus().length,
      }),
    )
  } finally {
    chrome?.kill()
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
