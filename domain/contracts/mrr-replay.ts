import type { Db } from '../../db/kysely.js'
import { CONTRACT_STREAM, type ContractEvent } from './contract.js'
import { foldMrr, timelineOf, type MrrFold, type MrrTimeline } from './mrr.js'
import { revenueFigures, type RevenueFigures, type RevenueFilter } from './recurring-revenue.js'

// The Postgres replay of every contract's events: the reference the ClickHouse read
// model (projections/contract-mrr.projection.ts) is proven equal to in tests, and what a
// figure can be checked against by hand.

/** Every contract timeline of a workspace, folded from its events in stream order. */
export async function replayTimelines(db: Db, workspaceId: string): Promise<MrrTimeline[]> {
  const rows = await db
    .selectFrom('events')
    .select(['stream_id', 'type', 'data'])
    .where('workspace_id', '=', workspaceId)
    .where('stream_type', '=', CONTRACT_STREAM)
    .orderBy('stream_id')
    .orderBy('stream_version')
    .execute()
  const out: MrrTimeline[] = []
  let id = ''
  let s: MrrFold | null = null
  for (const r of rows) {
    if (r.stream_id !== id) {
      if (s) out.push(timelineOf(s))
      id = r.stream_id
      s = null
    }
    s = foldMrr(s, { type: r.type, data: r.data } as ContractEvent)
  }
  if (s) out.push(timelineOf(s))
  return out
}

/** The recurring-revenue figures of `f`, replayed from Postgres. */
export async function replayRevenueFigures(db: Db, f: RevenueFilter): Promise<RevenueFigures> {
  return revenueFigures(await replayTimelines(db, f.workspaceId), f)
}
