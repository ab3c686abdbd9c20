import { createCookie, type Cookie } from '@remix-run/node'
import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../../db/kysely'
import { sessionSecrets } from './session-secret.server'

// Server-side sessions: the cookie holds only a random id (signed); the row in
// `sessions` holds who, which workspace, the CSRF token and the expiry. The row's key is
// the SHA-256 of the id, so a leaked database dump cannot be replayed as cookies.

export const SESSION_IDLE_DAYS = 14
const DAY_MS = 24 * 60 * 60 * 1000

let cookie: Cookie | null = null
function sessionCookie(): Cookie {
  cookie ??= createCookie('alforis_session', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secrets: sessionSecrets(),
    maxAge: SESSION_IDLE_DAYS * 24 * 60 * 60,
  })
  return cookie
}

/** `Secure` when served over https (directly or behind a proxy saying so) or forced by env. */
export function isSecureRequest(request: Request): boolean {
  if (process.env.COOKIE_SECURE === 'true') return true
  if (process.env.COOKIE_SECURE === 'false') return false
  return new URL(request.url).protocol === 'https:'
}

const hashId = (id: string) => createHash('sha256').update(id).digest('base64url')
const newToken = () => randomBytes(32).toString('base64url')

export type SessionRow = { key: string; userId: string; workspaceId: string; csrfToken: string; expiresAt: Date }

/** The raw session id from the signed cookie, or null (missing, tampered, or old secret). */
export async function readSessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get('Cookie'))
  return typeof value === 'string' && value.length >= 32 ? value : null
}

/** The live session row for this request, or null. Slides the expiry at most once a day. */
export async function loadSession(db: Db, request: Request, now = new Date()): Promise<SessionRow | null> {
  const id = await readSessionId(request)
  if (!id) return null
  const key = hashId(id)
  const row = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'workspace_id', 'csrf_token', 'expires_at'])
    .where('id', '=', key)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  if (!row) return null
  let expiresAt = new Date(row.expires_at)
  if (expiresAt.getTime() - now.getTime() < (SESSION_IDLE_DAYS - 1) * DAY_MS) {
    expiresAt = new Date(now.getTime() + SESSION_IDLE_DAYS * DAY_MS)
    await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', key).execute()
  }
  return { key, userId: row.user_id, workspaceId: row.workspace_id, csrfToken: row.csrf_token, expiresAt }
}

/**
 * Starts a fresh session (new id and CSRF token: rotation at login, so an id planted
 * before login is worthless) and drops the one the request came with, if any.
 * Returns the Set-Cookie header value.
 */
export async function createSession(db: Db, request: Request, input: { userId: string; workspaceId: string; ip: string | null; now?: Date }): Promise<string> {
  const now = input.now ?? new Date()
  const previous = await readSessionId(request)
  const id = newToken()
  await db.transaction().execute(async (trx) => {
    if (previous) await trx.deleteFrom('sessions').where('id', '=', hashId(previous)).execute()
    // Housekeeping: this user's expired sessions go when they log in again.
    await trx.deleteFrom('sessions').where('user_id', '=', input.userId).where('expires_at', '<=', now).execute()
    await trx
      .insertInto('sessions')
      .values({
        id: hashId(id),
        user_id: input.userId,
        workspace_id: input.workspaceId,
        csrf_token: newToken(),
        user_agent: request.headers.get('User-Agent')?.slice(0, 500) ?? null,
        ip: input.ip,
        expires_at: new Date(now.getTime() + SESSION_IDLE_DAYS * DAY_MS),
      })
      .execute()
  })
  return sessionCookie().serialize(id, { secure: isSecureRequest(request) })
}

/** Deletes the session row and returns a Set-Cookie header that clears the cookie. */
export async function destroySession(db: Db, request: Request): Promise<string> {
  const id = await readSessionId(request)
  if (id) await db.deleteFrom('sessions').where('id', '=', hashId(id)).execute()
  return sessionCookie().serialize('', { maxAge: 0, expires: new Date(0), secure: isSecureRequest(request) })
}
