// Calendar days in Europe/Paris for the rollups, computed in the projector (Node) and
// compared with ClickHouse's toDate(x, 'Europe/Paris') and Postgres's
// `at time zone 'Europe/Paris'`: all three read the same tz database. Intl is slow
// (~5 µs a call), and Paris only changes its offset on a whole UTC hour, so the offset
// is asked once per UTC hour and remembered.

const HOUR = 3_600_000

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
})

const offsets = new Map<number, number>()

function offsetAt(hour: number): number {
  let o = offsets.get(hour)
  if (o === undefined) {
    const p = Object.fromEntries(formatter.formatToParts(new Date(hour * HOUR)).map((x) => [x.type, x.value]))
    o = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - hour * HOUR
    // Years of history at one entry per hour: bounded all the same.
    if (offsets.size > 200_000) offsets.clear()
    offsets.set(hour, o)
  }
  return o
}

/**
 * The Paris calendar day of a UTC instant, 'YYYY-MM-DD'.
 *
 * @example parisDay('2026-03-28T23:30:00.000Z') // '2026-03-29' (UTC+1 that night)
 */
export function parisDay(instant: string | number | Date): string {
  if (typeof instant === 'string' && isUtcIso(instant)) {
    // The projector's instants are ISO UTC strings ('2026-03-28T23:30:00.000Z'): read
    // the fields instead of parsing a Date (most of the cost), and only build the next
    // day's string when Paris is already past midnight.
    const hour = digits(instant, 11, 2)
    const hourMs = Date.UTC(digits(instant, 0, 4), digits(instant, 5, 2) - 1, digits(instant, 8, 2), hour)
    const local = hour * HOUR + offsetAt(hourMs / HOUR)
    return local < 24 * HOUR ? instant.slice(0, 10) : new Date(hourMs + offsetAt(hourMs / HOUR)).toISOString().slice(0, 10)
  }
  const ms = typeof instant === 'number' ? instant : new Date(instant).getTime()
  return new Date(ms + offsetAt(Math.floor(ms / HOUR))).toISOString().slice(0, 10)
}

/** The number written by `n` digits of `s` from `at`. */
function digits(s: string, at: number, n: number): number {
  let v = 0
  for (let i = at; i < at + n; i++) v = v * 10 + s.charCodeAt(i) - 48
  return v
}

/** 'YYYY-MM-DDThh:mm…Z' with digits where digits belong (a four-digit year). */
function isUtcIso(s: string): boolean {
  if (s.length < 17 || s.charCodeAt(s.length - 1) !== 90 /* Z */ || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':') return false
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12]) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return false
  }
  return true
}

/** The first day of the month of a 'YYYY-MM-DD' day. */
export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`

/** A 'YYYY-MM-DD' day moved by n days (calendar arithmetic, no time zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** Days from a to b, both 'YYYY-MM-DD' (b − a). */
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)

/** A 'YYYY-MM-DD' day moved by n calendar months, clamped to the first of that month. */
export function addMonths(firstOfMonth: string, n: number): string {
  const d = new Date(`${firstOfMonth.slice(0, 7)}-01T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + n)
  return d.toISOString().slice(0, 10)
}

/** The last day of the month of a 'YYYY-MM-DD' day. */
export function endOfMonth(day: string): string {
  return addDays(addMonths(monthOf(day), 1), -1)
}
