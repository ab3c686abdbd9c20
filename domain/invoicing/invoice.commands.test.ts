import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/kysely.js'
import { givenQuoteCustomer, quoteLine } from '../../testing/quote-records.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { acceptQuoteCommand, sendQuoteCommand } from '../sales/quote.commands.js'
import { DomainError } from '../shared/errors.js'
import { addDays } from '../shared/paris-time.js'
import { runDunning } from './dunning.js'
import type { InvoiceDocument } from './invoice-document.js'
import {
  createCreditNoteCommand,
  createInvoiceDraftCommand,
  createInvoiceFromQuoteCommand,
  defaultInvoiceFields,
  issueInvoiceCommand,
  recordInvoicePaymentCommand,
  setDunningPausedCommand,
  updateInvoiceDraftCommand,
} from './invoice.commands.js'
import { ensureInvoicePdf } from './invoice-pdf.js'

// Against the real embedded Postgres: numbering under concurrency, the frozen issued
// invoice on every write path, deposits and credit notes, payments, the PDF drawn once,
// and dunning's once-per-stage guarantee.
let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  pg = createDb(await createTestDatabase(), { max: 40 })
})
afterAll(async () => {
  await pg?.db.destroy()
})
const db = () => pg.db

async function given() {
  const w = await givenQuoteCustomer(db(), { dealStage: null })
  const fields = { ...(await defaultInvoiceFields(db(), w.workspaceId, w.orgId)), contact_id: w.contactId }
  const draft = async (lines = [quoteLine()]) => {
    const id = randomUUID()
    await createInvoiceDraftCommand(db(), w.ctx(w.users.finance), { id, fields, lines })
    return id
  }
  const issue = (id: string) => issueInvoiceCommand(db(), null, w.ctx(w.users.finance), { id })
  return { ...w, fields, draft, issue }
}

const seq = (n: string) => Number(n.split('-').pop())

describe('numbering', () => {
  it('100 invoices issued at once get 100 consecutive numbers, no gap, no duplicate', async () => {
    const w = await given()
    const ids = await Promise.all(Array.from({ length: 100 }, () => w.draft()))
    const results = await Promise.all(ids.map((id) => w.issue(id)))
    const numbers = results.map((r) => r.number!).sort()
    expect(new Set(numbers).size).toBe(100)
    const ranks = numbers.map(seq).sort((a, b) => a - b)
    expect(ranks).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(numbers[0]).toMatch(/^\d{4}-F-0001$/)
    // Chronological within the series: a higher number is never issued before a lower one.
    const rows = await db().selectFrom('invoices').select(['sequence', 'issued_at']).where('workspace_id', '=', w.workspaceId).orderBy('sequence').execute()
    for (let i = 1; i < rows.length; i++) expect(new Date(rows[i].issued_at!).getTime()).toBeGreaterThanOrEqual(new Date(rows[i - 1].issued_at!).getTime())
  }, 60_000)

  it('a draft that fails validation takes no number; the next one gets the next rank', async () => {
    const w = await given()
    const empty = randomUUID()
    await createInvoiceDraftCommand(db(), w.ctx(), { id: empty, fields: w.fields, lines: [] })
    await expect(w.issue(empty)).rejects.toMatchObject({ problem: 'invoice.issue.no_lines' })
    // A buyer without SIREN (required in B2B) is refused too, and takes nothing.
    await db().updateTable('organisations').set({ siren: null }).where('id', '=', w.orgId).execute()
    const noSiren = await w.draft()
    await expect(w.issue(noSiren)).rejects.toMatchObject({ problem: { code: 'invoice.issue.buyer_incomplete' } })
    await db().updateTable('organisations').set({ siren: '404833048' }).where('id', '=', w.orgId).execute()
    const first = await w.issue(await w.draft())
    expect(seq(first.number!)).toBe(1)
    const draftRow = await db().selectFrom('invoices').select('number').where('id', '=', empty).executeTakeFirstOrThrow()
    expect(draftRow.number).toBeNull()
  })

  it('follows the workspace pattern', async () => {
    const w = await given()
    await db()
      .insertInto('invoice_settings')
      .values({
        workspace_id: w.workspaceId,
        number_pattern: 'FA{YY}-{NNNNN}',
        default_operation_category: 'services',
        default_payment_terms: '30j',
        late_penalty_rate_bps: 948,
        early_payment_discount: null,
        vat_on_debits: false,
        reminder_friendly: null,
        reminder_firm: null,
        reminder_formal: null,
        contract_billing_issue: false,
        version: 1,
        updated_at: new Date(),
      })
      .execute()
    const r = await w.issue(await w.draft())
    expect(r.number).toMatch(/^FA\d{2}-00001$/)
  })
})

