import type { StoredEvent } from '../db/event-consumer.js'

export { type Checkpoint, compareCheckpoints, ORIGIN } from '../db/event-consumer.js'

/** An event as the projector reads it from Postgres `events` (db/event-consumer.ts); hand-made test events may leave out `meta`. */
export type ProjectedEvent = Omit<StoredEvent, 'data' | 'meta'> & {
  data: Record<string, unknown>
  /** Who caused it (`meta.actorId`), where and why. */
  meta?: StoredEvent['meta']
}

/** A UTC instant as ClickHouse DateTime64(3, 'UTC') accepts it (best_effort parsing). */
export const chTime = (d: Date | string | null): string | null =>
  d === null ? null : typeof d === 'string' && isCanonicalIso(d) ? d : new Date(d).toISOString()

/** Already what toISOString() gives ('2026-03-28T23:30:00.000Z'): returned as is, no Date parsed (the folds ask for every event). */
function isCanonicalIso(s: string): boolean {
  return (
    s.length === 24 &&
    s[4] === '-' &&
    s[7] === '-' &&
    s[10] === 'T' &&
    s[13] === ':' &&
    s[16] === ':' &&
    s[19] === '.' &&
    s[23] === 'Z' &&
    !Number.isNaN(Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10))) &&
    +s.slice(5, 7) <= 12 &&
    +s.slice(8, 10) <= 31
  )
}

/** ClickHouse prints DateTime64 as `2026-11-27 10:59:19.083` (UTC columns): back to a Date. */
export const fromChTime = (s: string | null): Date | null => (s === null ? null : new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`))
