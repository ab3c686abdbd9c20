// Exact numbers for quotes and invoices: money in integer cents, quantities as decimal
// strings with at most 3 decimals, held as integer thousandths (BigInt) while computing.
// No float ever touches an amount. Euro amounts are read and printed by domain/shared/money.

/** Quantities up to 999 999 999,999. */
const QUANTITY_RE = /^(\d{1,9})(?:\.(\d{1,3}))?$/
// The largest amount a line, a discount or a total may reach is MAX_AMOUNT_CENTS (domain/shared/plausible).
/** The largest unit price: 1 milliard € HT. */
export const MAX_UNIT_PRICE_CENTS = 100_000_000_000

const stripSpaces = (s: string) => s.replace(/[\s\u00a0\u202f]/g, '')

/** n / d rounded half up (x.5 → x+1), for n ≥ 0 and d > 0. */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (n < 0n || d <= 0n) throw new RangeError('divRoundHalfUp: n ≥ 0 and d > 0 only')
  return (2n * n + d) / (2n * d)
}

/**
 * A quantity as typed ("2,5", "0.333", "12") → integer thousandths and its canonical
 * text ("2.5", "0.333", "12"); null when not a number ≥ 0 with at most 3 decimals.
 *
 * @example parseQuantity('2,50') // { milli: 2500n, text: '2.5' }
 */
export function parseQuantity(input: string | number | null | undefined): { milli: bigint; text: string } | null {
  if (input === null || input === undefined) return null
  const s = stripSpaces(String(input)).replace(',', '.')
  const m = QUANTITY_RE.exec(s)
  if (!m) return null
  const milli = BigInt(m[1]) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0'))
  return { milli, text: quantityText(milli) }
}

/** 2500n → "2.5"; 333n → "0.333"; 3000n → "3" (no trailing zeros: one text per value). */
export function quantityText(milli: bigint): string {
  const int = milli / 1000n
  const frac = (milli % 1000n).toString().padStart(3, '0').replace(/0+$/, '')
  return frac ? `${int}.${frac}` : `${int}`
}

/** "2.5" → "2,5" for French pages and PDFs. */
export const formatQuantityFr = (text: string) => text.replace('.', ',')

/**
 * A percentage as typed ("12,5", "12.5 %", "20") → basis points (1250, 2000); null
 * unless 0 ≤ p ≤ 100 with at most 2 decimals.
 */
export function parsePercent(input: string | number | null | undefined): number | null {
  if (input === null || input === undefined) return null
  const s = stripSpaces(String(input)).replace(/%$/, '').replace(',', '.')
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(s)
  if (!m) return null
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return bps <= 10_000 ? bps : null
}

/** 1250 → "12,5 %"; 2000 → "20 %". */
export function formatPercentFr(bps: number): string {
  const int = Math.trunc(bps / 100)
  const frac = String(bps % 100)
    .padStart(2, '0')
    .replace(/0+$/, '')
  return `${int}${frac ? ',' + frac : ''}\u00a0%`
}
