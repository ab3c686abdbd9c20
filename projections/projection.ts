import type { Db } from '../db/kysely.js'
import type { ClickHouse } from './clickhouse.js'
import type { ProjectedEvent } from './projected-event.js'
import type { StateCache } from './state-cache.js'

/** `cache` only where one writer owns it for its whole life: the projector while it leads, a rebuild while it holds the lock. */
export type ProjectionIO = { db: Db; ch: ClickHouse; cache?: StateCache }

/**
 * A unit the projector moves with one checkpoint: it owns some ClickHouse tables and
 * writes every row it derives from a batch before the checkpoint moves. `apply` must
 * be idempotent (the same batch may come again after a crash) and must throw on any
 * write failure so the checkpoint holds.
 */
export type Projection = {
  name: string
  tables: string[]
  /** The stream types it reads; events of others reach the projector without their data. Absent: every type. */
  streamTypes?: string[]
  apply(io: ProjectionIO, events: ProjectedEvent[]): Promise<void>
}
