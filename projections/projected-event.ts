import type { StoredEvent } from '../db/event-consumer.js'

export { type Checkpoint, compareCheckpoints, ORIGIN } from '../db/event-consumer.js'

/** An event as the projector reads it from Postgres `events` (db/event-consumer.ts); hand-made test events may leave out `meta`. */
export type ProjectedEvent = Omit<StoredEvent, 'data' | 'meta'> & {
  data: Record<string, unknown>
  /** Who caused it (`meta.actorId`), where and why. */
  meta?: StoredEvent['meta']
}

/** A UTC instant as ClickHouse DateTime64(3, 'UTC') accepts it (best_effort parsing). */
export const chTime = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString())

/** ClickHouse prints DateTime64 as `2026-11-27 10:59:19.083` (UTC columns): back to a Date. */
export const fromChTime = (s: string | null): Date | null => (s === null ? null : new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`))
