import ExcelJS from 'exceljs'
import type { Db } from '../../db/kysely.js'
import type { FecPeriod } from './fec.js'

// The invoices and payments of a period as an Excel workbook (two sheets), for the
// accountant who works in a spreadsheet: amounts are numeric cells in euros with a French
// number format (two decimals), dates are date cells shown JJ/MM/AAAA, so sums, filters
// and pivot tables work without retyping. One workspace, one period.

const EUROS = '#,##0.00 "€"'
const DAY = 'dd/mm/yyyy'
const TYPE_LABELS: Record<string, string> = { '380': 'Facture', '386': 'Acompte', '381': 'Avoir' }
const STATUS_LABELS: Record<string, string> = { emise: 'Émise', annulee: 'Annulée', brouillon: 'Brouillon' }
const METHOD_LABELS: Record<string, string> = {
  virement: 'Virement',
  cheque: 'Chèque',
  carte: 'Carte bancaire',
  prelevement: 'Prélèvement',
  especes: 'Espèces',
}

/** 'YYYY-MM-DD' → a Date at UTC midnight (Excel stores the calendar day, no zone). */
const excelDay = (day: string | Date | null) =>
  day === null ? null : new Date(`${String(day instanceof Date ? day.toISOString() : day).slice(0, 10)}T00:00:00Z`)
const euros = (cents: number) => Number(cents) / 100

/**
 * The workbook's bytes: sheet "Factures" (issued documents of the period, credit notes
 * negative) and sheet "Règlements" (payments received in the period).
 *
 * @example const bytes = await invoicesWorkbook(db, ws, { start: '2026-01-01', end: '2026-12-31' })
 */
export async function invoicesWorkbook(db: Db, workspaceId: string, period: FecPeriod): Promise<Buffer> {
  const invoices = await db
    .selectFrom('invoices as i')
    .innerJoin('organisations as o', (j) => j.onRef('o.id', '=', 'i.organisation_id').onRef('o.workspace_id', '=', 'i.workspace_id'))
    .select([
      'i.number',
      'i.type_code',
      'i.status',
      'i.issue_date',
      'i.due_date',
      'o.name',
      'o.siren',
      'i.total_ht_cents',
      'i.total_vat_cents',
      'i.total_ttc_cents',
      'i.amount_due_cents',
      'i.paid_cents',
      'i.credited_cents',
    ])
    .where('i.workspace_id', '=', workspaceId)
    .where('i.status', '!=', 'brouillon')
    .where('i.issue_date', '>=', period.start)
    .where('i.issue_date', '<=', period.end)
    .orderBy('i.issue_date')
    .orderBy('i.number')
    .execute()
  const payments = await db
    .selectFrom('invoice_payments as p')
    .innerJoin('invoices as i', (j) => j.onRef('i.id', '=', 'p.invoice_id').onRef('i.workspace_id', '=', 'p.workspace_id'))
    .innerJoin('organisations as o', (j) => j.onRef('o.id', '=', 'i.organisation_id').onRef('o.workspace_id', '=', 'i.workspace_id'))
    .select(['p.paid_on', 'i.number', 'o.name', 'p.amount_cents', 'p.method', 'p.reference'])
    .where('p.workspace_id', '=', workspaceId)
    .where('p.paid_on', '>=', period.start)
    .where('p.paid_on', '<=', period.end)
    .orderBy('p.paid_on')
    .orderBy('i.number')
    .execute()

  const wb = new ExcelJS.Workbook()
  wb.creator = 'Alforis CRM'
  const sheet = wb.addWorksheet('Factures', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = [
    { header: 'Numéro', key: 'number', width: 16 },
    { header: 'Type', key: 'type', width: 10 },
    { header: 'Statut', key: 'status', width: 10 },
    { header: 'Date', key: 'date', width: 12, style: { numFmt: DAY } },
    { header: 'Échéance', key: 'due', width: 12, style: { numFmt: DAY } },
    { header: 'Client', key: 'client', width: 32 },
    { header: 'SIREN', key: 'siren', width: 12 },
    { header: 'Total HT', key: 'ht', width: 14, style: { numFmt: EUROS } },
    { header: 'TVA', key: 'vat', width: 12, style: { numFmt: EUROS } },
    { header: 'Total TTC', key: 'ttc', width: 14, style: { numFmt: EUROS } },
    { header: 'Net à payer', key: 'due_amount', width: 14, style: { numFmt: EUROS } },
    { header: 'Réglé', key: 'paid', width: 14, style: { numFmt: EUROS } },
    { header: 'Reste dû', key: 'open', width: 14, style: { numFmt: EUROS } },
  ]
  for (const r of invoices) {
    const sign = r.type_code === '381' ? -1 : 1
    const open = r.type_code === '381' || r.status !== 'emise' ? 0 : Math.max(0, Number(r.amount_due_cents) - Number(r.paid_cents) - Number(r.credited_cents))
    sheet.addRow({
      number: r.number,
      type: TYPE_LABELS[r.type_code] ?? r.type_code,
      status: STATUS_LABELS[r.status] ?? r.status,
      date: excelDay(r.issue_date),
      due: excelDay(r.due_date),
      client: r.name,
      siren: r.siren,
      ht: euros(sign * Number(r.total_ht_cents)),
      vat: euros(sign * Number(r.total_vat_cents)),
      ttc: euros(sign * Number(r.total_ttc_cents)),
      due_amount: euros(sign * Number(r.amount_due_cents)),
      paid: euros(Number(r.paid_cents)),
      open: euros(open),
    })
  }
  sheet.getRow(1).font = { bold: true }

  const pay = wb.addWorksheet('Règlements', { views: [{ state: 'frozen', ySplit: 1 }] })
  pay.columns = [
    { header: 'Date', key: 'date', width: 12, style: { numFmt: DAY } },
    { header: 'Facture', key: 'number', width: 16 },
    { header: 'Client', key: 'client', width: 32 },
    { header: 'Montant', key: 'amount', width: 14, style: { numFmt: EUROS } },
    { header: 'Mode', key: 'method', width: 16 },
    { header: 'Référence', key: 'reference', width: 24 },
  ]
  for (const p of payments)
    pay.addRow({
      date: excelDay(p.paid_on),
      number: p.number,
      client: p.name,
      amount: euros(Number(p.amount_cents)),
      method: METHOD_LABELS[p.method] ?? p.method,
      reference: p.reference,
    })
  pay.getRow(1).font = { bold: true }
  return Buffer.from(await wb.xlsx.writeBuffer())
}
