import { parse } from 'csv-parse/sync'

export type CsvTable = { headers: string[]; rows: string[][]; delimiter: string; encoding: 'utf-8' | 'windows-1252' }

/**
 * Decodes and parses a CSV as French spreadsheets export it: UTF-8 (with or without
 * BOM) or Windows-1252 (Excel's "CSV" on a French Windows), `;` or `,` or tab separated.
 */
export function readCsv(bytes: Uint8Array): CsvTable {
  let text: string
  let encoding: CsvTable['encoding'] = 'utf-8'
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes)
    encoding = 'windows-1252'
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'))
  const counts = [';', ',', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const)
  const delimiter = counts.sort((a, b) => b[1] - a[1])[0][0]
  const records: string[][] = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true })
  const [headers = [], ...rows] = records
  return { headers, rows, delimiter, encoding }
}

/** "Raison sociale" → "raisonsociale": header matching ignores case, accents and punctuation. */
export const headerKey = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
