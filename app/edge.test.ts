import { sql } from 'kysely'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveApp } from '../server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { waitUntil } from '../testing/wait.js'
import { loginRateKey } from './utils/login.server.js'
import { startTestApp, textOf, WebClient, type TestApp } from './testing/app-server.js'

// The web edge under hostile input (issue 12), against the built app, real HTTP and the
// embedded Postgres. TRUST_PROXY is off here, as in production by default.

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false, trustProxy: 'off' })
})
afterAll(async () => {
  await app?.stop()
})

const hits = async (key: string) => Number((await sql<{ hits: number }>`select hits from rate_limits where key = ${key}`.execute(app.rt.db)).rows[0]?.hits ?? 0)

/** A visitor holding the login form's token cookie. */
async function loginVisitor(): Promise<WebClient> {
  const v = app.client()
  await v.get('/login')
  return v
}

describe('redirect after login', () => {
  it.each([
    ['a tab between two slashes', '/\t/evil.example'],
    ['CR/LF', '/\r\n/evil.example'],
    ['a backslash', '/\\evil.example'],
    ['two slashes', '//evil.example'],
    ['encoded slashes', '%2F%2Fevil.example'],
    ['an encoded tab', '/%09/evil.example'],
    ['a character outside Latin-1', '/affaires/日本'],
  ])('stays on the site when redirectTo holds %s', async (_what, redirectTo) => {
    const w = await givenWorkspace(app.rt.db)
    const v = await loginVisitor()
    const { res } = await v.post('/login', { email: w.emails.admin, password: TEST_PASSWORD, redirectTo })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/')
  })

  it('does not carry /%09/evil.example from the login link into the form', async () => {
    const v = app.client()
    const { res, html } = await v.get('/login?redirectTo=%2F%09%2Fevil.example')
    expect(res.status).toBe(200)
    expect(html).toContain('name="redirectTo" value="/"')
    const crlf = await v.get('/login?redirectTo=%2Fdeals%0D%0ASet-Cookie%3A%20x%3D1')
    expect(crlf.res.status).toBe(200)
    expect(crlf.res.headers.getSetCookie().some((c) => c.startsWith('x='))).toBe(false)
  })

  it('still goes back to a page of the site', async () => {
    const w = await givenWorkspace(app.rt.db)
    const v = await loginVisitor()
    const { res } = await v.post('/login', { email: w.emails.admin, password: TEST_PASSWORD, redirectTo: '/deals?etape=PROSPECT' })
    expect(res.headers.get('Location')).toBe('/deals?etape=PROSPECT')
  })
})

describe('rate limits under parallel requests', () => {
  it('60 parallel logins: at most 5 passwords are checked, and the right one sent after them does not get in', async () => {
    const w = await givenWorkspace(app.rt.db)
    const v = await loginVisitor()
    const wrong = Array.from({ length: 59 }, (_, i) => v.post('/login', { email: w.emails.finance, password: `faux-${i}` }))
    // The right password goes once the first five attempts are counted, while the rest are still in flight.
    await waitUntil('five attempts counted', async () => (await hits(loginRateKey(w.emails.finance, '127.0.0.1'))) >= 5)
    const right = await v.post('/login', { email: w.emails.finance, password: TEST_PASSWORD })
    const statuses = (await Promise.all(wrong)).map((r) => r.res.status)
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5)
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(54)
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true)
    expect(right.res.status).toBe(429)
    expect(textOf(right.html)).toContain('Trop de tentatives de connexion')
    expect(v.cookies.has('alforis_session')).toBe(false)
  })

  it('ignores X-Forwarded-For when TRUST_PROXY is off: a new header each try does not reset the count', async () => {
    const w = await givenWorkspace(app.rt.db)
    const v = await loginVisitor()
    for (let i = 0; i < 5; i++) {
      const { res } = await v.post('/login', { email: w.emails.manager, password: 'faux' }, { headers: { 'X-Forwarded-For': `203.0.113.${i + 1}` } })
      expect(res.status).toBe(401)
    }
    const { res } = await v.post('/login', { email: w.emails.manager, password: TEST_PASSWORD }, { headers: { 'X-Forwarded-For': '198.51.100.99' } })
    expect(res.status).toBe(429)
  })

  it('a success clears the count', async () => {
    const w = await givenWorkspace(app.rt.db)
    const v = await loginVisitor()
    for (let i = 0; i < 4; i++) await v.post('/login', { email: w.emails.commercial, password: 'faux' })
    expect((await v.post('/login', { email: w.emails.commercial, password: TEST_PASSWORD })).res.status).toBe(302)
    expect(await hits(loginRateKey(w.emails.commercial, '127.0.0.1'))).toBe(0)
  })

  it('60 parallel guesses of /q/ tokens: exactly 30 are looked up, the others get 429', async () => {
    // A fresh listener on another loopback address gives this test its own client address.
    const server = await serveApp(app.rt, { port: 0, host: '127.0.0.2', trustProxy: 'off' })
    try {
      const base = `http://127.0.0.2:${(server.address() as AddressInfo).port}`
      const guesses = await Promise.all(
        Array.from({ length: 60 }, (_, i) => fetch(`${base}/q/${'g'.repeat(40)}${String(i).padStart(3, '0')}`, { redirect: 'manual' }).then((r) => r.status)),
      )
      expect(guesses.filter((s) => s === 404)).toHaveLength(30)
      expect(guesses.filter((s) => s === 429)).toHaveLength(30)
    } finally {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
  })
})

