import { createHash } from 'node:crypto'
import { headerKey } from '../crm/import/csv.js'
import { ValidationError } from '../shared/errors.js'
import { parseEurosToCents } from '../shared/money.js'
import { isIsoDate } from '../shared/paris-time.js'

// A bank statement as French banks export it (CSV already decoded and split by the
// import module's readCsv: `;` or `,`, UTF-8 or Windows-1252): a few lines of account
// details, then a header with a date, a label and either one signed amount or a debit
// and a credit column; French dates and decimal commas. Pure: rows in, lines out.

export type StatementLine = { line_no: number; booked_on: string; label: string; amount_cents: number; line_hash: string }
export type ParsedStatement = { lines: StatementLine[]; rejected: { line_no: number; reason: 'date' | 'amount' }[] }

const DATE_KEYS = ['date', 'dateoperation', 'datedoperation', 'dateop', 'datecomptable', 'datedecomptabilisation', 'bookingdate', 'dateeffet']
const VALUE_DATE_KEYS = ['datevaleur', 'datedevaleur', 'valuedate']
const LABEL_KEYS = ['libelle', 'libelleoperation', 'libelledeloperation', 'label', 'description', 'operation', 'intitule', 'detail', 'details', 'motif']
const AMOUNT_KEYS = ['montant', 'montanteur', 'montanteneuros', 'montantenuros', 'amount', 'somme', 'montantoperation']
const CREDIT_KEYS = ['credit', 'crediteur', 'crediteuros', 'crediteneuros', 'recette', 'recettes', 'entree', 'entrees']
const DEBIT_KEYS = ['debit', 'debiteur', 'debiteuros', 'debiteneuros', 'depense', 'depenses', 'sortie', 'sorties']

type Columns = { date: number; label: number; amount: number | null; credit: number | null; debit: number | null }

function findColumns(row: string[]): Columns | null {
  const keys = row.map(headerKey)
  const at = (names: string[]) => {
    const i = keys.findIndex((k) => names.includes(k))
    return i === -1 ? null : i
  }
  const date = at(DATE_KEYS) ?? at(VALUE_DATE_KEYS)
  const label = at(LABEL_KEYS)
  const amount = at(AMOUNT_KEYS)
  const credit = at(CREDIT_KEYS)
  const debit = at(DEBIT_KEYS)
  if (date === null || label === null || (amount === null && credit === null)) return null
  return { date, label, amount, credit, debit }
}

/** "05/03/2026", "5/3/26", "05-03-2026", "05.03.2026" (day first, as in France) or "2026-03-05" → ISO day. */
export function parseFrenchDate(input: string): string | null {
  const s = input.trim()
  if (isIsoDate(s.slice(0, 10)) && /^\d{4}-\d{2}-\d{2}(?:$|[T ])/.test(s)) return s.slice(0, 10)
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s)
  if (!m) return null
  const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3])
  const iso = `${year}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`
  return isIsoDate(iso) ? iso : null
}

/** A cell's amount in cents (0 for an empty cell), null when it is not an amount. */
function cents(cell: string | undefined): number | null {
  const s = (cell ?? '').trim()
  if (!s) return 0
  const r = parseEurosToCents(s)
  return r.ok ? r.cents : null
}

/** Case, accents, punctuation and spacing folded: the label as the hash and the matching see it. */
export const foldLabel = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim()

/**
 * The statement's lines, or a ValidationError on `file` when no header with a date, a
 * label and an amount is found in its first 20 rows. Each line's hash is its date, amount
 * and folded label, plus its rank among identical lines of the same file: importing the
 * same file (or an overlapping one) again adds nothing, while two identical receipts of
 * one day in one file both count.
 */
export function parseStatement(rows: string[][]): ParsedStatement {
  let header = -1
  let cols: Columns | null = null
  for (let i = 0; i < Math.min(rows.length, 20) && !cols; i++) {
    cols = findColumns(rows[i])
    if (cols) header = i
  }
  if (!cols) throw new ValidationError({ file: 'invoice.bank.csv.invalid' })
  const seen = new Map<string, number>()
  const lines: StatementLine[] = []
  const rejected: ParsedStatement['rejected'] = []
  for (let i = header + 1; i < rows.length; i++) {
    const r = rows[i]
    const line_no = i + 1
    if (r.every((c) => !c.trim())) continue
    const booked_on = parseFrenchDate(r[cols.date] ?? '')
    // Closing balance and total rows ("Solde au…") carry no date: not operations.
    if (!booked_on) {
      if ((r[cols.date] ?? '').trim() && /\d/.test(r[cols.date] ?? '')) rejected.push({ line_no, reason: 'date' })
      continue
    }
    let amount: number | null
    if (cols.amount !== null) amount = cents(r[cols.amount])
    else {
      const credit = cents(r[cols.credit!])
      const debit = cols.debit === null ? 0 : cents(r[cols.debit])
      amount = credit === null || debit === null ? null : Math.abs(credit) - Math.abs(debit)
    }
    if (amount === null) {
      rejected.push({ line_no, reason: 'amount' })
      continue
    }
    const label = (r[cols.label] ?? '').replace(/\s+/g, ' ').trim().slice(0, 500)
    const key = `${booked_on}|${amount}|${foldLabel(label)}`
    const rank = (seen.get(key) ?? 0) + 1
    seen.set(key, rank)
    lines.push({ line_no, booked_on, label, amount_cents: amount, line_hash: createHash('sha256').update(`${key}|${rank}`).digest('hex') })
  }
  return { lines, rejected }
}
