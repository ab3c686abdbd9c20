import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { runCommand, type CommandResult } from '../shared/run-command.js'
import type { QuoteVersion } from '../../db/schema.js'
import { changeDealStageCommand, createDealCommand, updateDealCommand } from '../crm/crm.commands.js'
import { loadStages } from '../crm/crm.repository.js'
import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { parisDay } from '../shared/paris-time.js'
import { loadCompanySettings, sellerFromSettings } from './company-settings.js'
import { nextDocumentNumber } from './document-numbering.js'
import { evolveQuote, quoteNumber, type QuoteEvent, type QuoteFields, type QuoteLine, type QuoteSent, type QuoteState } from './quote.js'
import {
  acceptQuote,
  changeQuoteLines,
  createQuote,
  expireQuote,
  refuseQuote,
  reviseQuote,
  sendQuote,
  updateQuote,
  validateQuoteFields,
  validateQuoteLines,
} from './quote.decide.js'
import type { QuoteParties } from './quote-snapshot.js'
import type { Discount } from './quote-totals.js'
import { quoteRepository } from './sales.repository.js'

// The command handlers routes, jobs and (later) the e-signature webhook call. Each runs
// in one transaction: the quote's row and events, plus what follows from them — the
// number taken from the workspace's counter, the frozen version row, the deal moved to
// its won stage on acceptance.

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))

/** The organisation, contact and deal must belong to the workspace; the deal to the organisation. */
async function assertReferences(db: Db, workspaceId: string, f: QuoteFields) {
  const errors: FieldProblems = {}
  const org = await db
    .selectFrom('organisations')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', f.organisation_id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  if (!org) errors.organisation_id = 'organisation.not_found'
  if (f.contact_id) {
    const c = await db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', f.contact_id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
    if (!c) errors.contact_id = 'contact.not_found'
  }
  if (f.deal_id) {
    const d = await db
      .selectFrom('deals')
      .select(['id', 'organisation_id'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', f.deal_id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
    if (!d) errors.deal_id = 'deal.not_found'
    else if (org && d.organisation_id !== f.organisation_id) errors.deal_id = 'quote.deal.other_organisation'
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
}

/**
 * Catalogue lines must name a product of the workspace, active — or archived but
 * already on the quote (a line stays editable after its product is withdrawn).
 */
async function assertProducts(db: Db, workspaceId: string, lines: QuoteLine[], alreadyOn: QuoteLine[] = []) {
  const ids = [...new Set(lines.map((l) => l.product_id).filter((x): x is string => !!x))]
  if (!ids.length) return
  const rows = await db.selectFrom('products').select(['id', 'active']).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  const kept = new Set(alreadyOn.map((l) => l.product_id))
  const errors: FieldProblems = {}
  lines.forEach((l, i) => {
    if (!l.product_id) return
    const p = byId.get(l.product_id)
    if (!p) errors[`lines.${i}.product_id`] = 'product.not_found'
    else if (!p.active && !kept.has(l.product_id)) errors[`lines.${i}.product_id`] = 'quote.line.product.archived'
  })
  if (Object.keys(errors).length) throw new ValidationError(errors)
}

/** A command id for a command run on behalf of another (so it is idempotent too, and never collides with it). */
const childCtx = (ctx: CommandContext, suffix: string): CommandContext => ({ ...ctx, commandId: ctx.commandId ? `${ctx.commandId}:${suffix}` : undefined })

/**
 * Creates a draft quote, numbered DEV-YYYY-NNNN (year of its creation in Paris) from the
 * workspace's counter in the same transaction: concurrent creations never share a
 * number, a failed one gives its number back.
 */
export async function createQuoteCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; fields: QuoteFields; lines?: QuoteLine[]; globalDiscount?: Discount | null },
): Promise<CommandResult<QuoteState>> {
  // Bad input is refused before the counter is locked.
  const fields = validateQuoteFields(cmd.fields)
  validateQuoteLines(cmd.lines ?? [], cmd.globalDiscount ?? null)
  await assertReferences(db, ctx.workspaceId, fields)
  await assertProducts(db, ctx.workspaceId, cmd.lines ?? [])
  return inTransaction(db, async (trx) => {
    let replayed = false
    if (ctx.commandId) {
      // A replayed command id must not take a number: serialise on it, then look.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`command:${ctx.workspaceId}:${ctx.commandId}`}, 0))`.execute(trx)
      replayed = !!(await trx
        .selectFrom('processed_commands')
        .select('command_id')
        .where('workspace_id', '=', ctx.workspaceId)
        .where('command_id', '=', ctx.commandId)
        .executeTakeFirst())
    }
    const year = Number(parisDay(ctx.now).slice(0, 4))
    const sequence = replayed ? 0 : await nextDocumentNumber(trx, ctx.workspaceId, 'quote', year)
    return runCommand(trx, ctx, {
      type: 'CreateQuote',
      repository: quoteRepository,
      streamId: cmd.id,
      decide: (s) => createQuote(s, { ...cmd, fields, number: { number: quoteNumber(year, sequence), year, sequence } }, ctx),
      evolve: evolveQuote,
    })
  })
}

/** Changes whom the quote is for and its conditions; on a sent quote this opens version n+1. */
export async function updateQuoteCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion: number; fields: QuoteFields }) {
  const fields = validateQuoteFields(cmd.fields)
  await assertReferences(db, ctx.workspaceId, fields)
  const r = await runCommand(db, ctx, {
    type: 'UpdateQuote',
    repository: quoteRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => updateQuote(s, { fields }, ctx),
    evolve: evolveQuote,
  })
  if (!r.state) throw new NotFoundError('quote.not_found')
  return r
}

