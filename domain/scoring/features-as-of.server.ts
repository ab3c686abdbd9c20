import type { Db } from '../../db/kysely.js'
import { dealFeaturesAsOf, type DealFeatureRow, type LoggedEvent } from './features-as-of.js'

const STREAMS = ['deal', 'organisation', 'activity', 'quote']

/** The workspace's events recorded up to `asOf` (inclusive), in log order: nothing later is read. */
export async function loadEventsUntil(db: Db, workspaceId: string, asOf: Date): Promise<LoggedEvent[]> {
  const rows = await db
    .selectFrom('events')
    .select(['stream_type', 'stream_id', 'type', 'data', 'occurred_at'])
    .where('workspace_id', '=', workspaceId)
    .where('stream_type', 'in', STREAMS)
    .where('occurred_at', '<=', asOf)
    .orderBy('position')
    .execute()
  return rows.map((r) => ({ ...r, data: r.data as Record<string, unknown>, occurred_at: new Date(r.occurred_at as unknown as string | Date) }))
}

/** Features of the deals open on `asOf`, computed from the log as it stood then. */
export async function dealFeaturesFromLog(db: Db, workspaceId: string, asOf: Date): Promise<Map<string, DealFeatureRow>> {
  const teams = await db.selectFrom('users').select(['id', 'team_id']).where('workspace_id', '=', workspaceId).execute()
  const teamOf = new Map(teams.map((u) => [u.id, u.team_id]))
  return dealFeaturesAsOf(await loadEventsUntil(db, workspaceId, asOf), asOf, (id) => teamOf.get(id) ?? null)
}
