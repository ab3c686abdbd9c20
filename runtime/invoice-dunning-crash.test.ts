import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../db/kysely.js'
import { runDunning } from '../domain/invoicing/dunning.js'
import { createInvoiceDraftCommand, defaultInvoiceFields, issueInvoiceCommand } from '../domain/invoicing/invoice.commands.js'
import type { PaymentTermsCode } from '../domain/invoicing/invoice-rules.js'
import { addDays } from '../domain/shared/paris-time.js'
import { cleanUp, ROOT, startChild } from './testing/child-process.js'
import { givenQuoteCustomer, quoteLine } from '../testing/quote-records.js'
import { createTestDatabase } from '../testing/test-runtime.js'

// A dunning worker killed (SIGKILL) in the middle of its pass, in its own process: the
// reminder it had claimed and written the e-mail of, but not committed, goes out on the
// next run; the ones it committed do not go out again. Each reminder once, e-mail included.

let url: string
let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  url = await createTestDatabase()
  pg = createDb(url, { max: 4 })
})
afterAll(async () => {
  await cleanUp([])
  await pg?.db.destroy()
})
const db = () => pg.db

describe('dunning under a killed worker', () => {
  it('sends each reminder once when the worker dies mid-run and the pass runs again', async () => {
    const w = await givenQuoteCustomer(db(), { dealStage: null })
    const ctx = () => w.ctx(w.users.finance)
    const base = { ...(await defaultInvoiceFields(db(), w.workspaceId, w.orgId)), contact_id: w.contactId }
    const issue = async (terms: PaymentTermsCode) => {
      const id = randomUUID()
      await createInvoiceDraftCommand(db(), ctx(), { id, fields: { ...base, payment_terms_code: terms }, lines: [quoteLine()] })
      const r = await issueInvoiceCommand(db(), null, ctx(), { id })
      return { id, due: r.state!.due_date! }
    }
    // Due dates in this order, which is the pass's order: a first, b second, c last.
    const a = await issue('reception')
    const b = await issue('30j')
    const c = await issue('60j')
    const now = new Date(`${addDays(c.due, 7)}T08:00:00Z`)

    // The test holds b's row: the worker commits a's reminder, then waits on b mid-transaction.
    const holder = await pg.sql.reserve()
    await holder`begin`
    await holder`select id from invoices where id = ${b.id} for update`
    const child = startChild(path.join(ROOT, 'jobs/testing/dunning-child.ts'), {
      DUNNING_DATABASE_URL: url,
      DUNNING_WORKSPACE_ID: w.workspaceId,
      DUNNING_NOW: now.toISOString(),
    })
    try {
      await child.waitFor(/^started$/)
      await expect
        .poll(async () => Number((await sql<{ n: string }>`select count(*) as n from pg_locks where not granted`.execute(db())).rows[0].n), { timeout: 60_000 })
        .toBeGreaterThan(0)
      child.proc.kill('SIGKILL')
      expect((await child.exited).signal).toBe('SIGKILL')
    } finally {
      await holder`rollback`
      holder.release()
    }
    const committed = await db().selectFrom('invoice_reminders').select(['invoice_id', 'sent_at']).where('workspace_id', '=', w.workspaceId).execute()
    expect(committed.map((r) => r.invoice_id)).toEqual([a.id])

    // The next run (and a second one) sends b's and c's, and nothing more to a.
    await runDunning(db(), null, now, { workspaceId: w.workspaceId })
    await runDunning(db(), null, now, { workspaceId: w.workspaceId })
    const reminders = await db()
      .selectFrom('invoice_reminders')
      .select(['invoice_id', 'stage', 'sent_at'])
      .where('workspace_id', '=', w.workspaceId)
      .orderBy('invoice_id')
      .execute()
    expect(reminders.map((r) => `${r.invoice_id}:${r.stage}`).sort()).toEqual([`${a.id}:formal`, `${b.id}:formal`, `${c.id}:firm`].sort())
    const emails = await db()
      .selectFrom('outbound_emails')
      .select('idempotency_key')
      .where('workspace_id', '=', w.workspaceId)
      .where('idempotency_key', 'like', 'invoice_reminder:%')
      .execute()
    expect(emails.map((e) => e.idempotency_key).sort()).toEqual(
      [`invoice_reminder:${a.id}:formal`, `invoice_reminder:${b.id}:formal`, `invoice_reminder:${c.id}:firm`].sort(),
    )
    const events = await db()
      .selectFrom('events')
      .select('stream_id')
      .where('workspace_id', '=', w.workspaceId)
      .where('type', '=', 'InvoiceReminderSent')
      .execute()
    expect(events).toHaveLength(3)
  }, 120_000)
})
