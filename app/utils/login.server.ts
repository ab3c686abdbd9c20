import { sql } from 'kysely'
import type { Db } from '../../db/kysely'
import { verifyPassword } from '../../domain/identity/password'
import { resetRateLimit, takeRateLimitSlot } from './rate-limit.server'

export const LOGIN_MAX_FAILURES = 5
export const LOGIN_WINDOW_MINUTES = 15

// A fixed hash to check against when the email is unknown, so a wrong email takes as
// long as a wrong password and response times do not reveal who has an account.
const DUMMY_HASH = 'scrypt$32768$8$1$40osqmz00+bzT2g5IGuvHA==$26BWbaw1iUvP+20Vr1FPZpl68BmXd6KiSGc1LuPFxF0='

export type LoginResult = { ok: true; user: { id: string; workspaceId: string } } | { ok: false; reason: 'invalid' | 'tooMany' }

/** The rate-limit key of a login: per email and client address (see TRUST_PROXY for what the address is). */
export const loginRateKey = (email: string, ip: string | null) => `login:${email.trim().toLowerCase()}|${ip ?? 'inconnue'}`

/**
 * Checks an email and password, rate limited per email + client address: each attempt
 * takes a slot first (atomically), so past LOGIN_MAX_FAILURES attempts in
 * LOGIN_WINDOW_MINUTES the password is not even checked, however many arrive at once.
 * A success clears the count.
 */
export async function attemptLogin(db: Db, input: { email: string; password: string; ip: string | null; now: Date }): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase()
  const key = loginRateKey(email, input.ip)
  const slot = await takeRateLimitSlot(db, key, { max: LOGIN_MAX_FAILURES, windowSeconds: LOGIN_WINDOW_MINUTES * 60 }, input.now)
  if (!slot.allowed) return { ok: false, reason: 'tooMany' }

  const user = await db
    .selectFrom('users')
    .select(['id', 'workspace_id', 'password_hash', 'active'])
    .where(sql`lower(email)`, '=', email)
    .executeTakeFirst()
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH)
  const ok = !!user && user.active && passwordOk
  if (!ok) return { ok: false, reason: 'invalid' }
  await resetRateLimit(db, key)
  return { ok: true, user: { id: user.id, workspaceId: user.workspace_id } }
}
