import { createCookie, type Cookie } from '@remix-run/node'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { isSecureRequest } from './session.server'
import { sessionSecrets } from './session-secret.server'

// Two layers against cross-site form posts: browsers' own Origin / Sec-Fetch-Site
// headers, and a token in every form that a foreign page cannot read.

export const CSRF_FIELD = 'csrf'

/** What actions throw when a post is refused: a 403 the error boundary explains in French. */
export const csrfRejected = () => new Response('csrf', { status: 403, statusText: 'Forbidden' })

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses a state-changing request a browser marks as cross-site. Clients that send
 * neither header (curl, tests) still need the form token.
 */
export function assertSameOrigin(request: Request): void {
  if (safeMethods.has(request.method.toUpperCase())) return
  const site = request.headers.get('Sec-Fetch-Site')
  if (site && site !== 'same-origin' && site !== 'none') throw csrfRejected()
  const origin = request.headers.get('Origin')
  if (origin && origin !== new URL(request.url).origin) throw csrfRejected()
}

export function tokensEqual(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length === 0) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The form's token must be the session's. */
export function assertCsrf(form: FormData, session: { csrfToken: string }): void {
  if (!tokensEqual(form.get(CSRF_FIELD), session.csrfToken)) throw csrfRejected()
}

// Before login there is no session row: the login form uses a signed cookie holding its
// own token (double submit), so a foreign page cannot log a victim into its account.
let cookie: Cookie | null = null
const loginCookie = () =>
  (cookie ??= createCookie('alforis_login_csrf', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    maxAge: 60 * 60 * 2,
    secrets: sessionSecrets(),
  }))

/** The login form's token, reusing the cookie's when present; `setCookie` when a new one was made. */
export async function loginCsrfToken(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const existing = await loginCookie().parse(request.headers.get('Cookie'))
  if (typeof existing === 'string' && existing.length >= 32) return { token: existing, setCookie: null }
  const token = randomBytes(32).toString('base64url')
  return { token, setCookie: await loginCookie().serialize(token, { secure: isSecureRequest(request) }) }
}

export async function assertLoginCsrf(request: Request, form: FormData): Promise<void> {
  const expected = await loginCookie().parse(request.headers.get('Cookie'))
  if (typeof expected !== 'string' || !tokensEqual(form.get(CSRF_FIELD), expected)) throw csrfRejected()
}