/** Streams `total` bytes in 64 KB chunks until the server answers; resolves with what was sent by then. */
function streamBody(path: string, opts: { total: number; declareLength: boolean; contentType?: string }) {
  const url = new URL(path, app.url)
  return new Promise<{ status: number; text: string; sentBytes: number }>((resolve, reject) => {
    let sent = 0
    let done = false
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const req = http.request(url, {
      method: 'POST',
      headers: {
        'Content-Type': opts.contentType ?? 'application/x-www-form-urlencoded',
        ...(opts.declareLength ? { 'Content-Length': String(opts.total) } : { 'Transfer-Encoding': 'chunked' }),
      },
    })
    req.on('response', (res) => {
      done = true
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sentBytes: sent }))
      res.on('error', () => resolve({ status: res.statusCode ?? 0, text, sentBytes: sent }))
    })
    req.on('error', (e) => {
      if (!done) reject(e)
    })
    const pump = () => {
      while (!done && sent < opts.total) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!done) req.end()
    }
    pump()
  })
}

describe('request size limits', () => {
  it('answers an anonymous 200 MB login post with 413 before reading it (declared length)', async () => {
    const r = await streamBody('/login', { total: 200 * 1024 * 1024, declareLength: true })
    expect(r.status).toBe(413)
    expect(r.text).toContain('Envoi trop volumineux : 1 Mo au plus')
    expect(r.sentBytes).toBeLessThan(50 * 1024 * 1024)
  }, 30_000)

  it('cuts a chunked 200 MB login post at 1 MB and answers 413', async () => {
    const r = await streamBody('/login', { total: 200 * 1024 * 1024, declareLength: false })
    expect(r.status).toBe(413)
    expect(r.text).toContain('Envoi trop volumineux')
    expect(r.sentBytes).toBeLessThan(50 * 1024 * 1024)
  }, 30_000)

  it('gives imports their own, larger limit', async () => {
    const over = await streamBody('/import', { total: 200 * 1024 * 1024, declareLength: true, contentType: 'multipart/form-data; boundary=x' })
    expect(over.status).toBe(413)
    expect(over.text).toContain('25 Mo au plus')
    // 5 MB is within an import's limit: the edge lets it through to the route (which asks to sign in).
    const within = await streamBody('/import', { total: 5 * 1024 * 1024, declareLength: true, contentType: 'multipart/form-data; boundary=x' })
    expect(within.status).toBe(302)
  }, 30_000)
})

