import { CsvError, parse } from 'csv-parse/sync'
import { ValidationError } from '../../shared/errors.js'
import { cleanCellText, decodeImportText, type TextEncodingName } from './decode-text.js'

export type CsvTable = { headers: string[]; rows: string[][]; delimiter: string; encoding: TextEncodingName; text: string }

/**
 * Decodes (decode-text.ts) and parses a CSV as French spreadsheets export it: UTF-8 (with
 * or without BOM), UTF-16 or Windows-1252, `;` or `,` or tab separated. A file that cannot
 * be read is a ValidationError on `file` with a sentence for the user, never a crash.
 */
export function readCsv(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decodeImportText(bytes)
  return { ...parseCsvText(text), encoding, text }
}

/** Parses text already decoded (an import's stored copy). */
export function parseCsvText(text: string): { headers: string[]; rows: string[][]; delimiter: string } {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'))
  const counts = [';', ',', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const)
  const delimiter = counts.sort((a, b) => b[1] - a[1])[0][0]
  let records: string[][]
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true, relax_quotes: true })
  } catch (e) {
    if (!(e instanceof CsvError)) throw e
    // The quote opened in the record after the last one read (1 = the header line).
    if (e.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new ValidationError({ file: { code: 'import.file.unclosed_quote', params: { line: Number(e.records ?? 0) + 1 } } })
    throw new ValidationError({ file: { code: 'import.file.malformed', params: { line: Number(e.lines ?? 0) } } })
  }
  const clean = records.map((r) => r.map(cleanCellText))
  const [headers = [], ...rows] = clean
  return { headers, rows, delimiter }
}

/** "Raison sociale" → "raisonsociale": header matching ignores case, accents and punctuation. */
export const headerKey = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
