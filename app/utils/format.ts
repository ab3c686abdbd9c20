// fr-FR formatters, shared by server and browser. Amounts are integer cents; dates are
// stored UTC and always shown in Europe/Paris, whatever the server's or browser's zone.

import { PARIS_TIME_ZONE } from '../../domain/shared/paris-time'

const integer = new Intl.NumberFormat('fr-FR')

// Euro amounts are printed by the domain's one money module; the pages import them from here.
export { centsToInput, formatEuros } from '../../domain/shared/money'

export const formatInteger = (n: number) => integer.format(n)

const dateFmt = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' })
const dateTimeFmt = new Intl.DateTimeFormat('fr-FR', {
  timeZone: PARIS_TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

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
