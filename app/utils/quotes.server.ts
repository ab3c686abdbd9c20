import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Database, QuoteStatus } from '../../db/schema'
import type { Actor } from '../../domain/identity/roles'
import { readStream } from '../../domain/shared/run-command'
import { QUOTE_STATUSES } from '../../domain/sales/quote'
import { toQuoteState } from '../../domain/sales/sales.repository'
export { verifyQuoteVersion } from '../../domain/sales/sales.queries'
import { formatEuros, formatIsoDate } from './format'
import type { Auth } from './auth.server'
import { isUuid } from './forms.server'
import { containsPattern } from './records.server'
import { userNames } from './visibility.server'

// Quotes for pages: who sees which quote, the list, one quote with its parties, its
// history. A quote's "responsable" is the person who created it.

/**
 * The query form of the quote rule, the same as deals (visibility.server.ts): admins and
 * finance every quote; managers their own, their team's and those on their team's
 * deals; commercials their own and those on their deals. Another rep's quote is not
 * found (404), even by URL.
 */
export function quoteVisibleTo(actor: Actor) {
  return (eb0: ExpressionBuilder<Database, 'quotes'>): Expression<SqlBool> => {
    const eb = eb0 as ExpressionBuilder<Database, 'quotes'>
    if (actor.role === 'admin' || actor.role === 'finance') return sql<SqlBool>`true`
    const team =
      actor.role === 'manager' && actor.teamId
        ? eb.selectFrom('users').select('users.id').where('users.workspace_id', '=', actor.workspaceId).where('users.team_id', '=', actor.teamId)
        : null
    const dealsOf = eb
      .selectFrom('deals')
      .select('deals.id')
      .where('deals.workspace_id', '=', actor.workspaceId)
      .where((d) => (team ? d.or([d('deals.owner_id', '=', actor.id), d('deals.owner_id', 'in', team)]) : d('deals.owner_id', '=', actor.id)))
    return eb.or([
      eb('quotes.created_by', 'is', null),
      eb('quotes.created_by', '=', actor.id),
      ...(team ? [eb('quotes.created_by', 'in', team)] : []),
      eb('quotes.deal_id', 'in', dealsOf),
    ])
  }
}

/** Creating and editing quotes: everyone but finance (who reads them all). */
export const canEditQuotes = (actor: Actor) => actor.role !== 'finance'

export const isQuoteStatus = (v: unknown): v is QuoteStatus => typeof v === 'string' && (QUOTE_STATUSES as string[]).includes(v)

export async function findVisibleQuote(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  const row = await auth.tenant
    .selectFrom('quotes')
    .innerJoin('organisations', (j) =>
      j.onRef('organisations.id', '=', 'quotes.organisation_id').onRef('organisations.workspace_id', '=', 'quotes.workspace_id'),
    )
    .leftJoin('contacts', (j) => j.onRef('contacts.id', '=', 'quotes.contact_id').onRef('contacts.workspace_id', '=', 'quotes.workspace_id'))
    .leftJoin('deals', (j) => j.onRef('deals.id', '=', 'quotes.deal_id').onRef('deals.workspace_id', '=', 'quotes.workspace_id'))
    .leftJoin('users as creator', 'creator.id', 'quotes.created_by')
    .selectAll('quotes')
    .select([
      'organisations.name as organisation_name',
      'contacts.first_name as contact_first_name',
      'contacts.last_name as contact_last_name',
      'deals.title as deal_title',
      'deals.stage as deal_stage',
      'deals.deleted_at as deal_deleted_at',
      'creator.full_name as owner_name',
    ])
    .where('quotes.id', '=', id)
    .where(quoteVisibleTo(auth.actor) as never)
    .executeTakeFirst()
  if (!row) return null
  const { organisation_name, contact_first_name, contact_last_name, deal_title, deal_stage, deal_deleted_at, owner_name, ...quote } = row
  return {
    quote: toQuoteState(quote),
    organisationName: organisation_name,
    contactName: contact_first_name !== null ? `${contact_first_name} ${contact_last_name}` : null,
    deal: quote.deal_id && deal_title !== null && !deal_deleted_at ? { id: quote.deal_id, title: deal_title, stage: deal_stage! } : null,
    ownerName: owner_name,
    canWrite: canEditQuotes(auth.actor),
  }
}
export type VisibleQuote = NonNullable<Awaited<ReturnType<typeof findVisibleQuote>>>

