import ExcelJS from 'exceljs'
import { PassThrough, Readable } from 'node:stream'
import { parisDay } from '../../domain/shared/paris-time'

// Exports of a filtered list, streamed batch by batch (memory stays flat up to the
// 100 000-row cap):
// - CSV for French Excel: UTF-8 with a BOM (else Excel reads it as Windows-1252), `;`
//   between fields (the comma is the decimal mark), CRLF, amounts "12500,50", dates
//   "27/11/2026", cells that Excel would run as formulas prefixed with an apostrophe.
// - XLSX, the default: amounts as numbers with a euro format, dates as real dates, every
//   text column — identifiers above all: SIREN, SIRET, postal codes, phones — as string
//   cells formatted Text ("@"), so "06000" and a 14-digit SIRET stay exactly as they are
//   (a CSV cannot say so: French Excel turns them into 6000 and 8,32289E+13). Header row
//   frozen, with an autofilter.

export type ExportColumn<R> = {
  header: string
  kind: 'text' | 'euros' | 'date' | 'integer' | 'decimal' | 'percent'
  /** text: the string; euros: integer cents; date: 'YYYY-MM-DD' (a Paris calendar date); integer, decimal: a number; percent: a ratio 0–1. */
  value: (row: R) => string | number | null | undefined
  width?: number
}

/** 1250050 → "12500,50": what French Excel reads as a number. */
export function centsToCsv(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, '0')}`
}

const isoToFr = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`

function csvCell<R>(col: ExportColumn<R>, row: R): string {
  const v = col.value(row)
  if (v === null || v === undefined || v === '') return ''
  if (col.kind === 'euros') return centsToCsv(Number(v))
  if (col.kind === 'date') return isoToFr(String(v))
  if (col.kind === 'integer') return String(v)
  // French Excel reads "12,5" as a number; a percentage goes out in points ("45,5" for 0.455).
  if (col.kind === 'decimal') return String(Number(v)).replace('.', ',')
  if (col.kind === 'percent') return String(Math.round(Number(v) * 1000) / 10).replace('.', ',')
  return csvText(String(v))
}

/** A CSV field: quoted when needed, and a cell Excel would run as a formula shown as text. */
export function csvText(value: string): string {
  // CSV injection: a cell starting like a formula is shown as text.
  const s = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

const csvLine = (cells: string[]) => `${cells.join(';')}\r\n`

export function exportFileName(base: string, ext: 'csv' | 'xlsx', now = new Date()) {
  return `${base}-${parisDay(now)}.${ext}`
}

function download(body: ReadableStream<Uint8Array>, fileName: string, type: string) {
  return new Response(body, {
    headers: {
      'Content-Type': type,
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}

/** A CSV download, each batch of rows written as it arrives. */
export function csvResponse<R>(fileName: string, columns: ExportColumn<R>[], batches: AsyncGenerator<R[]>): Response {
  const enc = new TextEncoder()
  let started = false
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true
          controller.enqueue(enc.encode(`\uFEFF${csvLine(columns.map((c) => csvText(c.header)))}`))
          return
        }
        const next = await batches.next()
        if (next.done) return controller.close()
        controller.enqueue(enc.encode(next.value.map((r) => csvLine(columns.map((c) => csvCell(c, r)))).join('')))
      } catch (e) {
        controller.error(e)
      }
    },
    async cancel() {
      await batches.return(undefined)
    },
  })
  return download(body, fileName, 'text/csv; charset=utf-8')
}

/** An XLSX download written by exceljs's streaming writer. */
export function xlsxResponse<R>(fileName: string, sheetName: string, columns: ExportColumn<R>[], batches: AsyncGenerator<R[]>): Response {
  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } }
  ws.columns = columns.map((c, i) => ({
    key: String(i),
    header: c.header,
    width: c.width ?? (c.kind === 'text' ? 24 : 14),
    style:
      c.kind === 'euros'
        ? { numFmt: '#,##0.00\\ "€"' }
        : c.kind === 'date'
          ? { numFmt: 'dd/mm/yyyy' }
          : c.kind === 'text'
            ? { numFmt: '@' }
            : c.kind === 'percent'
              ? { numFmt: '0.0%' }
              : {},
  }))
  ws.getRow(1).font = { bold: true }
  void (async () => {
    try {
      for await (const batch of batches) {
        for (const r of batch) {
          ws.addRow(
            columns.map((c) => {
              const v = c.value(r)
              if (v === null || v === undefined || v === '') return null
              if (c.kind === 'euros') return Number(v) / 100
              if (c.kind === 'date') {
                const [y, m, d] = String(v).split('-').map(Number)
                return new Date(Date.UTC(y, m - 1, d)) // Excel dates have no zone: the calendar day at UTC midnight
              }
              if (c.kind === 'integer' || c.kind === 'decimal' || c.kind === 'percent') return Number(v)
              return String(v)
            }),
          ).commit()
        }
      }
      ws.commit()
      await wb.commit()
    } catch (e) {
      out.destroy(e as Error)
    }
  })()
  return download(Readable.toWeb(out) as ReadableStream<Uint8Array>, fileName, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
}