/** Replaces the lines and the global discount; on a sent quote this opens version n+1. */
export async function changeQuoteLinesCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion: number; lines: QuoteLine[]; globalDiscount: Discount | null },
) {
  return inTransaction(db, async (trx) => {
    const current = await quoteRepository.load(trx, ctx.workspaceId, cmd.id)
    if (!current) throw new NotFoundError('quote.not_found')
    await assertProducts(trx, ctx.workspaceId, cmd.lines, current.lines)
    return runCommand(trx, ctx, {
      type: 'ChangeQuoteLines',
      repository: quoteRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => changeQuoteLines(s, cmd, ctx),
      evolve: evolveQuote,
    })
  })
}

/** "Nouvelle version": opens version n+1 as a draft with the same content (re-issuing an expired quote). */
export async function reviseQuoteCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  const r = await runCommand(db, ctx, {
    type: 'ReviseQuote',
    repository: quoteRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => reviseQuote(s, ctx),
    evolve: evolveQuote,
  })
  if (!r.state) throw new NotFoundError('quote.not_found')
  return r
}

/** Who the quote is from and for, as they are now (copied into the sent version; a draft's PDF preview shows them too). */
export async function loadParties(trx: Db, q: QuoteState): Promise<QuoteParties> {
  // The seller's legal details as they are today (/settings/company, or defaults from the
  // workspace's name): frozen into the version, later changes leave it alone.
  const company = await loadCompanySettings(trx, q.workspace_id)
  const org = await trx
    .selectFrom('organisations')
    .select(['id', 'name', 'siren', 'siret', 'vat_number', 'address', 'postal_code', 'city', 'deleted_at'])
    .where('workspace_id', '=', q.workspace_id)
    .where('id', '=', q.organisation_id)
    .executeTakeFirst()
  if (!org || org.deleted_at) throw new ValidationError({ organisation_id: 'quote.organisation.deleted' })
  const contact = q.contact_id
    ? await trx
        .selectFrom('contacts')
        .select(['id', 'civility', 'first_name', 'last_name', 'job_title', 'emails', 'deleted_at'])
        .where('workspace_id', '=', q.workspace_id)
        .where('id', '=', q.contact_id)
        .executeTakeFirst()
    : undefined
  if (contact?.deleted_at) throw new ValidationError({ contact_id: 'quote.contact.deleted' })
  return {
    seller: sellerFromSettings(company),
    customer: {
      organisation_id: org.id,
      name: org.name,
      siren: org.siren,
      siret: org.siret,
      vat_number: org.vat_number,
      address: org.address,
      postal_code: org.postal_code,
      city: org.city,
    },
    contact: contact
      ? {
          contact_id: contact.id,
          civility: contact.civility,
          first_name: contact.first_name,
          last_name: contact.last_name,
          job_title: contact.job_title,
          email: contact.emails[0] ?? null,
        }
      : null,
  }
}

export type SendQuoteResult = CommandResult<QuoteState> & { sent: QuoteVersion | null }

/**
 * Sends the current revision: freezes it (snapshot + SHA-256) as an immutable
 * quote_versions row in the same transaction. Mailing the PDF is the caller's next step.
 */
