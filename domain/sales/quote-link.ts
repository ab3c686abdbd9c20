import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import type { QuoteLink } from '../../db/schema/quote-documents.js'
import { addDays, startOfParisDay } from '../shared/paris-time.js'

// Private signing links: /q/<token>. The token is 32 random bytes (base64url, 43
// characters); only its SHA-256 is stored, so the lookup is an index probe on a hash —
// its timing says nothing about the token — and a leaked database opens no quote. A
// link opens exactly one version of one quote; it expires at the end of the version's
// last valid day (Paris) and stops signing when a later version is sent.

export const hashLinkToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex')

/** A token as the URL carries it; anything else is not looked up at all. */
export const isLinkTokenShape = (s: string) => /^[A-Za-z0-9_-]{43}$/.test(s)

/** The instant a link stops working: midnight (Paris) after the last valid day. */
export const linkExpiry = (validUntil: string) => startOfParisDay(addDays(validUntil, 1))

/**
 * Creates the link of a sent version and supersedes the links of earlier versions of the
 * same quote (they still show their version, no longer sign it). Returns the token: the
 * only time it exists in clear.
 *
 * @example const { token } = await createQuoteLink(trx, { workspaceId, quoteId, revision: 2, recipient: 'claire@martin.fr', validUntil: '2026-12-27', createdBy, now })
 */
export async function createQuoteLink(
  trx: Db,
  input: { workspaceId: string; quoteId: string; revision: number; recipient: string; validUntil: string; createdBy: string | null; now: Date },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  await trx
    .updateTable('quote_links')
    .set({ superseded_at: input.now })
    .where('workspace_id', '=', input.workspaceId)
    .where('quote_id', '=', input.quoteId)
    .where('revision', '<', input.revision)
    .where('superseded_at', 'is', null)
    .execute()
  const token = randomBytes(32).toString('base64url')
  const id = randomUUID()
  const expiresAt = linkExpiry(input.validUntil)
  await trx
    .insertInto('quote_links')
    .values({
      id,
      workspace_id: input.workspaceId,
      quote_id: input.quoteId,
      revision: input.revision,
      token_sha256: hashLinkToken(token),
      recipient: input.recipient,
      expires_at: expiresAt,
      superseded_at: null,
      email_id: null,
      created_by: input.createdBy,
      created_at: input.now,
    })
    .execute()
  return { id, token, expiresAt }
}

export type LinkState = 'open' | 'expired' | 'superseded'

/** Why a link may not sign (it may still be shown, except when expired). */
export function linkState(link: Pick<QuoteLink, 'expires_at' | 'superseded_at'>, now: Date): LinkState {
  if (new Date(link.expires_at).getTime() <= now.getTime()) return 'expired'
  if (link.superseded_at) return 'superseded'
  return 'open'
}

/** The link a token opens, or null (unknown, or not even shaped like a token). */
export async function findQuoteLink(db: Db, token: string): Promise<QuoteLink | null> {
  if (!isLinkTokenShape(token)) return null
  return (await db.selectFrom('quote_links').selectAll().where('token_sha256', '=', hashLinkToken(token)).executeTakeFirst()) ?? null
}
