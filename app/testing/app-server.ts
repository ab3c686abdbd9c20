import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { serveApp } from '../../server.js'
import { TEST_PASSWORD } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'

/**
 * A user agent for route tests: keeps cookies, never follows redirects (tests look at
 * them), posts forms the way a browser without JavaScript does.
 */
export class WebClient {
  readonly cookies = new Map<string, string>()
  /** The session's CSRF token, read from the last page that carried one. */
  csrf = ''

  constructor(readonly baseUrl: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
    const res = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: 'manual' })
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';')
      const i = pair.indexOf('=')
      const name = pair.slice(0, i).trim()
      const value = pair.slice(i + 1).trim()
      const expired = attrs.some((a) => /^\s*max-age=0\b/i.test(a)) || value === ''
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return res
  }

  /** GET; remembers the CSRF token if the page has a form. */
  async get(path: string, headers: HeadersInit = {}): Promise<{ res: Response; html: string }> {
    const res = await this.request(path, { headers })
    const html = await res.text()
    const token = csrfIn(html)
    if (token) this.csrf = token
    return { res, html }
  }

  /** A urlencoded form POST with this session's token unless `csrf: false` or another token is given. */
  async post(
    path: string,
    fields: Record<string, string>,
    opts: { csrf?: string | false; headers?: HeadersInit } = {},
  ): Promise<{ res: Response; html: string }> {
    const body = new URLSearchParams(fields)
    if (opts.csrf !== false) body.set('csrf', opts.csrf ?? this.csrf)
    const res = await this.request(path, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...opts.headers },
    })
    return { res, html: await res.text() }
  }
}

export const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? null

/** The text of the field error rendered beside `name` (see components/ui/field.tsx). */
export function fieldError(html: string, name: string): string | null {
  const m = new RegExp(`id="${name}-error"[^>]*>([^<]*)<`).exec(html)
  return m ? decodeEntities(m[1]) : null
}

/** Page text as a reader sees it: entities decoded, React's text separators and fr-FR's narrow spaces normalised. */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<!-- -->/g, '')).replace(/[\u202f\u00a0]/g, ' ')
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>

/**
 * The built app (`npm run build` first) served over a real test runtime on a free port,
 * on the tests' clock (testing/clock.ts) unless `now` is given.
 *
 * @example const app = await startTestApp(); const rep = await app.login(w.emails.commercial); await app.stop()
 */
export async function startTestApp(opts: { projector?: boolean; now?: () => Date; trustProxy?: string } = {}) {
  // A per-run secret, so tests never write .data/session-secret.
  process.env.SESSION_SECRET ??= randomBytes(32).toString('base64url')
  const rt = await startTestRuntime({ projector: opts.projector ?? true, ...(opts.now && { now: opts.now }) })
  // Tests stand for a local reverse proxy (X-Forwarded-For gives each test client its own
  // address) unless they ask otherwise; production's default is off (TRUST_PROXY).
  const server = await serveApp(rt, { port: 0, host: '127.0.0.1', trustProxy: opts.trustProxy ?? 'loopback' })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  /** Signs in through the login form; the client then holds the session cookie and token. */
  async function login(email: string, password = TEST_PASSWORD): Promise<WebClient> {
    const client = new WebClient(url)
    await client.get('/login')
    const { res } = await client.post('/login', { email, password })
    if (res.status !== 302) throw new Error(`login of ${email} failed: HTTP ${res.status}`)
    await client.get('/organisations') // any signed-in page: it carries the session's CSRF token
    return client
  }

  return {
    url,
    rt,
    login,
    client: () => new WebClient(url),
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rt.stop()
    },
  }
}
