import { createHash } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import type { ContractPeriod } from '../../db/schema.js'
import type { CommandContext } from '../shared/events.js'
import { parisDay } from '../shared/paris-time.js'
import { problemsOf } from '../shared/errors.js'
import type { InvoiceLine } from './invoice.js'
import { createInvoiceDraftCommand, defaultInvoiceFields, issueInvoiceCommand, type InvoiceJobs } from './invoice.commands.js'
import type { PaymentTermsCode } from './invoice-rules.js'
import { loadInvoiceSettings } from './invoice-settings.js'

// The bridge from contracts to invoices: each billing item "à facturer" (one per contract
// and billing period, written by domain/contracts) becomes one invoice — a draft, or an
// issued invoice when the workspace chose so — and is marked "facturé" with the invoice's
// id in the SAME transaction as the draft. The item is locked (skip locked) and its
// status re-checked under the lock, and the invoice id is derived from the item's, so a
// second run, a concurrent one or a retry after a crash bills nothing twice.

const PERIOD_WORD: Record<ContractPeriod, string> = { mensuel: 'mensuelle', trimestriel: 'trimestrielle', annuel: 'annuelle' }

/** The invoice id of a billing item: a UUID derived from the item's (same item → same invoice). */
export function billingInvoiceId(itemId: string): string {
  const h = createHash('sha256').update(`billing_item_invoice:${itemId}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** The contract's payment delay as the nearest invoice terms never shorter than agreed… except 0 = on receipt. */
export function termsForDays(days: number): PaymentTermsCode {
  if (days <= 0) return 'reception'
  if (days <= 30) return '30j'
  if (days <= 45) return '45jfdm'
  return '60j'
}

const frenchDay = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`

/**
 * The invoice line of one billing period: the contract's quantity at the period's unit
 * price when the period amount divides evenly, else one lump sum. Contracts carry no VAT
 * rate: the standard rate (20 %) applies, as for the services they bill
 * (docs/decisions/0038-bank-matching-and-contract-billing.md); the draft can be corrected before issue.
 */
export function billingLine(
  c: { title: string; quantity: number; billing_frequency: ContractPeriod },
  item: { amount_cents: number; period_start: string; period_end: string },
): InvoiceLine {
  const even = c.quantity > 1 && item.amount_cents % c.quantity === 0
  return {
    product_id: null,
    code: null,
    description: `${c.title} — échéance ${PERIOD_WORD[c.billing_frequency]} du ${frenchDay(item.period_start)} au ${frenchDay(item.period_end)}`,
    unit: even ? null : 'forfait',
    quantity: String(even ? c.quantity : 1),
    unit_price_cents: even ? item.amount_cents / c.quantity : item.amount_cents,
    discount: null,
    vat_rate: 2000,
    vat_exemption: null,
  }
}

/** Items to bill now (their period has started: contracts write them on that day), oldest first. */
export function dueBillingItems(db: Db, today: string, workspaceId?: string) {
  let q = db
    .selectFrom('billing_items')
    .innerJoin('contracts', (j) => j.onRef('contracts.id', '=', 'billing_items.contract_id').onRef('contracts.workspace_id', '=', 'billing_items.workspace_id'))
    .innerJoin('organisations', (j) =>
      j.onRef('organisations.id', '=', 'billing_items.organisation_id').onRef('organisations.workspace_id', '=', 'billing_items.workspace_id'),
    )
    .select([
      'billing_items.id',
      'billing_items.workspace_id',
      'billing_items.contract_id',
      'billing_items.period_start',
      'billing_items.period_end',
      'billing_items.amount_cents',
      'billing_items.due_date',
      'contracts.title as contract_title',
      'organisations.name as organisation_name',
    ])
    .where('billing_items.status', '=', 'a_facturer')
    .where('billing_items.period_start', '<=', today)
  if (workspaceId) q = q.where('billing_items.workspace_id', '=', workspaceId)
  return q.orderBy('billing_items.period_start').orderBy('billing_items.id')
}

export type BillingRunResult = {
  invoiced: { itemId: string; invoiceId: string; number: string | null }[]
  issueFailed: { invoiceId: string; reason: string }[]
}

/**
 * Bills every due item (of one workspace, or all): one transaction per item. With the
 * workspace's "issue directly" setting, each draft is then issued by the issue command;
 * a refusal (a buyer without SIREN…) leaves the draft for finance to complete, reported.
 */
export async function invoiceDueBillingItems(
  db: Db,
  jobs: InvoiceJobs | null,
  now: Date,
  opts: { workspaceId?: string; actorId?: string | null; limit?: number } = {},
): Promise<BillingRunResult> {
  const today = parisDay(now)
  const items = await dueBillingItems(db, today, opts.workspaceId)
    .limit(opts.limit ?? 5000)
    .execute()
  const result: BillingRunResult = { invoiced: [], issueFailed: [] }
  const issueBy = new Map<string, boolean>()
  for (const item of items) {
    const ctx: CommandContext = { workspaceId: item.workspace_id, actorId: opts.actorId ?? null, now, source: opts.actorId ? 'web' : 'job' }
    const invoiceId = billingInvoiceId(item.id)
    const billed = await db.transaction().execute(async (trx) => {
      // Under the lock, still to bill: another runner that took it first makes this one skip.
      const locked = await trx
        .selectFrom('billing_items')
        .select(['id', 'status'])
        .where('workspace_id', '=', item.workspace_id)
        .where('id', '=', item.id)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst()
      if (!locked || locked.status !== 'a_facturer') return false
      const c = await trx
        .selectFrom('contracts')
        .select(['title', 'quantity', 'billing_frequency', 'contact_id', 'organisation_id', 'payment_terms_days'])
        .where('workspace_id', '=', item.workspace_id)
        .where('id', '=', item.contract_id)
        .executeTakeFirstOrThrow()
      const fields = {
        ...(await defaultInvoiceFields(trx, item.workspace_id, c.organisation_id)),
        contact_id: c.contact_id,
        delivery_date: String(item.period_start),
        payment_terms_code: termsForDays(c.payment_terms_days),
      }
      const line = billingLine(c, { amount_cents: Number(item.amount_cents), period_start: String(item.period_start), period_end: String(item.period_end) })
      await createInvoiceDraftCommand(trx, ctx, { id: invoiceId, fields, lines: [line] })
      await trx
        .updateTable('billing_items')
        .set({ status: 'facture', invoice_id: invoiceId })
        .where('workspace_id', '=', item.workspace_id)
        .where('id', '=', item.id)
        .execute()
      return true
    })
    if (!billed) continue
    let number: string | null = null
    if (!issueBy.has(item.workspace_id)) issueBy.set(item.workspace_id, (await loadInvoiceSettings(db, item.workspace_id)).contract_billing_issue)
    if (issueBy.get(item.workspace_id)) {
      try {
        number = (await issueInvoiceCommand(db, jobs, ctx, { id: invoiceId })).number
      } catch (e) {
        const problems = problemsOf(e)
        if (!problems.length) throw e
        result.issueFailed.push({ invoiceId, reason: problems.map((p) => (typeof p === 'string' ? p : p.code)).join(', ') })
      }
    }
    result.invoiced.push({ itemId: item.id, invoiceId, number })
  }
  return result
}