describe('an issued invoice is immutable', () => {
  it('refuses the command, the SQL update of its content and its deletion; follow-up columns still move', async () => {
    const w = await given()
    const id = await w.draft()
    const r = await w.issue(id)
    await expect(
      updateInvoiceDraftCommand(db(), w.ctx(), { id, fields: w.fields, lines: [quoteLine({ quantity: '1' })], globalDiscount: null }),
    ).rejects.toMatchObject({
      problem: 'invoice.issued.immutable',
      status: 409,
    })
    await expect(w.issue(id)).rejects.toMatchObject({ problem: 'invoice.issued.immutable' })
    await expect(db().updateTable('invoices').set({ total_ttc_cents: 1 }).where('id', '=', id).execute()).rejects.toThrow(/frozen/)
    await expect(db().updateTable('invoices').set({ number: 'X' }).where('id', '=', id).execute()).rejects.toThrow(/frozen/)
    await expect(sql`update invoices set document = '{}'::jsonb where id = ${id}`.execute(db())).rejects.toThrow(/frozen/)
    await expect(db().deleteFrom('invoices').where('id', '=', id).execute()).rejects.toThrow(/cannot be deleted/)
    await db().updateTable('invoices').set({ dunning_paused: true }).where('id', '=', id).execute()
    const row = await db().selectFrom('invoices').select(['number', 'total_ttc_cents', 'dunning_paused']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ number: r.number, total_ttc_cents: 306000, dunning_paused: true })
  })
})

