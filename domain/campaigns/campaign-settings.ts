import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'

// A workspace's sending settings: the pace (Resend requests per second, Resend's
// documented default 2), the daily quota of e-mails, and the secret that signs its
// tracking and unsubscribe links. Created on first use with a random secret: a link
// signed in one workspace is worthless in another.

export type CampaignSettings = { workspaceId: string; linkSecret: string; requestsPerSecond: number; dailyQuota: number }

/** @example const s = await campaignSettings(db, workspaceId) // { requestsPerSecond: 2, dailyQuota: 10000, … } */
export async function campaignSettings(db: Db, workspaceId: string): Promise<CampaignSettings> {
  await db
    .insertInto('campaign_settings')
    .values({ workspace_id: workspaceId, link_secret: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute()
  const row = await db.selectFrom('campaign_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()
  return { workspaceId, linkSecret: row.link_secret, requestsPerSecond: Number(row.requests_per_second), dailyQuota: row.daily_quota }
}

/** Changes the pace and quota (the bench raises them against the emulator). */
export async function setSendingLimits(db: Db, workspaceId: string, limits: { requestsPerSecond?: number; dailyQuota?: number }) {
  await campaignSettings(db, workspaceId)
  await db
    .updateTable('campaign_settings')
    .set({
      ...(limits.requestsPerSecond !== undefined ? { requests_per_second: limits.requestsPerSecond } : {}),
      ...(limits.dailyQuota !== undefined ? { daily_quota: limits.dailyQuota } : {}),
    })
    .where('workspace_id', '=', workspaceId)
    .execute()
}

/**
 * Reserves the workspace's next request slot and returns how long to wait for it (ms).
 * One atomic UPDATE: every worker of every process shares the workspace's pace, so two
 * campaigns running at once do not double the rate Resend allows. Wall-clock time: it
 * is a physical rate, not a business date.
 */
export async function takeRequestSlot(db: Db, workspaceId: string, wallNow: Date): Promise<number> {
  const row = await sql<{ slot: Date }>`
    update campaign_settings
       set next_request_at = greatest(next_request_at, ${wallNow}::timestamptz) + make_interval(secs => 1 / requests_per_second)
     where workspace_id = ${workspaceId}
 returning next_request_at - make_interval(secs => 1 / requests_per_second) as slot`.execute(db)
  const slot = row.rows[0]?.slot
  return slot ? Math.max(0, new Date(slot).getTime() - wallNow.getTime()) : 0
}
