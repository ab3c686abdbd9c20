import type { Db } from '../../db/kysely.js'
import { kyselyExecutor, type SqlExecutor } from '../mail/enqueue-email.js'
import { loadCompanySettings, missingLegalDetails } from '../sales/company-settings.js'
import { nextDocumentNumber } from '../sales/document-numbering.js'
import type { QuoteSnapshot } from '../sales/quote-snapshot.js'
import type { Discount } from '../sales/quote-totals.js'
import { DomainError, NotFoundError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { parisDay } from '../shared/paris-time.js'
import { runCommand, type CommandResult } from '../shared/run-command.js'
import { postInvoiceIssued, postPaymentRecorded } from '../accounting/journal.js'
import { buildInvoiceDocument, deductedDeposit } from './build-invoice-document.js'
import { assertInvoiceDocument } from './facturx/business-rules.js'
import { evolveInvoice, type InvoiceEvent, type InvoiceLine, type InvoiceState } from './invoice.js'
import {
  changeDraft,
  checkIssuable,
  creditableCents,
  creditInvoice,
  draftInvoice,
  issueInvoice,
  pauseDunning,
  recordPayment,
  type DraftInvoice,
} from './invoice.decide.js'
import type { InvoiceDocument, InvoiceTypeCode } from './invoice-document.js'
import { invoiceRepository, toInvoiceState } from './invoice.repository.js'
import { depositLines, dueDate, formatInvoiceNumber, PAYMENT_METHODS, type InvoiceFields } from './invoice-rules.js'
import { loadInvoiceSettings } from './invoice-settings.js'

// The command handlers routes and jobs call. Each runs in one transaction; issuing takes
// the number from the workspace's counter (document_counters, kind 'invoice') in the
// same transaction as the frozen document, and enqueues the PDF rendering there too.

export const RENDER_INVOICE_QUEUE = 'invoicing.render-pdf' as const
export type RenderInvoiceJob = { workspaceId: string; invoiceId: string }
/** The slice of pg-boss the issue command needs (the runtime's jobs fit it). */
export type InvoiceJobs = {
  send(queue: typeof RENDER_INVOICE_QUEUE, data: RenderInvoiceJob, opts?: { singletonKey?: string; db?: SqlExecutor }): Promise<string | null>
}

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))
const childCtx = (ctx: CommandContext, suffix: string): CommandContext => ({ ...ctx, commandId: ctx.commandId ? `${ctx.commandId}:${suffix}` : undefined })

async function alreadyProcessed(trx: Db, ctx: CommandContext): Promise<boolean> {
  if (!ctx.commandId) return false
  return !!(await trx
    .selectFrom('processed_commands')
    .select('command_id')
    .where('workspace_id', '=', ctx.workspaceId)
    .where('command_id', '=', ctx.commandId)
    .executeTakeFirst())
}

async function assertBuyer(db: Db, ws: string, organisationId: string, contactId: string | null) {
  const org = await db
    .selectFrom('organisations')
    .select('id')
    .where('workspace_id', '=', ws)
    .where('id', '=', organisationId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
  if (!org) throw new ValidationError({ organisation_id: 'organisation.not_found' })
  if (contactId) {
    const c = await db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', ws)
      .where('id', '=', contactId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
    if (!c) throw new ValidationError({ contact_id: 'contact.not_found' })
  }
}

async function assertProducts(db: Db, ws: string, lines: InvoiceLine[]) {
  const ids = [...new Set(lines.map((l) => l.product_id).filter((x): x is string => !!x))]
  if (!ids.length) return
  const rows = await db.selectFrom('products').select('id').where('workspace_id', '=', ws).where('id', 'in', ids).execute()
  const known = new Set(rows.map((r) => r.id))
  const errors: Record<string, 'product.not_found'> = {}
  lines.forEach((l, i) => {
    if (l.product_id && !known.has(l.product_id)) errors[`lines.${i}.product_id`] = 'product.not_found'
  })
  if (Object.keys(errors).length) throw new ValidationError(errors)
}

/** Σ TTC of issued deposit invoices listed in `ids` (all of this workspace, all issued). */
async function depositsTtc(db: Db, ws: string, ids: string[]): Promise<number> {
  if (!ids.length) return 0
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'total_ttc_cents'])
    .where('workspace_id', '=', ws)
    .where('id', 'in', ids)
    .where('type_code', '=', '386')
    .where('status', '=', 'emise')
    .execute()
  if (rows.length !== ids.length) throw new DomainError('invoice.deposit.not_issued')
  return rows.reduce((n, r) => n + Number(r.total_ttc_cents), 0)
}

