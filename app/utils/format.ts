// fr-FR formatters, shared by server and browser. Amounts are integer cents; dates are
// stored UTC and always shown in Europe/Paris, whatever the server's or browser's zone.

import { PARIS_TIME_ZONE } from '../../domain/shared/paris-time'

const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' })
const eurosRounded = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 })
const integer = new Intl.NumberFormat('fr-FR')

/** Exact decimal string for cents ("-1234.05"): Intl formats strings without float rounding. */
function centsToDecimalString(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not integer cents: ${cents}`)
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** 1250050 → "12 500,50 €" (narrow no-break spaces, as fr-FR writes them). */
export function formatEuros(cents: number, opts: { rounded?: boolean } = {}): string {
  const fmt = opts.rounded ? eurosRounded : euros
  return fmt.format(centsToDecimalString(cents) as unknown as number)
}

const inputWhole = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 })
const inputCents = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/**
 * Cents as an editable French amount, grouped with plain spaces (what people type, and
 * what parseEurosToCents reads back): 1250050 → "12 500,50", 1250000 → "12 500".
 */
export function centsToInput(cents: number): string {
  const fmt = cents % 100 === 0 ? inputWhole : inputCents
  return fmt.format(centsToDecimalString(cents) as unknown as number).replace(/[\u202f\u00a0]/g, ' ')
}

export const formatInteger = (n: number) => integer.format(n)

const dateFmt = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' })
const dateTimeFmt = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' })

/** A timestamp as a Paris calendar date: "27/11/2026". */
export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return ''
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatIsoDate(value)
  return dateFmt.format(new Date(value))
}

/** A timestamp as Paris date and time: "27/11/2026 14:05". */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return ''
  return dateTimeFmt.format(new Date(value))
}

/** A calendar date ("2026-11-27", no zone) as "27/11/2026", without shifting it through a zone. */
export function formatIsoDate(iso: string): string {
  const [y, m, d] = iso.split('-')
  return `${d}/${m}/${y}`
}

/**
 * A `date` column as "YYYY-MM-DD". The postgres driver hands dates back as JS Dates at
 * UTC midnight, so the UTC parts are the calendar date.
 */
export function toIsoDate(value: Date | string | null | undefined): string | null {
  if (!value) return null
  if (typeof value === 'string') return value.slice(0, 10)
  return value.toISOString().slice(0, 10)
}