describe('from a signed quote: deposit, final invoice, credit note, payments', () => {
  it('deducts the deposit on the final invoice and cancels an invoice with a total credit note', async () => {
    const w = await given()
    const quoteId = await w.quote([quoteLine(), quoteLine({ description: 'Livre', quantity: '2', unit_price_cents: 2_000, vat_rate: 550 })])
    await sendQuoteCommand(db(), w.ctx(w.users.commercial), { id: quoteId })
    await acceptQuoteCommand(db(), w.ctx(w.users.commercial), { id: quoteId, revision: 1, signedBy: 'Claire Martin' })

    const depositId = randomUUID()
    await createInvoiceFromQuoteCommand(db(), w.ctx(), { id: depositId, quoteId, mode: 'deposit', depositBps: 3000 })
    const dep = await issueInvoiceCommand(db(), null, w.ctx(), { id: depositId })
    expect(dep.state!.type_code).toBe('386')
    // 30 % of 2 550,00 € HT at 20 % and of 40,00 € HT at 5,5 %.
    expect(dep.state!.lines.map((l) => l.unit_price_cents)).toEqual([76_500, 1_200])

    const finalId = randomUUID()
    await createInvoiceFromQuoteCommand(db(), w.ctx(), { id: finalId, quoteId, mode: 'full' })
    const fin = await issueInvoiceCommand(db(), null, w.ctx(), { id: finalId })
    const doc = fin.state!.document as InvoiceDocument
    expect(doc.quote_number).toMatch(/^DEV-/)
    expect(doc.deducted_deposits.map((d) => d.number)).toEqual([dep.number])
    expect(doc.amount_due_cents).toBe(doc.totals.total_ttc_cents - dep.state!.total_ttc_cents)
    expect(fin.state!.amount_due_cents).toBe(doc.amount_due_cents)

    // A partial payment, then an over-payment refused, then the rest.
    const pay = (amount: number) =>
      recordInvoicePaymentCommand(db(), w.ctx(w.users.finance), {
        invoiceId: finalId,
        paymentId: randomUUID(),
        paidOn: '2026-06-20',
        amountCents: amount,
        method: 'virement',
        reference: null,
      })
    await pay(10_000)
    await expect(pay(doc.amount_due_cents)).rejects.toMatchObject({ problem: { code: 'invoice.payment.overpaid' } })
    const done = await pay(doc.amount_due_cents - 10_000)
    expect(done.state!.paid_cents).toBe(doc.amount_due_cents)

    // Credit note on the deposit invoice, total: it is cancelled, never deleted.
    const avoirId = randomUUID()
    await createCreditNoteCommand(db(), w.ctx(), { id: avoirId, invoiceId: depositId })
    const avoir = await issueInvoiceCommand(db(), null, w.ctx(), { id: avoirId })
    expect(avoir.state!.type_code).toBe('381')
    expect((avoir.state!.document as InvoiceDocument).preceding_invoice).toMatchObject({ invoice_id: depositId, number: dep.number })
    const cancelled = await db().selectFrom('invoices').select(['status', 'credited_cents']).where('id', '=', depositId).executeTakeFirstOrThrow()
    expect(cancelled).toMatchObject({ status: 'annulee', credited_cents: dep.state!.total_ttc_cents })
    await expect(createCreditNoteCommand(db(), w.ctx(), { id: randomUUID(), invoiceId: depositId })).rejects.toBeInstanceOf(DomainError)

    // The accounting bridge: one sales entry per issued document, one bank entry per payment,
    // and the final invoice's client lines lettered once it is paid in full.
    const entries = await db()
      .selectFrom('journal_entries')
      .select(['journal_code', 'piece_ref'])
      .where('workspace_id', '=', w.ctx().workspaceId)
      .orderBy('journal_code')
      .orderBy('number')
      .execute()
    expect(entries.filter((e) => e.journal_code === 'VT').map((e) => e.piece_ref)).toEqual([dep.number, fin.number, avoir.number])
    expect(entries.filter((e) => e.journal_code === 'BQ')).toHaveLength(2)
    const finalClientLines = await db()
      .selectFrom('journal_lines')
      .select(['lettering'])
      .where('workspace_id', '=', w.ctx().workspaceId)
      .where('account', '=', '411')
      .where('match_ref', '=', fin.number)
      .execute()
    expect(finalClientLines.length).toBeGreaterThanOrEqual(3)
    expect(new Set(finalClientLines.map((l) => l.lettering)).size).toBe(1)
    expect(finalClientLines[0]!.lettering).not.toBeNull()
  })

  it('a partial credit note reduces what is left to pay and cannot exceed it', async () => {
    const w = await given()
    const inv = await w.issue(await w.draft())
    const id = randomUUID()
    await createCreditNoteCommand(db(), w.ctx(), { id, invoiceId: inv.state!.id })
    await updateInvoiceDraftCommand(db(), w.ctx(), { id, fields: w.fields, lines: [quoteLine({ quantity: '1' })], globalDiscount: null })
    const a = await issueInvoiceCommand(db(), null, w.ctx(), { id })
    const after = await db().selectFrom('invoices').select(['status', 'credited_cents']).where('id', '=', inv.state!.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ status: 'emise', credited_cents: a.state!.total_ttc_cents })
  })
})

describe('the PDF', () => {
  it('is drawn once: every later read returns the same bytes, and the renderer is not called again', async () => {
    const w = await given()
    const r = await w.issue(await w.draft())
    let calls = 0
    const render = async () => {
      calls++
      return new TextEncoder().encode(`%PDF-1.7 ${randomUUID()}`)
    }
    const [a, b] = await Promise.all([ensureInvoicePdf(db(), w.workspaceId, r.state!.id, render), ensureInvoicePdf(db(), w.workspaceId, r.state!.id, render)])
    const c = await ensureInvoicePdf(db(), w.workspaceId, r.state!.id, render)
    expect(a!.sha256).toBe(b!.sha256)
    expect(Buffer.compare(a!.bytes, c!.bytes)).toBe(0)
    expect(calls).toBeLessThanOrEqual(2)
  })
})

