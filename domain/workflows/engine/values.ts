import { VARIABLES, type VariableType } from '../workflow.definition.js'

// Typed parsing of what users type in conditions and field values. Money is typed in
// euros ("100000", "1 500,50", "1 500,50 €") and kept in integer cents; dates as
// YYYY-MM-DD or DD/MM/YYYY; lists comma-separated.

const BY_PATH = new Map(VARIABLES.map((v) => [v.path, v]))

/** The type of a variable path; `webhook.*` and unknown paths are text. */
export const typeOf = (path: string): VariableType => BY_PATH.get(path)?.type ?? 'text'

function cleanNumber(text: string): string | null {
  // Spaces (incl. the narrow no-break space fr-FR uses), €, then a decimal comma.
  const t = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.')
  return /^-?\d+(\.\d+)?$/.test(t) ? t : null
}

/** "1 500,50" → 150050 (cents); null when it is not an amount. */
export function parseMoneyCents(text: string): number | null {
  const t = cleanNumber(text)
  if (t === null) return null
  const [int, frac = ''] = t.replace('-', '').split('.')
  if (frac.length > 2) return null
  const cents = Number(int) * 100 + Number((frac + '00').slice(0, 2))
  return t.startsWith('-') ? -cents : cents
}

export function parseNumber(text: string): number | null {
  const t = cleanNumber(text)
  return t === null ? null : Number(t)
}

/** "2027-03-01" or "01/03/2027" → "2027-03-01"; null otherwise. */
export function parseDay(text: string): string | null {
  const s = text.trim()
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (m) return validDay(+m[1], +m[2], +m[3])
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s)
  if (m) return validDay(+m[3], +m[2], +m[1])
  return null
}

function validDay(y: number, mo: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null
  return dt.toISOString().slice(0, 10)
}

export const splitList = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

/** The French way to show a value in a template: money "50 000" / "1 500,50", lists "a, b". */
export function displayValue(type: VariableType, v: unknown): unknown {
  if (v === null || v === undefined) return ''
  if (type === 'money' && typeof v === 'number') {
    const fmt = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: v % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 })
    return fmt.format(v / 100).replace(/\u202f/g, ' ')
  }
  if (type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const [y, m, d] = v.split('-')
    return `${d}/${m}/${y}`
  }
  if (type === 'boolean') return v ? 'oui' : 'non'
  return v
}

/** Cents as decimal euros for machines: 123450 → "1234.50", -5 → "-0.05" (exact, no float). */
export function euroString(cents: number): string {
  const abs = Math.abs(Math.trunc(cents))
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** The values a webhook sends: money variables as decimal euro strings, the rest as is. */
export function webhookValues(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(values)) out[k] = typeOf(k) === 'money' && typeof v === 'number' ? euroString(v) : v
  return out
}

/** Only the money variables of `values` (to lay over the French text values in a JSON template). */
export function moneyOnly(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => typeOf(k) === 'money'))
}