export type QuoteListFilters = { q: string; status: QuoteStatus | null; ownerId: string | null; organisationId: string | null; dealId: string | null }

/** A page of the quotes this user sees, newest first, with their client and owner. */
export async function listQuotes(auth: Auth, f: QuoteListFilters, page: number, pageSize: number) {
  let q = auth.tenant
    .selectFrom('quotes')
    .innerJoin('organisations', (j) =>
      j.onRef('organisations.id', '=', 'quotes.organisation_id').onRef('organisations.workspace_id', '=', 'quotes.workspace_id'),
    )
    .leftJoin('users as creator', 'creator.id', 'quotes.created_by')
    .select([
      'quotes.id',
      'quotes.number',
      'quotes.revision',
      'quotes.title',
      'quotes.status',
      'quotes.total_ht_cents',
      'quotes.total_ttc_cents',
      'quotes.valid_until',
      'quotes.validity_days',
      'quotes.created_at',
      'quotes.organisation_id',
      'organisations.name as organisation_name',
      'creator.full_name as owner_name',
    ])
    .where(quoteVisibleTo(auth.actor) as never)
  if (f.status) q = q.where('quotes.status', '=', f.status)
  if (f.ownerId) q = q.where('quotes.created_by', '=', f.ownerId)
  if (f.organisationId) q = q.where('quotes.organisation_id', '=', f.organisationId)
  if (f.dealId) q = q.where('quotes.deal_id', '=', f.dealId)
  const term = f.q.trim()
  if (term) {
    q = q.where((eb) =>
      eb.or([
        eb(sql`f_unaccent(lower(organisations.name))`, 'like', containsPattern(term)),
        eb(sql`lower(quotes.number)`, 'like', `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
        eb(sql`f_unaccent(lower(coalesce(quotes.title, '')))`, 'like', containsPattern(term)),
      ]),
    )
  }
  const rows = await q
    .orderBy('quotes.created_at', 'desc')
    .orderBy('quotes.id', 'desc')
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize)
    .execute()
  return { rows: rows.slice(0, pageSize), hasNext: rows.length > pageSize }
}

/** The quotes of a deal this user sees (the deal page's block). */
export async function quotesOfDeal(auth: Auth, dealId: string) {
  return (await listQuotes(auth, { q: '', status: null, ownerId: null, organisationId: null, dealId }, 1, 50)).rows
}

/** The quote's events, newest first, as "who did what, when" lines (the caller checked visibility). */
export async function quoteHistory(auth: Auth, quoteId: string) {
  const [events, names] = await Promise.all([readStream(auth.tenant.db, auth.user.workspaceId, quoteId), userNames(auth.tenant)])
  return events.reverse().map((e) => {
    const d = e.data as {
      revision?: number
      number?: string
      reason?: string | null
      valid_until?: string
      signed_by?: string | null
      total_ttc_cents?: number
      changes?: Record<string, unknown>
    }
    const meta = e.meta as { actorId?: string | null }
    const label = (() => {
      switch (e.type) {
        case 'QuoteCreated':
          return auth.t('quote.history.created', { number: d.number ?? '' })
        case 'QuoteUpdated':
          return auth.t('quote.history.updated', { revision: d.revision ?? 1 })
        case 'QuoteLinesChanged':
          return auth.t('quote.history.linesChanged', { revision: d.revision ?? 1, total: formatEuros(d.total_ttc_cents ?? 0) })
        case 'QuoteRevised':
          return auth.t('quote.history.revised', { revision: d.revision ?? 1 })
        case 'QuoteSent':
          return auth.t('quote.history.sent', { revision: d.revision ?? 1, date: d.valid_until ? formatIsoDate(d.valid_until) : '' })
        case 'QuoteAccepted':
          return d.signed_by
            ? auth.t('quote.history.acceptedBy', { revision: d.revision ?? 1, name: d.signed_by })
            : auth.t('quote.history.accepted', { revision: d.revision ?? 1 })
        case 'QuoteRefused':
          return d.reason ? auth.t('quote.history.refusedReason', { reason: d.reason }) : auth.t('quote.history.refused')
        case 'QuoteExpired':
          return auth.t('quote.history.expired', { date: d.valid_until ? formatIsoDate(d.valid_until) : '' })
        default:
          return e.type
      }
    })()
    return { position: e.position, label, actor: meta.actorId ? (names[meta.actorId] ?? null) : null, at: e.occurred_at }
  })
}
