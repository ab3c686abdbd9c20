import type postgres from 'postgres'

/** The advisory lock key held by the one projector instance that leads. */
export const PROJECTOR_LOCK_KEY = 7_215_300_201

export type LeaderLock = {
  readonly held: boolean
  /** Takes the lock if it is free; never waits. */
  tryAcquire(): Promise<boolean>
  /** True while the session that took the lock is still the same live backend. */
  check(): Promise<boolean>
  release(): Promise<void>
}

/**
 * Leadership as a session-level advisory lock on a reserved connection: Postgres
 * releases it when that connection dies, so a crashed leader hands over on its own.
 * The backend pid is remembered because a reconnected session would no longer hold
 * the lock.
 *
 * @example const lock = leaderLock(sql); if (await lock.tryAcquire()) { … }
 */
export function leaderLock(sql: postgres.Sql, key = PROJECTOR_LOCK_KEY): LeaderLock {
  let conn: postgres.ReservedSql | null = null
  let pid: number | null = null

  const drop = () => {
    try { conn?.release() } catch { /* the connection is gone already */ }
    conn = null
    pid = null
  }

  return {
    get held() { return pid !== null },
    async tryAcquire() {
      if (pid !== null) return true
      try {
        conn ??= await sql.reserve()
        const [row] = await conn<{ ok: boolean; pid: number }[]>`select pg_try_advisory_lock(${key}::bigint) as ok, pg_backend_pid() as pid`
        if (row.ok) pid = row.pid
        return row.ok
      } catch {
        drop()
        return false
      }
    },
    async check() {
      if (pid === null || !conn) return false
      try {
        const [row] = await conn<{ pid: number }[]>`select pg_backend_pid() as pid`
        if (row.pid === pid) return true
      } catch { /* the connection died with its lock */ }
      drop()
      return false
    },
    async release() {
      if (conn && pid !== null) {
        try { await conn`select pg_advisory_unlock(${key}::bigint)` } catch { /* released with the session anyway */ }
      }
      drop()
    },
  }
}
