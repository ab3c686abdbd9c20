import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/kysely.js'
import { contractFields } from '../../testing/contract-records.js'
import { givenQuoteCustomer } from '../../testing/quote-records.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { createContractCommand } from '../contracts/contract.commands.js'
import { parisDay } from '../shared/paris-time.js'
import { billingInvoiceId, invoiceDueBillingItems } from './contract-billing.js'
import { saveInvoiceSettingsCommand, loadInvoiceSettings } from './invoice-settings.js'

// The contracts → invoices bridge against the real embedded Postgres: each due billing
// item becomes exactly one invoice (runs twice, concurrently, again: still one), marked
// "facturé" with the invoice's id; drafts by default, issued when the workspace says so.

let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  pg = createDb(await createTestDatabase(), { max: 6 })
})
afterAll(async () => {
  await pg?.db.destroy()
})
const db = () => pg.db

describe('billing items to invoices', () => {
  it('bills each due item once, as a draft with the contract line, then issued when the workspace chose so', async () => {
    const w = await givenQuoteCustomer(db(), { dealStage: null })
    const ctx = () => w.ctx(w.users.finance)
    const now = ctx().now
    const today = parisDay(now)
    const quarter = randomUUID()
    // Started a few days ago: its first quarter's item is written at creation.
    const start = `${today.slice(0, 8)}01`
    await createContractCommand(db(), ctx(), {
      id: quarter,
      activate: true,
      fields: contractFields(w.orgId, {
        title: 'Infogérance',
        contact_id: w.contactId,
        start_date: start,
        end_date: `${Number(today.slice(0, 4)) + 1}${start.slice(4)}`,
        unit_amount_cents: 100_00,
        quantity: 3,
        amount_period: 'mensuel',
        billing_frequency: 'trimestriel',
      }),
    })
    const items = await db().selectFrom('billing_items').selectAll().where('workspace_id', '=', w.workspaceId).execute()
    expect(items).toHaveLength(1)

    const runs = await Promise.all([
      invoiceDueBillingItems(db(), null, now, { workspaceId: w.workspaceId }),
      invoiceDueBillingItems(db(), null, now, { workspaceId: w.workspaceId }),
    ])
    const again = await invoiceDueBillingItems(db(), null, now, { workspaceId: w.workspaceId })
    expect(runs.flatMap((r) => r.invoiced)).toHaveLength(1)
    expect(again.invoiced).toHaveLength(0)

    const invoices = await db().selectFrom('invoices').selectAll().where('workspace_id', '=', w.workspaceId).execute()
    expect(invoices).toHaveLength(1)
    const inv = invoices[0]
    expect(inv).toMatchObject({ id: billingInvoiceId(items[0].id), status: 'brouillon', number: null, organisation_id: w.orgId, contact_id: w.contactId })
    // 100 € × 3 per month, billed per quarter: 3 × 300 € HT.
    expect(inv.lines).toEqual([expect.objectContaining({ quantity: '3', unit_price_cents: 300_00, vat_rate: 2000 })])
    expect((inv.lines as { description: string }[])[0].description).toContain('Infogérance')
    expect(Number(inv.total_ht_cents)).toBe(900_00)
    const item = await db().selectFrom('billing_items').select(['status', 'invoice_id']).where('id', '=', items[0].id).executeTakeFirstOrThrow()
    expect(item).toEqual({ status: 'facture', invoice_id: inv.id })

    // Issued directly: a second contract's item gets a number.
    const s = await loadInvoiceSettings(db(), w.workspaceId)
    const { workspace_id: _w, version, ...fields } = s
    await saveInvoiceSettingsCommand(db(), ctx(), { expectedVersion: version, fields: { ...fields, contract_billing_issue: true } })
    await createContractCommand(db(), ctx(), {
      id: randomUUID(),
      activate: true,
      fields: contractFields(w.orgId, {
        title: 'Hébergement',
        contact_id: w.contactId,
        start_date: today,
        end_date: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
      }),
    })
    // Another workspace's due items are not this workspace's business.
    const other = await givenQuoteCustomer(db(), { dealStage: null })
    await createContractCommand(db(), other.ctx(other.users.finance), {
      id: randomUUID(),
      activate: true,
      fields: contractFields(other.orgId, { start_date: today, end_date: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}` }),
    })
    const issued = await invoiceDueBillingItems(db(), null, now, { workspaceId: w.workspaceId })
    expect(issued.issueFailed).toEqual([])
    expect(issued.invoiced).toHaveLength(1)
    expect(issued.invoiced[0].number).toMatch(/-F-0001$/)
    const otherItems = await db().selectFrom('billing_items').select('status').where('workspace_id', '=', other.workspaceId).execute()
    expect(otherItems.map((i) => i.status)).toEqual(['a_facturer'])
  }, 60_000)
})
