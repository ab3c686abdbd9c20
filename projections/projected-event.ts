/** An event as the projector reads it from Postgres `events`. */
export type ProjectedEvent = {
  position: number
  /** xid8 as text: compare with `compareCheckpoints`, never as a JS number. */
  tx_id: string
  workspace_id: string
  stream_type: string
  stream_id: string
  stream_version: number
  type: string
  data: Record<string, unknown>
  occurred_at: Date
  /** Who caused it (`meta.actorId`); absent in hand-made test events. */
  actor_id?: string | null
}

/** Where a projection stands in the (tx_id, position) order. */
export type Checkpoint = { tx_id: string; position: number }

export const ORIGIN: Checkpoint = { tx_id: '0', position: 0 }

/** Orders two points of the (tx_id, position) stream: negative, zero or positive. */
export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  const ta = BigInt(a.tx_id)
  const tb = BigInt(b.tx_id)
  if (ta !== tb) return ta < tb ? -1 : 1
  return a.position - b.position
}

/** A UTC instant as ClickHouse DateTime64(3, 'UTC') accepts it (best_effort parsing). */
export const chTime = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString())

/** ClickHouse prints DateTime64 as `2026-11-27 10:59:19.083` (UTC columns): back to a Date. */
export const fromChTime = (s: string | null): Date | null => (s === null ? null : new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`))
