import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { campaignSettings } from './campaign-settings.js'
import { suppressEmail } from './suppression.js'
import { isTrackableUrl, verifyLink, type LinkKind } from './tracking-links.js'

// What the public tracking and unsubscribe links do, once their tag is checked against
// the send's workspace secret. Nothing here trusts the URL beyond the send id and what
// the tag signs: an unknown send or a wrong tag is "not found", never a hint.

export type SignedSend = { id: string; workspaceId: string; campaignId: string; email: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The send behind a signed link, or null (unknown id, wrong tag, a click URL that is not http(s)). */
export async function signedSend(db: Db, kind: LinkKind, sendId: string, tag: string, url?: string): Promise<SignedSend | null> {
  if (!UUID.test(sendId) || tag.length > 64) return null
  if (kind === 'click' && (!url || !isTrackableUrl(url))) return null
  const row = await db.selectFrom('campaign_sends').select(['id', 'workspace_id', 'campaign_id', 'email']).where('id', '=', sendId).executeTakeFirst()
  if (!row) return null
  const { linkSecret } = await campaignSettings(db, row.workspace_id)
  if (!verifyLink(linkSecret, kind, sendId, tag, url)) return null
  return { id: row.id, workspaceId: row.workspace_id, campaignId: row.campaign_id, email: row.email }
}

/** An open (the pixel was fetched). Apple Mail Privacy Protection fetches every pixel: opens are an upper bound. */
export async function recordOpen(db: Db, send: SignedSend, now: Date) {
  await sql`update campaign_sends set open_count = open_count + 1, first_opened_at = coalesce(first_opened_at, ${now}) where id = ${send.id}`.execute(db)
}

/** A click on a tracked link (an open too: the e-mail was read even if images were blocked). */
export async function recordClick(db: Db, send: SignedSend, now: Date) {
  await sql`update campaign_sends set click_count = click_count + 1, first_clicked_at = coalesce(first_clicked_at, ${now}),
                   first_opened_at = coalesce(first_opened_at, ${now}) where id = ${send.id}`.execute(db)
}

/** Unsubscribes the send's address from the workspace's marketing e-mail (idempotent). */
export async function unsubscribeSend(db: Db, send: SignedSend, now: Date, how: 'one-click' | 'page') {
  await suppressEmail(db, { workspaceId: send.workspaceId, email: send.email, reason: 'unsubscribed', source: `campagne ${send.campaignId} (${how})`, now })
}
