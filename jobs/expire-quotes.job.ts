import { expireQuotes } from '../domain/sales/quote.commands.js'
import type { JobDefinition } from './job.js'

// sales.expire-quotes: the daily pass that moves every sent quote past its last valid
// day (Paris) to Expiré, one command (and one QuoteExpired event) per quote. Safe to run
// twice: an expired quote is left alone. If some quotes fail, the others are expired and
// the job throws, so pg-boss retries the rest.

export const EXPIRE_QUOTES = 'sales.expire-quotes' as const

/** `now` (ISO) only for tests and replays: the pass as if run at that instant. */
export type ExpireQuotesData = { now?: string }

export const expireQuotesJob: JobDefinition<ExpireQuotesData> = {
  queue: EXPIRE_QUOTES,
  async handle(data, deps) {
    const now = data.now ? new Date(data.now) : new Date()
    if (Number.isNaN(now.getTime())) throw new Error(`sales.expire-quotes: invalid now ${data.now}`)
    const { expired } = await expireQuotes(deps.db, now)
    if (expired.length) deps.log(`sales.expire-quotes: ${expired.length} devis expirés`)
    return { expired: expired.length }
  },
}
