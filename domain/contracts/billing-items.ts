import type { Db } from '../../db/kysely.js'
import type { Contract } from '../../db/schema.js'
import { addDays } from '../shared/paris-time.js'
import { plusMonths } from './contract-dates.js'
import { PERIOD_MONTHS } from './contract.js'

// Recurring billing items: an active contract is billed in advance, one item per billing
// period (its billing frequency), written once the period has started. The amount is the
// price per billing period (unit × quantity × billing months / period months, half-up);
// the due date is the period start plus the payment terms. The invoicing part turns
// items "à facturer" into invoices and sets invoice_id.

export type BillingPeriod = { period_start: string; period_end: string; amount_cents: number; due_date: string }

/** Price for one billing period of the contract's terms, in cents, half-up. */
export function billingAmount(c: Pick<Contract, 'unit_amount_cents' | 'quantity' | 'amount_period' | 'billing_frequency'>): number {
  const num = c.unit_amount_cents * c.quantity * PERIOD_MONTHS[c.billing_frequency]
  const den = PERIOD_MONTHS[c.amount_period]
  return Math.floor((num * 2 + den) / (2 * den))
}

/** The billing periods that have started by `today` (items are written at a period's start, never before). */
export function startedPeriods(c: Contract, today: string): BillingPeriod[] {
  // Periods run from the first start across renewals (a renewal continues the schedule).
  const termStart = c.start_date
  const out: BillingPeriod[] = []
  const months = PERIOD_MONTHS[c.billing_frequency]
  const lastDay = c.termination_effective_date && c.termination_effective_date < c.end_date ? c.termination_effective_date : c.end_date
  for (let i = 0; ; i++) {
    const start = plusMonths(termStart, i * months)
    if (start > today || start > lastDay) break
    const fullEnd = addDays(plusMonths(termStart, (i + 1) * months), -1)
    out.push({
      period_start: start,
      period_end: fullEnd < lastDay ? fullEnd : lastDay,
      amount_cents: billingAmount(c),
      due_date: addDays(start, c.payment_terms_days),
    })
    if (out.length > 1200) break
  }
  return out
}

/**
 * Writes the items of `c`'s started periods that are not written yet (one per period
 * start: running twice adds nothing). Returns how many were added.
 */
export async function writeBillingItems(db: Db, c: Contract, today: string, now: Date): Promise<number> {
  if (c.status !== 'actif' && c.status !== 'a_renouveler' && c.status !== 'resilie') return 0
  const periods = startedPeriods(c, today)
  if (!periods.length) return 0
  const r = await db
    .insertInto('billing_items')
    .values(
      periods.map((p) => ({
        workspace_id: c.workspace_id,
        contract_id: c.id,
        organisation_id: c.organisation_id,
        ...p,
        status: 'a_facturer' as const,
        invoice_id: null,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['contract_id', 'period_start']).doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0)
}

/** A termination cancels the items not invoiced yet whose period starts after the last day in force. */
export async function cancelItemsAfter(db: Db, c: Pick<Contract, 'id' | 'workspace_id'>, lastDay: string): Promise<void> {
  await db
    .updateTable('billing_items')
    .set({ status: 'annule' })
    .where('workspace_id', '=', c.workspace_id)
    .where('contract_id', '=', c.id)
    .where('status', '=', 'a_facturer')
    .where('period_start', '>', lastDay)
    .execute()
}
