import { randomUUID } from 'node:crypto'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/kysely.js'
import { givenQuoteCustomer, quoteLine } from '../../testing/quote-records.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { parseCsvText } from '../crm/import/csv.js'
import { ValidationError } from '../shared/errors.js'
import { confirmBankMatchCommand, ignoreBankLineCommand, importBankStatementCommand, pendingBankLines } from './bank-import.commands.js'
import { labelCites, proposeMatches } from './bank-matching.js'
import { parseFrenchDate, parseStatement } from './bank-statement.js'
import { createInvoiceDraftCommand, defaultInvoiceFields, issueInvoiceCommand } from './invoice.commands.js'

// Bank statements: the parsing of French bank CSVs (pure), the proposals (pure), and
// against the real embedded Postgres the import once per line, the confirmation that
// records the payment (and its bank journal entry), the refusals that change nothing.

const table = (text: string) => {
  const t = parseCsvText(text)
  return [t.headers, ...t.rows]
}

describe('reading a statement', () => {
  it('finds the header under the account lines, reads French dates, decimal commas, and debit/credit columns', () => {
    const s = parseStatement(
      table(
        [
          'Compte courant;FR76 3000 6000 0112 3456 7890 189;;',
          'Date opération;Libellé;Débit;Crédit',
          '05/03/2026;VIR SEPA BOULANGERIE MARTIN FACT 2026 F 0001;;3 060,00',
          '06/03/2026;PRLV URSSAF;1 234,56;',
          '07/3/26;VIR SEPA REMBOURSEMENT;;12,5',
          'Solde au 07/03/2026;;;1 837,94',
        ].join('\n'),
      ),
    )
    expect(s.lines.map((l) => [l.booked_on, l.amount_cents])).toEqual([
      ['2026-03-05', 306000],
      ['2026-03-06', -123456],
      ['2026-03-07', 1250],
    ])
    expect(s.lines[0].label).toBe('VIR SEPA BOULANGERIE MARTIN FACT 2026 F 0001')
  })

  it('reads one signed amount column separated by commas; identical lines of one file get distinct hashes, the same file the same ones', () => {
    const text = 'date,libelle,montant\n2026-03-05,VIR X,"1 250,00"\n2026-03-05,VIR X,"1 250,00"\n2026-03-06,bad,"1.250"\n'
    const a = parseStatement(table(text))
    const b = parseStatement(table(text))
    expect(a.lines).toHaveLength(2)
    expect(a.lines[0].line_hash).not.toBe(a.lines[1].line_hash)
    expect(b.lines.map((l) => l.line_hash)).toEqual(a.lines.map((l) => l.line_hash))
    expect(a.rejected).toEqual([{ line_no: 4, reason: 'amount' }])
  })

  it('refuses a file without date, label and amount columns', () => {
    expect(() => parseStatement(table('nom;ville\nMartin;Lyon\n'))).toThrow(ValidationError)
    expect(parseFrenchDate('31/02/2026')).toBeNull()
    expect(parseFrenchDate('1.3.2026')).toBe('2026-03-01')
  })
})

describe('proposals', () => {
  const inv = (number: string, remaining_cents: number, due_date = '2026-04-01') => ({ id: number, number, remaining_cents, due_date, organisation_name: 'X' })
  it('prefers the invoice cited in the label with the same amount, then the one cited, then the same amount', () => {
    const open = [inv('2026-F-0001', 50_000), inv('2026-F-0002', 30_000), inv('2026-F-0003', 30_000, '2026-03-01')]
    expect(proposeMatches({ label: 'VIR FACT 2026F0002', amount_cents: 30_000 }, open).map((p) => [p.invoice.number, p.reason])).toEqual([
      ['2026-F-0002', 'reference_amount'],
      ['2026-F-0003', 'amount'],
    ])
    expect(proposeMatches({ label: 'acompte 2026-F-0001', amount_cents: 10_000 }, open).map((p) => p.reason)).toEqual(['reference'])
    expect(labelCites('REF 2026F00012', '2026-F-0001')).toBe(false)
    expect(labelCites('REF 2026 F 0001.', '2026-F-0001')).toBe(true)
  })
})

let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  pg = createDb(await createTestDatabase(), { max: 4 })
})
afterAll(async () => {
  await pg?.db.destroy()
})
const db = () => pg.db

