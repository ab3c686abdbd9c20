import { randomUUID } from 'node:crypto'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/kysely.js'
import { givenWorkspace } from '../../testing/fixtures.js'
import { testNow } from '../../testing/clock.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { testCreditNote, testDepositInvoice, testFinalInvoice, testInvoice } from '../invoicing/document/testing-documents.js'
import type { InvoiceDocument } from '../invoicing/invoice-document.js'
import { addDays, parisDay } from '../shared/paris-time.js'
import { DEFAULT_CHART } from './chart.js'
import { saveChartCommand } from './chart-settings.js'
import { salesEntryFor } from './entries.js'
import { checkFec, FEC_COLUMNS, fecChunks, fecFileName, transliterateLatin9 } from './fec.js'
import { letterCode, postInvoiceIssued, postPaymentRecorded } from './journal.js'

// The journal and the FEC against the real Postgres: an invoice, a deposit invoice, the
// final invoice deducting it, a credit note and payments are posted as the invoicing
// bridge will; the file is then read back column by column, as the administration's
// tools read it.

let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  pg = createDb(await createTestDatabase())
})
afterAll(async () => {
  await pg?.db.destroy()
})
const db = () => pg.db

async function readAll(gen: AsyncGenerator<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const c of gen) parts.push(Buffer.from(c))
  return Buffer.concat(parts)
}

type Rec = Record<(typeof FEC_COLUMNS)[number], string>
function parseFec(text: string): Rec[] {
  expect(text.endsWith('\r\n')).toBe(true)
  const [header, ...rows] = text.slice(0, -2).split('\r\n')
  expect(header.split('\t')).toEqual([...FEC_COLUMNS])
  return rows.map((row) => {
    const f = row.split('\t')
    expect(f).toHaveLength(18)
    const rec = Object.fromEntries(FEC_COLUMNS.map((c, i) => [c, f[i]])) as Rec
    for (const c of ['EcritureDate', 'PieceDate', 'ValidDate'] as const) expect(rec[c]).toMatch(/^\d{8}$/)
    expect(rec.Debit).toMatch(/^\d+,\d{2}$/)
    expect(rec.Credit).toMatch(/^\d+,\d{2}$/)
    if (rec.EcritureLet) expect(rec.DateLet).toMatch(/^\d{8}$/)
    for (const c of ['JournalCode', 'JournalLib', 'EcritureNum', 'CompteNum', 'CompteLib', 'PieceRef', 'EcritureLib'] as const) expect(rec[c]).not.toBe('')
    return rec
  })
}
const cents = (s: string) => Number(s.replace(',', ''))

function inWorkspace(doc: InvoiceDocument, ws: string, buyerName?: string): InvoiceDocument {
  return { ...doc, seller: { ...doc.seller, workspace_id: ws }, buyer: buyerName ? { ...doc.buyer, name: buyerName } : doc.buyer }
}

