import { randomUUID } from 'node:crypto'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../../db/kysely.js'
import { givenQuoteCustomer, quoteLine } from '../../testing/quote-records.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import {
  createCreditNoteCommand,
  createInvoiceDraftCommand,
  defaultInvoiceFields,
  issueInvoiceCommand,
  recordInvoicePaymentCommand,
} from '../invoicing/invoice.commands.js'
import { parisDay } from '../shared/paris-time.js'
import { invoicesWorkbook } from './xlsx-export.js'

// The XLSX export read back with exceljs, as a spreadsheet would: amounts are numbers
// (euros, two decimals shown), dates are dates, a credit note is negative, and another
// workspace's invoices are not there.

let pg: ReturnType<typeof createDb>
beforeAll(async () => {
  pg = createDb(await createTestDatabase(), { max: 4 })
})
afterAll(async () => {
  await pg?.db.destroy()
})

async function givenBilled(db = pg.db) {
  const w = await givenQuoteCustomer(db, { dealStage: null })
  const ctx = w.ctx(w.users.finance)
  const fields = { ...(await defaultInvoiceFields(db, w.workspaceId, w.orgId)), contact_id: w.contactId }
  const issue = async () => {
    const id = randomUUID()
    await createInvoiceDraftCommand(db, ctx, { id, fields, lines: [quoteLine()] })
    const r = await issueInvoiceCommand(db, null, ctx, { id })
    return { id, number: r.number!, state: r.state! }
  }
  return { w, ctx, issue }
}

describe('the invoices and payments workbook', () => {
  it('holds numeric amounts and real dates, credit notes negative, this workspace only', async () => {
    const { w, ctx, issue } = await givenBilled()
    const paid = await issue()
    const credited = await issue()
    const day = parisDay(ctx.now)
    await recordInvoicePaymentCommand(pg.db, ctx, {
      invoiceId: paid.id,
      paymentId: randomUUID(),
      paidOn: day,
      amountCents: paid.state.amount_due_cents,
      method: 'virement',
      reference: 'VIR 42',
    })
    const creditId = randomUUID()
    await createCreditNoteCommand(pg.db, ctx, { id: creditId, invoiceId: credited.id })
    await issueInvoiceCommand(pg.db, null, ctx, { id: creditId })
    const other = await givenBilled()
    await other.issue()

    const year = day.slice(0, 4)
    const bytes = await invoicesWorkbook(pg.db, w.workspaceId, { start: `${year}-01-01`, end: `${year}-12-31` })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    const sheet = wb.getWorksheet('Factures')!
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Numéro',
      'Type',
      'Statut',
      'Date',
      'Échéance',
      'Client',
      'SIREN',
      'Total HT',
      'TVA',
      'Total TTC',
      'Net à payer',
      'Réglé',
      'Reste dû',
    ])
    expect(sheet.rowCount).toBe(4)
    const rows = [2, 3, 4].map((n) => sheet.getRow(n))
    const byNumber = new Map(rows.map((r) => [String(r.getCell(1).value), r]))
    const p = byNumber.get(paid.number)!
    expect(p.getCell(4).value).toBeInstanceOf(Date)
    expect((p.getCell(4).value as Date).toISOString().slice(0, 10)).toBe(paid.state.issue_date)
    expect(p.getCell(4).numFmt).toBe('dd/mm/yyyy')
    expect(typeof p.getCell(10).value).toBe('number')
    expect(p.getCell(10).value).toBe(paid.state.total_ttc_cents / 100)
    expect(p.getCell(10).numFmt).toContain('0.00')
    expect(p.getCell(13).value).toBe(0)
    const credit = rows.find((r) => r.getCell(2).value === 'Avoir')!
    expect(credit.getCell(10).value).toBe(-credited.state.total_ttc_cents / 100)
    expect(byNumber.get(credited.number)!.getCell(3).value).toBe('Annulée')

    const pay = wb.getWorksheet('Règlements')!
    expect(pay.rowCount).toBe(2)
    expect(pay.getRow(2).getCell(1).value).toBeInstanceOf(Date)
    expect(pay.getRow(2).getCell(2).value).toBe(paid.number)
    expect(pay.getRow(2).getCell(4).value).toBe(paid.state.amount_due_cents / 100)
    expect(pay.getRow(2).getCell(5).value).toBe('Virement')
  })
})