export async function sendQuoteCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }): Promise<SendQuoteResult> {
  return inTransaction(db, async (trx) => {
    const current = await quoteRepository.load(trx, ctx.workspaceId, cmd.id)
    if (!current) throw new NotFoundError('quote.not_found')
    const parties = await loadParties(trx, current)
    const r = await runCommand(trx, ctx, {
      type: 'SendQuote',
      repository: quoteRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => sendQuote(s, { parties }, ctx),
      evolve: evolveQuote,
    })
    const sent = (r.events as QuoteEvent[]).find((e): e is QuoteSent => e.type === 'QuoteSent')
    if (!sent) return { ...r, sent: null }
    const row = await trx
      .insertInto('quote_versions')
      .values({
        quote_id: sent.data.id,
        workspace_id: ctx.workspaceId,
        revision: sent.data.revision,
        number: sent.data.snapshot.number,
        snapshot: sql`cast(cast(${JSON.stringify(sent.data.snapshot)} as text) as jsonb)`,
        sha256: sent.data.sha256,
        total_ht_cents: sent.data.total_ht_cents,
        total_vat_cents: sent.data.total_vat_cents,
        total_ttc_cents: sent.data.total_ttc_cents,
        valid_until: sent.data.valid_until,
        sent_at: new Date(sent.data.at),
        sent_by: ctx.actorId,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return { ...r, sent: row }
  })
}

/** What accepting did to the deal: moved (or created and moved) to its won stage at the quote's HT amount. */
export type DealOnAcceptance = {
  id: string
  stage: string
  amount_cents: number
  previous_stage: string | null
  previous_amount_cents: number | null
  created: boolean
}
export type AcceptQuoteResult = CommandResult<QuoteState> & { deal: DealOnAcceptance | null }

/**
 * The customer accepted (signed) `revision`. In the same transaction, the linked deal
 * (if any, and not deleted) takes the quote's total HT as its amount, then moves to the
 * workspace's won stage (SIGNE by default) — in that order, so the DealStageChanged
 * event carries the signed amount. A quote without a deal gets one, created at the
 * first open stage with the quote's HT amount (owner: the quote's author) and moved to
 * the won stage, so every signature shows in the pipeline and the figures. The accepted
 * version can never change afterwards.
 */
export async function acceptQuoteCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number; revision: number; sha256?: string | null; signedBy?: string | null },
): Promise<AcceptQuoteResult> {
  return inTransaction(db, async (trx) => {
    const stages = await loadStages(trx, ctx.workspaceId)
    const won = stages.find((s) => s.kind === 'won')
    const current = await quoteRepository.load(trx, ctx.workspaceId, cmd.id)
    let newDealId: string | null = null
    // Only when the acceptance can go through (decide has the last word; a refusal rolls the deal back).
    if (current && current.status === 'envoye' && !current.deal_id) {
      const open = stages.find((s) => s.kind === 'open')
      if (!open || !won) throw new DomainError('quote.pipeline.no_open_and_won')
      newDealId = randomUUID()
      const created = await createDealCommand(trx, childCtx(ctx, 'deal-create'), {
        id: newDealId,
        stage: open.code,
        fields: {
          title: (current.title ? `${current.title} (${current.number})` : `Devis ${current.number}`).slice(0, 200),
          organisation_id: current.organisation_id,
          amount_cents: current.total_ht_cents,
          expected_close_date: parisDay(ctx.now),
          owner_id: current.created_by ?? ctx.actorId,
          category: null,
          source: null,
          region: null,
        },
      })
      if (created.duplicate) newDealId = null
    }
    const r = await runCommand(trx, ctx, {
      type: 'AcceptQuote',
      repository: quoteRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => acceptQuote(s, { ...cmd, newDealId }, ctx),
      evolve: evolveQuote,
    })
    if (!r.state) throw new NotFoundError('quote.not_found')
    const accepted = (r.events as QuoteEvent[]).find((e) => e.type === 'QuoteAccepted')
    if (!accepted || !r.state.deal_id) return { ...r, deal: null }
    const deal = await trx
      .selectFrom('deals')
      .selectAll()
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', r.state.deal_id)
      .forUpdate()
      .executeTakeFirst()
    // The signature is kept even if the deal was deleted meanwhile.
    if (!deal || deal.deleted_at) return { ...r, deal: null }
    if (!won) throw new DomainError('quote.pipeline.no_won')
    const amount = r.state.total_ht_cents
    if (deal.amount_cents !== amount) {
      await updateDealCommand(trx, childCtx(ctx, 'deal-amount'), {
        id: deal.id,
        expectedVersion: deal.version,
        fields: {
          title: deal.title,
          organisation_id: deal.organisation_id,
          amount_cents: amount,
          expected_close_date: deal.expected_close_date,
          owner_id: deal.owner_id,
          category: deal.category,
          source: deal.source,
          region: deal.region,
        },
      })
    }
    await changeDealStageCommand(trx, childCtx(ctx, 'deal-stage'), { id: deal.id, to: won.code })
    const createdHere = deal.id === newDealId
    return {
      ...r,
      deal: {
        id: deal.id,
        stage: won.code,
        amount_cents: amount,
        previous_stage: createdHere ? null : deal.stage,
        previous_amount_cents: createdHere ? null : deal.amount_cents,
        created: createdHere,
      },
    }
  })
}

