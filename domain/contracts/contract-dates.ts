import { addDays, daysBetween } from '../shared/paris-time.js'

// Calendar arithmetic on 'YYYY-MM-DD' days for contract terms. A contract's end day is
// included: a one-year contract from 2026-03-15 ends 2027-03-14.

const pad = (n: number) => String(n).padStart(2, '0')
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()

/** The same day n months later, clamped to the month's last day: plusMonths('2026-01-31', 1) → '2026-02-28'. */
export function plusMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number)
  const total = y * 12 + (m - 1) + n
  const ny = Math.floor(total / 12)
  const nm = (total % 12) + 1
  return `${ny}-${pad(nm)}-${pad(Math.min(d, lastDayOf(ny, nm)))}`
}

/** The last day of a term of n months starting on `start`: termEnd('2026-03-15', 12) → '2027-03-14'. */
export const termEnd = (start: string, months: number): string => addDays(plusMonths(start, months), -1)

/**
 * The last day the client may terminate without renewing: the end day minus the notice
 * (n months), i.e. notice given on or before that day takes effect at the end of the term.
 */
export const noticeDeadline = (endDate: string, noticeMonths: number): string => (noticeMonths > 0 ? plusMonths(endDate, -noticeMonths) : endDate)

export { addDays, daysBetween }
