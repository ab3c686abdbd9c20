import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestApp, type TestApp, type WebClient } from './testing/app-server.js'

// Fuzz of every route's params, query and form fields (issue 12): about 20 seeded-random
// requests per route, signed in as an admin, against the built app on loopback. Hostile
// input must get a 4xx or a page, never a 5xx. The seed is fixed, so a failure replays.

const SEED = 0x12ed6e
const CASES_PER_ROUTE = 20
const ROUTES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'routes')

function mulberry32(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = mulberry32(SEED)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!

/** `deals.$id_.send.tsx` → `/deals/:id/send` (Remix flat routes); null for files that are not routes. */
function urlPattern(file: string): string | null {
  if (/\.test\.tsx?$/.test(file) || !/\.(tsx?|jsx?)$/.test(file)) return null
  const base = file.replace(/\.(tsx?|jsx?)$/, '')
  const segments: string[] = []
  let current = ''
  for (let i = 0; i < base.length; i++) {
    const c = base[i]!
    if (c === '[') {
      const end = base.indexOf(']', i)
      current += base.slice(i + 1, end)
      i = end
    } else if (c === '.') {
      segments.push(current)
      current = ''
    } else current += c
  }
  segments.push(current)
  const parts = segments
    .filter((s) => s !== '_index' && !/^_/.test(s))
    .map((s) => s.replace(/_$/, ''))
    .map((s) => (s.startsWith('$') ? `:${s.slice(1)}` : s))
  return '/' + parts.join('/').replace(/\/:(\w+)\.(\w+)$/, '/:$1.$2')
}

/** Field and parameter names the route reads, with the values its source compares them to (intents). */
function namesIn(source: string) {
  const grab = (re: RegExp) => [...source.matchAll(re)].map((m) => m[1]!)
  const fields = new Set([
    ...grab(/name="([\w.-]+)"/g),
    ...grab(/form\.get(?:All)?\('([\w.-]+)'\)/g),
    ...grab(/text\(form, '([\w.-]+)'\)/g),
    'intent',
    'commandId',
    'redirectTo',
  ])
  const query = new Set([...grab(/searchParams\.get(?:All)?\('([\w.-]+)'\)/g), ...grab(/\bp(?:arams)?\.get\('([\w.-]+)'\)/g), 'q', 'page', 'sort'])
  const words = new Set([...grab(/(?:intent|kind|action|mode) === '([\w.-]+)'/g), ...grab(/value="([\w.-]+)"/g)])
  return { fields: [...fields], query: [...query], words: [...words] }
}

// Values a browser, a fat finger or an attacker sends.
const HOSTILE = [
  '',
  ' ',
  'a'.repeat(5000),
  '-1',
  '0',
  '1e308',
  '99999999999999999999999',
  '3.14',
  'NaN',
  'true',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31T25:61',
  "'; drop table deals; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%',
  '%E0%A4%A',
  '\\',
  '//evil.example',
  '/\t/evil.example',
  'ligne\r\nSet-Cookie: x=1',
  'Zoë 😀 日本語',
  '\u202e\u0000\u0001',
  '{"a":1}',
  '[]',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '12345678-1234-1234-1234-1234567890ab',
]

type Route = { file: string; pattern: string; fields: string[]; query: string[]; words: string[] }

function routes(): Route[] {
  return fs
    .readdirSync(ROUTES_DIR)
    .map((file) => ({ file, pattern: urlPattern(file) }))
    .filter((r): r is { file: string; pattern: string } => r.pattern !== null)
    .map((r) => ({ ...r, ...namesIn(fs.readFileSync(path.join(ROUTES_DIR, r.file), 'utf8')) }))
}

let app: TestApp
let admin: WebClient
let realIds: string[] = []
const fiveHundreds: string[] = []
const slowest = { ms: 0, what: '' }

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  const w = await givenWorkspace(app.rt.db)
  const organisationId = await givenOrganisation(app.rt.db, w.ctx())
  const dealId = await givenDeal(app.rt.db, w.ctx(), { organisationId })
  realIds = [organisationId, dealId, w.users.admin, w.users.commercial]
  admin = await app.login(w.emails.admin)
}, 120_000)
afterAll(async () => {
  await app?.stop()
})

const value = (words: string[]) => (random() < 0.25 && words.length ? pick(words) : random() < 0.15 ? pick(realIds) : pick(HOSTILE))
// URLSearchParams percent-encodes; %00 is left out here (the edge refuses it with 400, tested in edge.test.ts).
const paramValue = (words: string[]) => encodeURIComponent(value(words).replace(/\0/g, ''))

function urlFor(route: Route): string {
  const p = route.pattern.replace(/:(\w+)/g, () => paramValue(route.words))
  const q = new URLSearchParams()
  for (const name of route.query) if (random() < 0.5) q.set(name, value(route.words).replace(/\0/g, ''))
  const search = q.toString()
  return search ? `${p}?${search}` : p
}

function formFor(route: Route): Record<string, string> {
  const f: Record<string, string> = {}
  for (const name of route.fields) if (name !== 'csrf' && random() < 0.7) f[name] = value(route.words)
  return f
}

describe('fuzz over every route', () => {
  it('answers hostile params, queries and forms without a 5xx', async () => {
    const all = routes()
    expect(all.length).toBeGreaterThan(40)
    // Every case is drawn first (the seed fixes them all), then sent four at a time.
    const cases = all.flatMap((route) => {
      // logout ends the session the other routes need; it is a form with no fields anyway.
      const posts = route.file.startsWith('logout') ? 0 : Math.floor(CASES_PER_ROUTE / 2)
      return Array.from({ length: CASES_PER_ROUTE }, (_, i) => {
        const post = i < posts
        return { route, post, url: urlFor(route), form: post ? formFor(route) : null }
      })
    })
    const started = Date.now()
    const send = async ({ route, post, url, form }: (typeof cases)[number]) => {
      // An event stream never ends: its GETs are only checked for their status line.
      const streaming = route.file.includes('.stream')
      const t0 = Date.now()
      const ctrl = new AbortController()
      const res = form
        ? (await admin.post(url, form)).res
        : await admin.request(url, { signal: ctrl.signal }).then(async (r) => {
            if (streaming) ctrl.abort()
            else await r.arrayBuffer()
            return r
          })
      const ms = Date.now() - t0
      if (ms > slowest.ms) Object.assign(slowest, { ms, what: `${post ? 'POST' : 'GET'} ${url}` })
      // /healthz answers 503 by contract when a store or the projector (off here) is behind.
      const healthContract = route.file === 'healthz.ts' && res.status === 503
      if (res.status >= 500 && !healthContract) fiveHundreds.push(`${post ? 'POST' : 'GET'} ${url} → ${res.status} (${route.file})`)
    }
    let next = 0
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < cases.length) await send(cases[next++]!)
      }),
    )
    const requests = cases.length
    console.log(`slowest: ${slowest.ms} ms ${slowest.what}`)
    console.log(`fuzz: ${requests} requests over ${all.length} routes in ${Date.now() - started} ms`)
    expect(fiveHundreds).toEqual([])
  }, 600_000)
})