describe('dunning', () => {
  it('sends each reminder once (run twice, or a run that died mid-way), none when paused or after payment', async () => {
    const w = await given()
    const r = await w.issue(await w.draft())
    const id = r.state!.id
    const due = r.state!.due_date!
    const at = (day: string) => new Date(`${day}T08:00:00Z`)
    const reminders = () => db().selectFrom('invoice_reminders').select('stage').where('invoice_id', '=', id).orderBy('sent_at').execute()

    // A run that dies after claiming (its transaction rolled back) leaves nothing behind.
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto('invoice_reminders')
            .values({ workspace_id: w.workspaceId, invoice_id: id, stage: 'friendly', sent_at: at(due) })
            .execute()
          throw new Error('worker killed')
        }),
    ).rejects.toThrow('worker killed')

    const jMinus3 = at(addDays(due, -3))
    await Promise.all([runDunning(db(), null, jMinus3, { workspaceId: w.workspaceId }), runDunning(db(), null, jMinus3, { workspaceId: w.workspaceId })])
    await runDunning(db(), null, jMinus3, { workspaceId: w.workspaceId })
    expect(await reminders()).toEqual([{ stage: 'friendly' }])
    const emails = await db()
      .selectFrom('outbound_emails')
      .select(['subject', 'idempotency_key'])
      .where('idempotency_key', 'like', `invoice_reminder:${id}:%`)
      .execute()
    expect(emails).toHaveLength(1)

    await setDunningPausedCommand(db(), w.ctx(), { id, paused: true })
    await runDunning(db(), null, at(addDays(due, 7)), { workspaceId: w.workspaceId })
    expect(await reminders()).toHaveLength(1)
    await setDunningPausedCommand(db(), w.ctx(), { id, paused: false })
    await runDunning(db(), null, at(addDays(due, 8)), { workspaceId: w.workspaceId })
    await runDunning(db(), null, at(addDays(due, 30)), { workspaceId: w.workspaceId })
    expect((await reminders()).map((x) => x.stage)).toEqual(['friendly', 'firm', 'formal'])
    const formal = await db()
      .selectFrom('outbound_emails')
      .select(['text'])
      .where('idempotency_key', '=', `invoice_reminder:${id}:formal`)
      .executeTakeFirstOrThrow()
    expect(formal.text).toContain('40,00')
    const penalty = await db()
      .selectFrom('invoice_reminders')
      .select('penalty_cents')
      .where('invoice_id', '=', id)
      .where('stage', '=', 'formal')
      .executeTakeFirstOrThrow()
    expect(Number(penalty.penalty_cents)).toBeGreaterThan(0)

    // Paid in full: nothing more for a second invoice past its due date.
    const paid = await w.issue(await w.draft())
    await recordInvoicePaymentCommand(db(), w.ctx(), {
      invoiceId: paid.state!.id,
      paymentId: randomUUID(),
      paidOn: due,
      amountCents: paid.state!.amount_due_cents,
      method: 'cheque',
      reference: null,
    })
    await runDunning(db(), null, at(addDays(paid.state!.due_date!, 7)), { workspaceId: w.workspaceId })
    expect(await db().selectFrom('invoice_reminders').select('stage').where('invoice_id', '=', paid.state!.id).execute()).toEqual([])
  })
})

describe('sending', () => {
  it('stores the e-mail with the invoice PDF attached and a private link; the sent date is kept', async () => {
    const { sendInvoiceByEmail } = await import('./invoice-send.js')
    const { renderInvoiceDocument } = await import('./document/render-invoice.server.js')
    const w = await given()
    const r = await w.issue(await w.draft())
    const sent = await sendInvoiceByEmail(db(), null, w.ctx(w.users.finance), {
      id: r.state!.id,
      email: { to: w.email, subject: `Facture ${r.number}`, message: 'Bonjour,\n\nVoici la facture.' },
      render: renderInvoiceDocument,
    })
    const att = await db()
      .selectFrom('outbound_email_attachments')
      .select(['filename', 'content_type', 'content'])
      .where('email_id', '=', sent.emailId)
      .execute()
    expect(att).toHaveLength(1)
    expect(att[0]).toMatchObject({ filename: `facture-${r.number}.pdf`, content_type: 'application/pdf' })
    expect(Buffer.from(att[0].content).subarray(0, 5).toString()).toBe('%PDF-')
    const row = await db().selectFrom('invoices').select(['sent_at', 'pdf_sha256']).where('id', '=', r.state!.id).executeTakeFirstOrThrow()
    expect(row.sent_at).not.toBeNull()
    const { createHash } = await import('node:crypto')
    expect(createHash('sha256').update(att[0].content).digest('hex')).toBe(row.pdf_sha256)
    expect(sent.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})
