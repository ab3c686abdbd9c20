import { sql } from 'kysely'
import type { Db } from '../../db/kysely'
import { verifyPassword } from '../../domain/identity/password'

export const LOGIN_MAX_FAILURES = 5
export const LOGIN_WINDOW_MINUTES = 15

// A fixed hash to check against when the email is unknown, so a wrong email takes as
// long as a wrong password and response times do not reveal who has an account.
const DUMMY_HASH = 'scrypt$32768$8$1$40osqmz00+bzT2g5IGuvHA==$26BWbaw1iUvP+20Vr1FPZpl68BmXd6KiSGc1LuPFxF0='

export type LoginResult = { ok: true; user: { id: string; workspaceId: string } } | { ok: false; reason: 'invalid' | 'tooMany' }

/** Failures since the last success, within the window, for this email from this address. */
async function recentFailures(db: Db, key: string): Promise<number> {
  const rows = await db
    .selectFrom('login_attempts')
    .select('success')
    .where('key', '=', key)
    .where('attempted_at', '>', sql<Date>`now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES})`)
    .orderBy('attempted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(LOGIN_MAX_FAILURES + 1)
    .execute()
  let failures = 0
  for (const r of rows) {
    if (r.success) break
    failures++
  }
  return failures
}

/**
 * Checks an email and password, rate limited per email + client address: past
 * LOGIN_MAX_FAILURES failures in LOGIN_WINDOW_MINUTES the password is not even checked.
 */
export async function attemptLogin(db: Db, input: { email: string; password: string; ip: string | null }): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase()
  const key = `${email}|${input.ip ?? 'inconnue'}`
  if ((await recentFailures(db, key)) >= LOGIN_MAX_FAILURES) return { ok: false, reason: 'tooMany' }

  const user = await db
    .selectFrom('users')
    .select(['id', 'workspace_id', 'password_hash', 'active'])
    .where(sql`lower(email)`, '=', email)
    .executeTakeFirst()
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH)
  const ok = !!user && user.active && passwordOk

  await db.insertInto('login_attempts').values({ key, success: ok }).execute()
  // Keep the table small: a key's attempts older than a day no longer matter.
  await db
    .deleteFrom('login_attempts')
    .where('key', '=', key)
    .where('attempted_at', '<', sql<Date>`now() - interval '1 day'`)
    .execute()

  return ok ? { ok: true, user: { id: user.id, workspaceId: user.workspace_id } } : { ok: false, reason: 'invalid' }
}