describe('bad input at the edge: a 4xx with a reason, never a 500', () => {
  it('refuses %00 in query parameters', async () => {
    const admin = await app.login((await givenWorkspace(app.rt.db)).emails.admin)
    for (const path of ['/organisations?q=%00', '/deals?etape=%00x', '/login?redirectTo=%00', '/search?q=a%00b']) {
      const { res, html } = await admin.get(path)
      expect(res.status, path).toBe(400)
      expect(textOf(html)).toContain('caractère nul')
    }
  })

  it('answers a foreign Origin with 403 and a reason, before Remix', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    for (const origin of ['https://evil.example', 'null', 'pas une origine']) {
      const { res, html } = await admin.post('/organisations/new', { name: 'Forge Dupont', status: 'prospect' }, { headers: { Origin: origin } })
      expect(res.status, origin).toBe(403)
      expect(textOf(html)).toContain('il vient d’un autre site')
    }
    const data = await admin.post('/organisations/new.data', { name: 'Forge Dupont' }, { headers: { Origin: 'https://evil.example' } })
    expect(data.res.status).toBe(403)
    const count = await app.rt.db
      .selectFrom('organisations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', w.workspaceId)
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(0)
  })

  it('refuses JSON and bodies without a form type on form routes (415)', async () => {
    const v = await loginVisitor()
    const json = await v.request('/login', { method: 'POST', body: '{"email":"a@b.c"}', headers: { 'Content-Type': 'application/json' } })
    expect(json.status).toBe(415)
    expect(await json.text()).toContain('ce formulaire attend des champs de formulaire')
    const none = await v.request('/login', { method: 'POST', body: 'x' })
    expect([400, 415]).toContain(none.status)
    const noBoundary = await v.request('/login', { method: 'POST', body: 'x', headers: { 'Content-Type': 'multipart/form-data' } })
    expect(noBoundary.status).toBe(415)
  })

  it('answers a broken multipart body with 400 and a reason', async () => {
    const w = await givenWorkspace(app.rt.db)
    const admin = await app.login(w.emails.admin)
    for (const [path, client] of [
      ['/login', await loginVisitor()],
      ['/organisations/new', admin],
      ['/import', admin],
    ] as const) {
      const res = await client.request(path, {
        method: 'POST',
        body: '--frontiere\r\nContent-Disposition: form-data; name="email"\r\n\r\ncoupé au milieu',
        headers: { 'Content-Type': 'multipart/form-data; boundary=frontiere' },
      })
      expect(res.status, path).toBe(400)
      expect(await res.text()).toContain('Envoi illisible')
    }
  })
})

describe('production start', () => {
  it('refuses to serve with the example SESSION_SECRET under NODE_ENV=production, in French', async () => {
    const saved = { env: process.env.NODE_ENV, secret: process.env.SESSION_SECRET }
    process.env.NODE_ENV = 'production'
    process.env.SESSION_SECRET = 'change-me-in-production'
    try {
      await expect(serveApp(app.rt, { port: 0, host: '127.0.0.1' })).rejects.toThrow(/Démarrage refusé : SESSION_SECRET est une valeur d'exemple/)
    } finally {
      process.env.NODE_ENV = saved.env
      process.env.SESSION_SECRET = saved.secret
    }
  })
})

describe('security headers', () => {
  it('sends a nonce-based CSP whose nonce is on every inline script, and no HSTS over plain http', async () => {
    const { res, html } = await app.client().get('/login')
    const csp = res.headers.get('Content-Security-Policy') ?? ''
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1]
    expect(nonce).toBeTruthy()
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("worker-src 'self' blob:")
    expect(csp).toContain("'wasm-unsafe-eval'")
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    expect(scripts.length).toBeGreaterThan(1)
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`)
    expect(res.headers.get('Permissions-Policy')).toContain('geolocation=(self), camera=(self)')
    expect(res.headers.get('Strict-Transport-Security')).toBeNull()
    const again = await app.client().get('/login')
    expect(again.res.headers.get('Content-Security-Policy')).not.toContain(`'nonce-${nonce}'`)
  })

  it('sends HSTS and Secure cookies behind a trusted https proxy, and only then', async () => {
    const proxied = await serveApp(app.rt, { port: 0, host: '127.0.0.1', trustProxy: 'loopback' })
    try {
      const base = `http://127.0.0.1:${(proxied.address() as AddressInfo).port}`
      const https = await fetch(`${base}/login`, { headers: { 'X-Forwarded-Proto': 'https' } })
      expect(https.headers.get('Strict-Transport-Security')).toContain('max-age=')
      expect(https.headers.getSetCookie().find((c) => c.startsWith('alforis_login_csrf='))).toMatch(/;\s*Secure/i)
      // Off (this file's app): the same header claims nothing.
      const untrusted = await fetch(`${app.url}/login`, { headers: { 'X-Forwarded-Proto': 'https' } })
      expect(untrusted.headers.get('Strict-Transport-Security')).toBeNull()
      expect(untrusted.headers.getSetCookie().find((c) => c.startsWith('alforis_login_csrf='))).not.toMatch(/Secure/i)
    } finally {
      proxied.closeAllConnections()
      await new Promise((r) => proxied.close(r))
    }
  })
})
