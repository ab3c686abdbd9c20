import { sql } from 'kysely'
import type { Db } from '../../db/kysely'

// Fixed-window counters in Postgres (table `rate_limits`, migration 2026-12-07-0020).
// Check and count are ONE statement: each request first takes its slot, then does the
// work. Reading "failures so far" and writing the attempt afterwards let 60 parallel
// logins all see 0 and all have their password checked.

export type RateLimit = { max: number; windowSeconds: number }
export type RateLimitHit = { allowed: boolean; hits: number; retryAfterSeconds: number }

/**
 * Counts one attempt on `key` and says whether it is within the limit.
 *
 * @example const slot = await takeRateLimitSlot(db, `login:${email}|${ip}`, { max: 5, windowSeconds: 900 }, now)
 *          if (!slot.allowed) return tooMany(slot.retryAfterSeconds)
 */
export async function takeRateLimitSlot(db: Db, key: string, limit: RateLimit, now: Date): Promise<RateLimitHit> {
  const expired = sql`r.window_started_at <= ${now}::timestamptz - make_interval(secs => ${limit.windowSeconds})`
  const { rows } = await sql<{ hits: number; window_started_at: Date }>`
    insert into rate_limits as r (key, window_started_at, hits) values (${key}, ${now}, 1)
    on conflict (key) do update set
      hits = case when ${expired} then 1 else r.hits + 1 end,
      window_started_at = case when ${expired} then excluded.window_started_at else r.window_started_at end
    returning hits, window_started_at`.execute(db)
  const row = rows[0]!
  const hits = Number(row.hits)
  // A new window is a good moment to forget keys nobody has used for a day.
  if (hits === 1) await forgetStaleKeys(db, now)
  const endsAt = new Date(row.window_started_at).getTime() + limit.windowSeconds * 1000
  return { allowed: hits <= limit.max, hits, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)) }
}

/** Gives a slot back (the attempt turned out not to count, e.g. a quote token that exists). */
export async function giveBackRateLimitSlot(db: Db, key: string): Promise<void> {
  await sql`update rate_limits set hits = greatest(hits - 1, 0) where key = ${key}`.execute(db)
}

/** Forgets a key (a successful login clears its failures). */
export async function resetRateLimit(db: Db, key: string): Promise<void> {
  await sql`delete from rate_limits where key = ${key}`.execute(db)
}

async function forgetStaleKeys(db: Db, now: Date): Promise<void> {
  await sql`delete from rate_limits where key in (
    select key from rate_limits where window_started_at < ${now}::timestamptz - interval '1 day' limit 100)`.execute(db)
}