describe('importing and confirming', () => {
  it('imports each receipt once, confirms a match as a payment with its bank entry, refuses an over-payment and a second confirmation', async () => {
    const w = await givenQuoteCustomer(db(), { dealStage: null })
    const ctx = () => w.ctx(w.users.finance)
    const fields = { ...(await defaultInvoiceFields(db(), w.workspaceId, w.orgId)), contact_id: w.contactId }
    const issue = async () => {
      const id = randomUUID()
      await createInvoiceDraftCommand(db(), ctx(), { id, fields, lines: [quoteLine()] })
      return { id, number: (await issueInvoiceCommand(db(), null, ctx(), { id })).number! }
    }
    const a = await issue()
    const b = await issue()
    // Windows-1252, as French Excel saves it; the first receipt cites invoice a.
    const csv = iconv.encode(
      [
        'Date;Libellé;Montant',
        `02/07/2026;VIR SEPA BOULANGERIE MARTIN RÉF ${a.number.replace(/-/g, ' ')};3 060,00`,
        '03/07/2026;VIR SEPA INCONNU;3 060,00',
        '03/07/2026;CB FOURNITURES;-45,90',
        '04/07/2026;VIR SEPA TROP;9 999,00',
      ].join('\r\n'),
      'win1252',
    )
    const first = await importBankStatementCommand(db(), ctx(), { fileName: 'releve.csv', bytes: new Uint8Array(csv) })
    expect(first).toMatchObject({ read: 4, added: 3, duplicate: 0, debit: 1 })
    const again = await importBankStatementCommand(db(), ctx(), { fileName: 'releve.csv', bytes: new Uint8Array(csv) })
    expect(again).toMatchObject({ added: 0, duplicate: 3 })

    const pending = await pendingBankLines(db(), w.workspaceId)
    expect(pending.lines).toHaveLength(3)
    const [cited, unknown, tooMuch] = pending.lines
    expect(cited.label).toContain('RÉF')
    expect(cited.proposals[0]).toMatchObject({ invoice: { id: a.id }, reason: 'reference_amount' })
    expect(unknown.proposals.map((p) => p.reason)).toEqual(['amount', 'amount'])

    await confirmBankMatchCommand(db(), ctx(), { lineId: cited.id, invoiceId: a.id })
    const paid = await db().selectFrom('invoices').select('paid_cents').where('id', '=', a.id).executeTakeFirstOrThrow()
    expect(Number(paid.paid_cents)).toBe(306000)
    const payment = await db().selectFrom('invoice_payments').selectAll().where('invoice_id', '=', a.id).executeTakeFirstOrThrow()
    expect(payment).toMatchObject({ method: 'virement', amount_cents: expect.anything() })
    expect(String(payment.paid_on)).toBe('2026-07-02')
    const bank = await db()
      .selectFrom('journal_entries')
      .select('journal_code')
      .where('workspace_id', '=', w.workspaceId)
      .where('journal_code', '=', 'BQ')
      .execute()
    expect(bank).toHaveLength(1)

    // A second confirmation of the same line, and an over-payment, change nothing.
    await expect(confirmBankMatchCommand(db(), ctx(), { lineId: cited.id, invoiceId: b.id })).rejects.toMatchObject({ problem: 'invoice.bank.line.done' })
    await expect(confirmBankMatchCommand(db(), ctx(), { lineId: tooMuch.id, invoiceId: b.id })).rejects.toMatchObject({
      problem: { code: 'invoice.payment.overpaid' },
    })
    const stillPending = await db().selectFrom('bank_statement_lines').select('status').where('id', '=', tooMuch.id).executeTakeFirstOrThrow()
    expect(stillPending.status).toBe('a_rapprocher')
    expect(await db().selectFrom('invoice_payments').select('id').where('invoice_id', '=', b.id).execute()).toHaveLength(0)

    // Invoice a is paid: the unknown receipt is now proposed for b alone.
    const after = await pendingBankLines(db(), w.workspaceId)
    expect(after.lines.map((l) => l.id)).toEqual([unknown.id, tooMuch.id])
    expect(after.lines[0].proposals.map((p) => p.invoice.id)).toEqual([b.id])
    await ignoreBankLineCommand(db(), ctx(), { lineId: tooMuch.id })
    expect((await pendingBankLines(db(), w.workspaceId)).lines.map((l) => l.id)).toEqual([unknown.id])

    // Another workspace neither sees nor confirms these lines.
    const other = await givenQuoteCustomer(db(), { dealStage: null })
    expect((await pendingBankLines(db(), other.workspaceId)).lines).toHaveLength(0)
    await expect(confirmBankMatchCommand(db(), other.ctx(other.users.finance), { lineId: unknown.id, invoiceId: b.id })).rejects.toMatchObject({
      problem: 'invoice.bank.line.not_found',
    })
  }, 60_000)
})