describe('journal entries and the FEC', () => {
  it('posts invoices, a deposit, a final invoice, a credit note and payments; the FEC reads back balanced, numbered and lettered', async () => {
    const w = await givenWorkspace(db())
    const ctx = w.ctx()
    const now = testNow()
    const day = parisDay(now)
    const name = 'Cœur d’Artichaut — 5 €'
    const inv = inWorkspace(testInvoice(now, 'F-0001'), w.workspaceId, name)
    inv.lines[2] = { ...inv.lines[2], category: 'Marchandises' }
    const dep = inWorkspace(testDepositInvoice(now, 'F-0002'), w.workspaceId)
    const fin = inWorkspace(testFinalInvoice(now, dep, 'F-0003'), w.workspaceId)
    const cn = { ...inWorkspace(testCreditNote(now, inv, 'A-0001'), w.workspaceId, name), invoice_id: randomUUID() }

    const first = await postInvoiceIssued(db(), ctx, inv)
    expect(first).toMatchObject({ journal_code: 'VT', number: 1, created: true })
    // Idempotent on the source: the replay writes nothing and keeps the number.
    expect(await postInvoiceIssued(db(), ctx, inv)).toMatchObject({ id: first.id, number: 1, created: false })
    await postInvoiceIssued(db(), ctx, dep)
    await postInvoiceIssued(db(), ctx, fin)
    await postInvoiceIssued(db(), ctx, cn)
    // The deposit paid in full, the final invoice in part, the invoice for what the credit note leaves.
    const pay = (invoice_number: string, amount_cents: number, customer_code: string | null = 'C00042', customer_name = 'Boulangerie Martin & Fils') =>
      postPaymentRecorded(db(), ctx, { id: randomUUID(), invoice_number, customer_code, customer_name, date: day, amount_cents, method: 'transfer' })
    expect(await pay('F-0002', dep.totals.total_ttc_cents)).toMatchObject({ journal_code: 'BQ', number: 1 })
    await pay('F-0003', 100_00)
    await pay('F-0001', inv.totals.total_ttc_cents - cn.totals.total_ttc_cents, null, name)

    // Posted entries are never changed.
    await expect(db().updateTable('journal_entries').set({ label: 'autre' }).where('id', '=', first.id).execute()).rejects.toThrow(/never changed/)

    const period = { start: addDays(day, -10), end: addDays(day, 10) }
    const check = await checkFec(db(), w.workspaceId, period)
    expect(check).toMatchObject({ ok: true, problems: [], entries: 7 })
    expect(check.debit_cents).toBe(check.credit_cents)

    const raw = await readAll(fecChunks(db(), w.workspaceId, period, { chunkRows: 3 }))
    const rows = parseFec(iconv.decode(raw, 'iso-8859-15'))
    expect(rows.length).toBe(check.lines)

    // Each entry balanced; numbers continuous from 1 in each journal, in date order.
    const entries = new Map<string, Rec[]>()
    for (const r of rows) entries.set(`${r.JournalCode}/${r.EcritureNum}`, [...(entries.get(`${r.JournalCode}/${r.EcritureNum}`) ?? []), r])
    for (const lines of entries.values()) expect(lines.reduce((a, r) => a + cents(r.Debit) - cents(r.Credit), 0)).toBe(0)
    for (const j of ['VT', 'BQ']) {
      const nums = [...new Set(rows.filter((r) => r.JournalCode === j).map((r) => Number(r.EcritureNum)))]
      expect(nums).toEqual(nums.map((_, i) => i + 1))
    }
    expect(entries.get('VT/1')![0].JournalLib).toBe('Ventes')

    // The credit note: 411 credited with its TTC, revenue and VAT debited.
    const credit = entries.get('VT/4')!
    expect(credit.find((r) => r.CompteNum === '411')).toMatchObject({ CompAuxNum: 'C00042', Debit: '0,00', PieceRef: 'A-0001' })
    expect(cents(credit.find((r) => r.CompteNum === '411')!.Credit)).toBe(cn.totals.total_ttc_cents)
    expect(credit.filter((r) => r.CompteNum.startsWith('70')).every((r) => cents(r.Debit) > 0)).toBe(true)
    // The deposit credits 4191 (not revenue); the final invoice takes it back.
    const deposit = entries.get('VT/2')!
    expect(deposit.some((r) => r.CompteNum.startsWith('70'))).toBe(false)
    expect(cents(deposit.find((r) => r.CompteNum === '4191')!.Credit)).toBe(dep.totals.total_ht_cents)
    const final = entries.get('VT/3')!
    expect(cents(final.find((r) => r.CompteNum === '4191')!.Debit)).toBe(dep.totals.total_ht_cents)
    expect(cents(final.find((r) => r.CompteNum === '411')!.Debit)).toBe(fin.amount_due_cents)
    // The category mapping: "Marchandises" → 707, the rest → 706.
    expect(entries.get('VT/1')!.map((r) => r.CompteNum)).toEqual(expect.arrayContaining(['411', '706', '707', '445712', '445715', '445711']))

    // Cross-check: Σ of each VAT sub-account = the VAT per rate of the documents (the
    // final invoice's net of its deposit, the credit note's taken off).
    const vatOf = (doc: InvoiceDocument, rate: number) => doc.totals.vat.filter((g) => g.rate === rate).reduce((a, g) => a + g.vat_cents, 0)
    for (const [rate, account] of Object.entries(DEFAULT_CHART.vat_collected)) {
      if (rate === '0') continue
      const r = Number(rate)
      const posted = rows.filter((x) => x.CompteNum === account).reduce((a, x) => a + cents(x.Credit) - cents(x.Debit), 0)
      expect(posted, `TVA ${rate}`).toBe(vatOf(inv, r) + vatOf(dep, r) + vatOf(fin, r) - vatOf(dep, r) - vatOf(cn, r))
    }

    // Lettering: the deposit and its payment share a letter and a date; the invoice, its
    // credit note and the balance paid another; the part-paid final invoice none.
    const client = rows.filter((r) => r.CompteNum === '411')
    const letterOf = (ref: string) => [...new Set(client.filter((r) => r.PieceRef === ref).map((r) => r.EcritureLet))]
    expect(letterOf('F-0002')).toEqual(['A'])
    expect(client.filter((r) => r.EcritureLet === 'A')).toHaveLength(2)
    expect(client.find((r) => r.EcritureLet === 'A')!.DateLet).toBe(day.replaceAll('-', ''))
    expect(letterOf('F-0003')).toEqual([''])
    expect(
      client
        .filter((r) => r.EcritureLet === 'B')
        .map((r) => r.PieceRef)
        .sort(),
    ).toEqual(['A-0001', 'F-0001', 'F-0001'])

    // ISO 8859-15: œ and € kept (bytes BD and A4), the typographic apostrophe and the dash transliterated.
    expect(rows.find((r) => r.JournalCode === 'VT' && r.PieceRef === 'F-0001' && r.CompteNum === '411')!.CompAuxLib).toBe("Cœur d'Artichaut - 5 €")
    expect(raw.includes(Buffer.from([0xbd]))).toBe(true)
    expect(raw.includes(Buffer.from([0xa4]))).toBe(true)
    // The UTF-8 option keeps every character as typed.
    const utf8 = parseFec((await readAll(fecChunks(db(), w.workspaceId, period, { encoding: 'utf8' }))).toString('utf8'))
    expect(utf8.find((r) => r.JournalCode === 'VT' && r.PieceRef === 'F-0001' && r.CompteNum === '411')!.CompAuxLib).toBe(name)
    expect(fecFileName('732829320', period.end)).toBe(`732829320FEC${period.end.replaceAll('-', '')}.txt`)
  })

  it('a saved chart changes the accounts of entries posted afterwards', async () => {
    const w = await givenWorkspace(db())
    await saveChartCommand(db(), w.ctx(), {
      expectedVersion: 0,
      chart: { ...DEFAULT_CHART, customers: '41100000', revenue_default: '706100', sales_journal: { code: 'VE', label: 'Journal des ventes' } },
    })
    const doc = inWorkspace(testInvoice(testNow(), 'F-0100'), w.workspaceId)
    expect(await postInvoiceIssued(db(), w.ctx(), doc)).toMatchObject({ journal_code: 'VE', number: 1 })
    const accounts = await db().selectFrom('journal_lines').select('account').where('workspace_id', '=', w.workspaceId).execute()
    expect(accounts.map((a) => a.account)).toEqual(expect.arrayContaining(['41100000', '706100']))
    // Another workspace's document is refused.
    const other = await givenWorkspace(db())
    await expect(postInvoiceIssued(db(), other.ctx(), doc)).rejects.toThrow()
  })

  it('the self-check names an unbalanced entry and a gap instead of producing the file', async () => {
    const w = await givenWorkspace(db())
    const day = parisDay(testNow())
    // Written behind the command's back, as a faulty import would.
    for (const [number, debit, credit] of [
      [1, 1000, 1000],
      [3, 1000, 990],
    ] as const) {
      const id = randomUUID()
      await db()
        .insertInto('journal_entries')
        .values({
          id,
          workspace_id: w.workspaceId,
          journal_code: 'VT',
          journal_label: 'Ventes',
          number,
          entry_date: day,
          piece_ref: `F-${number}`,
          piece_date: day,
          label: 'x',
          source_kind: 'manual',
          source_id: id,
          validated_at: testNow(),
        })
        .execute()
      const line = {
        entry_id: id,
        workspace_id: w.workspaceId,
        account_label: 'Compte',
        aux_account: null,
        aux_label: null,
        label: 'x',
        match_ref: null,
        lettering: null,
        lettered_on: null,
      }
      await db()
        .insertInto('journal_lines')
        .values([
          { ...line, position: 1, account: '411', debit_cents: debit, credit_cents: 0 },
          { ...line, position: 2, account: '706', debit_cents: 0, credit_cents: credit },
        ])
        .execute()
    }
    const check = await checkFec(db(), w.workspaceId, { start: day, end: day })
    expect(check.ok).toBe(false)
    expect(check.problems.join('\n')).toMatch(/VT n° 3 déséquilibrée : débit 10,00, crédit 9,90/)
    expect(check.problems.join('\n')).toMatch(/numérotation interrompue entre 1 et 3/)
    expect(check.problems.join('\n')).toMatch(/Total des débits/)
  })

  it('builds entries without a database: letters, transliteration, a credit note mirrors its invoice', () => {
    expect([1, 26, 27, 52, 703].map(letterCode)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA'])
    expect(transliterateLatin9('Œuvre “Ÿ” … ½ ﬁn ☃')).toBe('Œuvre "Ÿ" ... 1/2 fin ?')
    const now = testNow()
    const inv = testInvoice(now)
    const a = salesEntryFor(inv, DEFAULT_CHART)
    const b = salesEntryFor({ ...inv, type_code: '381' }, DEFAULT_CHART)
    expect(b.lines.map((l) => [l.account, l.debit_cents, l.credit_cents])).toEqual(a.lines.map((l) => [l.account, l.credit_cents, l.debit_cents]))
  })
})