export const REFUSAL_REASON_FOR_LOST = 'quote.refusal_reason.required_for_lost'

/**
 * The customer refused the version in force. With `markDealLost`, the linked deal (if
 * open) moves to the lost stage with the reason, in the same transaction.
 */
export async function refuseQuoteCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number; reason?: string | null; markDealLost?: boolean },
) {
  if (cmd.markDealLost && !cmd.reason?.trim()) throw new ValidationError({ reason: REFUSAL_REASON_FOR_LOST })
  return inTransaction(db, async (trx) => {
    const r = await runCommand(trx, ctx, {
      type: 'RefuseQuote',
      repository: quoteRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => refuseQuote(s, cmd, ctx),
      evolve: evolveQuote,
    })
    if (!r.state) throw new NotFoundError('quote.not_found')
    const refused = (r.events as QuoteEvent[]).some((e) => e.type === 'QuoteRefused')
    if (!refused || !cmd.markDealLost || !r.state.deal_id) return { ...r, dealLost: false }
    const stages = await loadStages(trx, ctx.workspaceId)
    const lost = stages.find((s) => s.kind === 'lost')
    const deal = await trx
      .selectFrom('deals')
      .select(['id', 'stage', 'deleted_at'])
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', r.state.deal_id)
      .executeTakeFirst()
    // A deal already closed (won on another quote, or lost) is left as it is.
    if (!lost || !deal || deal.deleted_at || stages.find((s) => s.code === deal.stage)?.kind !== 'open') return { ...r, dealLost: false }
    await changeDealStageCommand(trx, childCtx(ctx, 'deal-lost'), { id: deal.id, to: lost.code, lostReason: cmd.reason!.trim().slice(0, 1000) })
    return { ...r, dealLost: true }
  })
}

export function expireQuoteCommand(db: Db, ctx: CommandContext, cmd: { id: string }) {
  return runCommand(db, ctx, {
    type: 'ExpireQuote',
    repository: quoteRepository,
    streamId: cmd.id,
    decide: (s) => expireQuote(s, ctx),
    evolve: evolveQuote,
  })
}

/**
 * The daily pass (the pg-boss job `sales.expire-quotes` will call it): every sent quote
 * whose last valid day (Paris) is before `now`'s Paris day becomes Expiré, each through
 * the command in its own transaction. Safe to run twice. Quotes that fail are retried
 * by throwing after the others are done.
 */
export async function expireQuotes(db: Db, now: Date, opts: { limit?: number } = {}): Promise<{ expired: string[] }> {
  const today = parisDay(now)
  const due = await db
    .selectFrom('quotes')
    .select(['id', 'workspace_id'])
    .where('status', '=', 'envoye')
    .where('valid_until', '<', today)
    .orderBy('valid_until')
    .orderBy('id')
    .limit(opts.limit ?? 10_000)
    .execute()
  const expired: string[] = []
  const failed: { id: string; error: unknown }[] = []
  for (const q of due) {
    try {
      const r = await expireQuoteCommand(db, { workspaceId: q.workspace_id, actorId: null, now, source: 'job' }, { id: q.id })
      if (r.events.length) expired.push(q.id)
    } catch (error) {
      failed.push({ id: q.id, error })
    }
  }
  if (failed.length)
    throw new AggregateError(
      failed.map((f) => f.error),
      `expireQuotes: ${failed.length} devis non expirés (${failed.map((f) => f.id).join(', ')}), ${expired.length} expirés`,
    )
  return { expired }
}
