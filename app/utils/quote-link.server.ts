import { sql } from 'kysely'
import type { Db } from '../../db/kysely'
import type { QuoteLink } from '../../db/schema/quote-documents'
import { findQuoteLink, linkState, type LinkState } from '../../domain/sales/quote-link'
import type { QuoteSnapshot } from '../../domain/sales/quote-snapshot'
import type { QuoteStatus } from '../../db/schema'
import { giveBackRateLimitSlot, takeRateLimitSlot } from './rate-limit.server'

// What the public page /q/:token reads, and its brake on token guessing.

export const LINK_MAX_MISSES = 30
export const LINK_WINDOW_MINUTES = 15

const missKey = (ip: string | null) => `quote-link:${ip ?? 'unknown'}`
const LINK_LIMIT = { max: LINK_MAX_MISSES, windowSeconds: LINK_WINDOW_MINUTES * 60 }

/**
 * Takes one lookup slot for this address, atomically (parallel guesses cannot all pass
 * the check before any is counted): false means 429. A token that turns out to exist
 * gives its slot back (`giveBackLinkLookup`), so only unknown tokens use the budget.
 */
export async function takeLinkLookup(db: Db, ip: string | null, now: Date): Promise<boolean> {
  return (await takeRateLimitSlot(db, missKey(ip), LINK_LIMIT, now)).allowed
}

export async function giveBackLinkLookup(db: Db, ip: string | null): Promise<void> {
  await giveBackRateLimitSlot(db, missKey(ip))
}

export type PublicQuote = {
  link: QuoteLink
  state: LinkState
  snapshot: QuoteSnapshot
  sha256: string
  status: QuoteStatus
  /** The quote's current revision (greater than the link's once a new version is being prepared or sent). */
  currentRevision: number
  answer: {
    decision: 'accepte' | 'refuse'
    signer_name: string
    signed_at: Date
    reason: string | null
    method: 'drawn' | 'typed' | null
    has_pdf: boolean
  } | null
}

/** The quote version a token opens, with its state; null for an unknown token. */
export async function loadPublicQuote(db: Db, token: string, now: Date): Promise<PublicQuote | null> {
  const link = await findQuoteLink(db, token)
  if (!link) return null
  const [version, quote, answer] = await Promise.all([
    db
      .selectFrom('quote_versions')
      .select(['snapshot', 'sha256'])
      .where('workspace_id', '=', link.workspace_id)
      .where('quote_id', '=', link.quote_id)
      .where('revision', '=', link.revision)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('quotes')
      .select(['status', 'revision'])
      .where('workspace_id', '=', link.workspace_id)
      .where('id', '=', link.quote_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('quote_signatures')
      .select(['decision', 'signer_name', 'signed_at', 'reason', 'method', sql<boolean>`signed_pdf is not null`.as('has_pdf')])
      .where('workspace_id', '=', link.workspace_id)
      .where('quote_id', '=', link.quote_id)
      .where('revision', '=', link.revision)
      .executeTakeFirst(),
  ])
  return {
    link,
    state: linkState(link, now),
    snapshot: version.snapshot as QuoteSnapshot,
    sha256: version.sha256,
    status: quote.status,
    currentRevision: quote.revision,
    answer: answer ? { ...answer, signed_at: new Date(answer.signed_at) } : null,
  }
}

/** The archived signed PDF of a quote version, if it was signed. */
export async function loadSignedPdf(db: Db, workspaceId: string, quoteId: string, revision?: number) {
  let q = db
    .selectFrom('quote_signatures')
    .select(['signed_pdf', 'revision'])
    .where('workspace_id', '=', workspaceId)
    .where('quote_id', '=', quoteId)
    .where('decision', '=', 'accepte')
  if (revision !== undefined) q = q.where('revision', '=', revision)
  const r = await q.orderBy('revision', 'desc').executeTakeFirst()
  return r?.signed_pdf ? { bytes: Buffer.from(r.signed_pdf), revision: r.revision } : null
}