/** The workspace's defaults for a new draft's conditions. */
export async function defaultInvoiceFields(db: Db, ws: string, organisationId: string): Promise<InvoiceFields> {
  const s = await loadInvoiceSettings(db, ws)
  return {
    organisation_id: organisationId,
    contact_id: null,
    delivery_date: null,
    payment_terms_code: s.default_payment_terms as InvoiceFields['payment_terms_code'],
    late_penalty_rate_bps: s.late_penalty_rate_bps,
    early_payment_discount: s.early_payment_discount,
    operation_category: s.default_operation_category,
    vat_on_debits: s.vat_on_debits,
    buyer_order_reference: null,
    delivery_address: null,
    notes: null,
  }
}

async function draft(db: Db, ctx: CommandContext, cmd: DraftInvoice): Promise<CommandResult<InvoiceState>> {
  return runCommand(db, ctx, {
    type: 'DraftInvoice',
    repository: invoiceRepository,
    streamId: cmd.id,
    decide: (s) => draftInvoice(s, cmd, ctx),
    evolve: evolveInvoice,
  })
}

/** A draft invoice from scratch (lines from the catalogue or free). No number yet. */
export async function createInvoiceDraftCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; fields: InvoiceFields; lines?: InvoiceLine[]; globalDiscount?: Discount | null },
) {
  await assertBuyer(db, ctx.workspaceId, cmd.fields.organisation_id, cmd.fields.contact_id)
  await assertProducts(db, ctx.workspaceId, cmd.lines ?? [])
  return draft(db, ctx, { id: cmd.id, type_code: '380', fields: cmd.fields, lines: cmd.lines ?? [], global_discount: cmd.globalDiscount ?? null })
}

/**
 * "Facturer" on an accepted quote: the lines, discounts and VAT of the signed version's
 * snapshot (quote_versions at accepted_revision), as a full invoice (deducting the deposit
 * invoices already issued on this quote) or a deposit invoice of `depositBps`.
 */
export async function createInvoiceFromQuoteCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; quoteId: string; mode: 'full' | 'deposit'; depositBps?: number },
) {
  const q = await db
    .selectFrom('quotes')
    .select(['id', 'status', 'accepted_revision', 'organisation_id', 'contact_id', 'number'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', cmd.quoteId)
    .executeTakeFirst()
  if (!q) throw new NotFoundError('quote.not_found')
  if (q.status !== 'accepte' || q.accepted_revision === null) throw new DomainError('invoice.quote.not_accepted')
  const v = await db
    .selectFrom('quote_versions')
    .select('snapshot')
    .where('workspace_id', '=', ctx.workspaceId)
    .where('quote_id', '=', q.id)
    .where('revision', '=', q.accepted_revision)
    .executeTakeFirstOrThrow()
  const snap = v.snapshot as QuoteSnapshot
  const fields = { ...(await defaultInvoiceFields(db, ctx.workspaceId, q.organisation_id)), contact_id: q.contact_id, buyer_order_reference: null }
  if (cmd.mode === 'deposit') {
    const lines = depositLines(snap.totals.vat, cmd.depositBps ?? 0, snap.number)
    return draft(db, ctx, { id: cmd.id, type_code: '386', fields, lines, global_discount: null, quote_id: q.id, deposit_bps: cmd.depositBps })
  }
  const deposits = await db
    .selectFrom('invoices')
    .select(['id', 'total_ttc_cents'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('quote_id', '=', q.id)
    .where('type_code', '=', '386')
    .where('status', '=', 'emise')
    .orderBy('issued_at')
    .execute()
  const lines: InvoiceLine[] = snap.lines.map((l) => ({
    product_id: l.product_id,
    code: l.code,
    description: l.description,
    unit: l.unit,
    quantity: l.quantity,
    unit_price_cents: l.unit_price_cents,
    discount: l.discount,
    vat_rate: l.vat_rate,
    vat_exemption: l.vat_exemption,
  }))
  return draft(db, ctx, {
    id: cmd.id,
    type_code: '380',
    fields,
    lines,
    global_discount: snap.global_discount,
    quote_id: q.id,
    deducts: deposits.map((d) => d.id),
    deducted_ttc_cents: deposits.reduce((n, d) => n + Number(d.total_ttc_cents), 0),
  })
}

/**
 * A credit note (avoir, 381) on an issued invoice: a draft with the invoice's lines
 * (`total`; issuing it cancels the invoice) that the user may reduce (a partial one).
 */
export async function createCreditNoteCommand(db: Db, ctx: CommandContext, cmd: { id: string; invoiceId: string }) {
  const inv = await db.selectFrom('invoices').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', cmd.invoiceId).executeTakeFirst()
  if (!inv) throw new NotFoundError('invoice.not_found')
  const s = toInvoiceState(inv)
  if (s.status === 'brouillon') throw new DomainError('invoice.not_issued')
  if (s.status === 'annulee') throw new DomainError('invoice.cancelled')
  if (s.type_code === '381') throw new DomainError('invoice.credit_note.of_credit_note')
  const fields: InvoiceFields = {
    organisation_id: s.organisation_id,
    contact_id: s.contact_id,
    delivery_date: s.delivery_date,
    payment_terms_code: 'reception',
    late_penalty_rate_bps: s.late_penalty_rate_bps,
    early_payment_discount: s.early_payment_discount,
    operation_category: s.operation_category,
    vat_on_debits: s.vat_on_debits,
    buyer_order_reference: s.buyer_order_reference,
    delivery_address: s.delivery_address,
    notes: null,
  }
  return draft(db, ctx, {
    id: cmd.id,
    type_code: '381',
    fields,
    lines: s.lines,
    global_discount: s.global_discount,
    corrects_invoice_id: s.id,
    deducts: s.deducts,
    deducted_ttc_cents: await depositsTtc(db, ctx.workspaceId, s.deducts),
  })
}

/** Changes a draft's conditions and lines; an issued invoice refuses (409). */
export async function updateInvoiceDraftCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number; fields: InvoiceFields; lines: InvoiceLine[]; globalDiscount: Discount | null },
) {
  return inTransaction(db, async (trx) => {
    const current = await invoiceRepository.load(trx, ctx.workspaceId, cmd.id)
    if (!current) throw new NotFoundError('invoice.not_found')
    if (current.status !== 'brouillon') throw new DomainError('invoice.issued.immutable', undefined, { status: 409 })
    await assertBuyer(trx, ctx.workspaceId, cmd.fields.organisation_id, cmd.fields.contact_id)
    await assertProducts(trx, ctx.workspaceId, cmd.lines)
    const deducted = await depositsTtc(trx, ctx.workspaceId, current.deducts)
    return runCommand(trx, ctx, {
      type: 'ChangeInvoiceDraft',
      repository: invoiceRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => changeDraft(s, { fields: cmd.fields, lines: cmd.lines, global_discount: cmd.globalDiscount, deducted_ttc_cents: deducted }, ctx),
      evolve: evolveInvoice,
    })
  })
}

/** What the seller and buyer lack for an invoice to be issued (French words), empty when complete. */
function missingForIssue(
  company: Awaited<ReturnType<typeof loadCompanySettings>>,
  buyer: { siren: string | null; address: string | null; city: string | null },
) {
  const seller = missingLegalDetails(company)
  const customer = [!buyer.siren && 'SIREN', (!buyer.address?.trim() || !buyer.city?.trim()) && 'adresse de facturation'].filter((x): x is string => !!x)
  return { seller, customer }
}

export type IssueResult = CommandResult<InvoiceState> & { number: string | null }

/**
 * Issues a draft: checks it (a refusal takes no number), takes the next number of the
 * year's series under the counter's row lock, freezes the InvoiceDocument, and enqueues
 * its PDF — one transaction. A credit note also credits (and, if total, cancels) the
 * invoice it corrects. The issue instant never goes back in time within the series, so
 * numbers and dates stay in the same order.
 */
export async function issueInvoiceCommand(
  db: Db,
  jobs: InvoiceJobs | null,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion?: number },
): Promise<IssueResult> {
  return inTransaction(db, async (trx) => {
    if (await alreadyProcessed(trx, ctx)) {
      const state = await invoiceRepository.load(trx, ctx.workspaceId, cmd.id)
      return { state, events: [], duplicate: true, number: state?.number ?? null }
    }
    const s = checkIssuable(await invoiceRepository.load(trx, ctx.workspaceId, cmd.id))
    if (cmd.expectedVersion !== undefined && s.version !== cmd.expectedVersion) throw new DomainError('record.changed', undefined, { status: 409 })
    const [company, settings, buyer] = await Promise.all([
      loadCompanySettings(trx, ctx.workspaceId),
      loadInvoiceSettings(trx, ctx.workspaceId),
      trx
        .selectFrom('organisations')
        .select(['id', 'name', 'siren', 'siret', 'vat_number', 'address', 'postal_code', 'city', 'deleted_at'])
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', s.organisation_id)
        .executeTakeFirstOrThrow(),
    ])
    if (buyer.deleted_at) throw new ValidationError({ organisation_id: 'organisation.not_found' })
    const missing = missingForIssue(company, buyer)
    if (missing.seller.length) throw new DomainError({ code: 'invoice.issue.seller_incomplete', params: { list: missing.seller.join(', ') } })
    if (missing.customer.length) throw new DomainError({ code: 'invoice.issue.buyer_incomplete', params: { list: missing.customer.join(', ') } })

    // Deposits a final invoice deducts, and the invoice a credit note corrects, as frozen at their issue.
    const deposits = s.deducts.length
      ? await trx.selectFrom('invoices').select(['id', 'document', 'status']).where('workspace_id', '=', ctx.workspaceId).where('id', 'in', s.deducts).execute()
      : []
    if (deposits.length !== s.deducts.length || deposits.some((d) => d.status !== 'emise' || !d.document)) throw new DomainError('invoice.deposit.not_issued')
    const byId = new Map(deposits.map((d) => [d.id, deductedDeposit(d.document as InvoiceDocument)]))
    const deducted = s.deducts.map((id) => byId.get(id)!)
    let preceding: InvoiceDocument['preceding_invoice'] = null
    let corrected: InvoiceState | null = null
    if (s.type_code === '381') {
      corrected = await invoiceRepository.load(trx, ctx.workspaceId, s.corrects_invoice_id!)
      if (!corrected || corrected.status !== 'emise') throw new DomainError('invoice.cancelled')
      if (s.amount_due_cents > creditableCents(corrected))
        throw new DomainError({ code: 'invoice.credit_note.too_large', params: { max: { decimal: creditableCents(corrected) / 100, digits: 2 } } })
      preceding = { invoice_id: corrected.id, number: corrected.number!, issue_date: corrected.issue_date! }
    }
    const quoteNumber = s.quote_id
      ? ((await trx.selectFrom('quotes').select('number').where('workspace_id', '=', ctx.workspaceId).where('id', '=', s.quote_id).executeTakeFirst())
          ?.number ?? null)
      : null
    const productIds = [...new Set(s.lines.map((l) => l.product_id).filter((x): x is string => !!x))]
    const categories = new Map(
      productIds.length
        ? (await trx.selectFrom('products').select(['id', 'category']).where('workspace_id', '=', ctx.workspaceId).where('id', 'in', productIds).execute()).map(
            (p) => [p.id, p.category] as const,
          )
        : [],
    )
    const contact = s.contact_id
      ? await trx
          .selectFrom('contacts')
          .select(['first_name', 'last_name', 'emails'])
          .where('workspace_id', '=', ctx.workspaceId)
          .where('id', '=', s.contact_id)
          .executeTakeFirst()
      : undefined

    // Everything that does not depend on the number is built and checked BEFORE the number
    // is taken: the counter row stays locked from nextDocumentNumber to the commit, and
    // every issuer of the workspace waits on it, so the work under the lock is kept short.
    const year = Number(parisDay(ctx.now).slice(0, 4))
    const build = (number: string, issuedAt: Date) => {
      const issueDate = parisDay(issuedAt)
      const due = dueDate(issueDate, s.payment_terms_code)
      const document = buildInvoiceDocument({
        invoice: s,
        number,
        issueDate,
        issuedAt,
        dueDate: due,
        company,
        buyer,
        contact: contact ? { name: `${contact.first_name} ${contact.last_name}`.trim(), email: contact.emails[0] ?? null } : null,
        deposits: deducted,
        categories,
        quoteNumber,
        preceding,
      })
      return { issueDate, due, document }
    }
    // EN 16931 business rules before the number is taken: a refused document takes none.
    const provisional = build(formatInvoiceNumber(settings.number_pattern, year, 1), ctx.now)
    assertInvoiceDocument(provisional.document)

    // From here the number is taken (and given back if anything throws: rollback).
    const sequence = await nextDocumentNumber(trx, ctx.workspaceId, 'invoice', year)
    // The series' last issue instant: its highest sequence (issue instants follow the sequence).
    const last = await trx
      .selectFrom('invoices')
      .select('issued_at')
      .where('workspace_id', '=', ctx.workspaceId)
      .where('year', '=', year)
      .where('sequence', 'is not', null)
      .orderBy('sequence', 'desc')
      .limit(1)
      .executeTakeFirst()
    const lastAt = last?.issued_at ? new Date(last.issued_at) : null
    const issuedAt = lastAt && lastAt.getTime() > ctx.now.getTime() ? lastAt : ctx.now
    const number = formatInvoiceNumber(settings.number_pattern, year, sequence)
    let issueDate = provisional.issueDate
    let due = provisional.due
    let document: InvoiceDocument
    if (issuedAt === ctx.now) {
      // Same instant, same dates: only the number differs from the document checked above.
      document = { ...provisional.document, number }
    } else {
      ;({ issueDate, due, document } = build(number, issuedAt))
      assertInvoiceDocument(document)
    }
    const r = await runCommand(trx, ctx, {
      type: 'IssueInvoice',
      repository: invoiceRepository,
      streamId: s.id,
      decide: (st) => issueInvoice(st, { number, year, sequence, issue_date: issueDate, due_date: due, document, at: issuedAt }),
      evolve: evolveInvoice,
    })
    if (corrected) {
      await runCommand(trx, childCtx(ctx, 'credit'), {
        type: 'CreditInvoice',
        repository: invoiceRepository,
        streamId: corrected.id,
        decide: (st) => creditInvoice(st, { credit_note_id: s.id, credit_note_number: number, amount_cents: s.amount_due_cents }, ctx),
        evolve: evolveInvoice,
      })
    }
    // The sales journal entry is written with the issue, once (docs/decisions/0030).
    await postInvoiceIssued(trx, ctx, document)
    if (jobs) {
      const jobId = await jobs.send(RENDER_INVOICE_QUEUE, { workspaceId: ctx.workspaceId, invoiceId: s.id }, { singletonKey: s.id, db: kyselyExecutor(trx) })
      if (!jobId) throw new Error(`${RENDER_INVOICE_QUEUE} refused the job of invoice ${s.id}`)
    }
    return { ...r, number }
  })
}

export const isPaymentMethod = (v: unknown): v is (typeof PAYMENT_METHODS)[number] =>
  typeof v === 'string' && (PAYMENT_METHODS as readonly string[]).includes(v)

/** Records a payment (partial or full); more than what is left to pay is refused. */
export async function recordInvoicePaymentCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { invoiceId: string; paymentId: string; paidOn: string; amountCents: number; method: string; reference: string | null },
) {
  if (!isPaymentMethod(cmd.method)) throw new ValidationError({ method: 'invoice.payment.method.invalid' })
  if (!/^\d{4}-\d{2}-\d{2}$/.test(cmd.paidOn)) throw new ValidationError({ paid_on: 'invoice.date.invalid' })
  const reference = cmd.reference?.trim().slice(0, 200) || null
  return inTransaction(db, async (trx) => {
    const r = await runCommand(trx, ctx, {
      type: 'RecordInvoicePayment',
      repository: invoiceRepository,
      streamId: cmd.invoiceId,
      decide: (s) => recordPayment(s, { payment_id: cmd.paymentId, paid_on: cmd.paidOn, amount_cents: cmd.amountCents, method: cmd.method, reference }, ctx),
      evolve: evolveInvoice,
    })
    if (r.events.length) {
      await trx
        .insertInto('invoice_payments')
        .values({
          id: cmd.paymentId,
          workspace_id: ctx.workspaceId,
          invoice_id: cmd.invoiceId,
          paid_on: cmd.paidOn,
          amount_cents: cmd.amountCents,
          method: cmd.method as (typeof PAYMENT_METHODS)[number],
          reference,
          created_by: ctx.actorId,
          created_at: ctx.now,
        })
        .execute()
      const doc = r.state?.document
      if (r.state?.number && doc)
        await postPaymentRecorded(trx, ctx, {
          id: cmd.paymentId,
          invoice_number: r.state.number,
          customer_code: doc.buyer.customer_code,
          customer_name: doc.buyer.name,
          date: cmd.paidOn,
          amount_cents: cmd.amountCents,
          method: cmd.method,
        })
    }
    return r
  })
}

/** Pauses (or resumes) the dunning e-mails of one invoice. */
export function setDunningPausedCommand(db: Db, ctx: CommandContext, cmd: { id: string; paused: boolean }) {
  return runCommand(db, ctx, {
    type: 'PauseInvoiceDunning',
    repository: invoiceRepository,
    streamId: cmd.id,
    decide: (s) => pauseDunning(s, cmd, ctx),
    evolve: evolveInvoice,
  })
}

export type { InvoiceEvent, InvoiceTypeCode }
