import { TZDate, tzOffset } from '@date-fns/tz'
import {
  addDays as addCalendarDays,
  addMonths as addCalendarMonths,
  differenceInCalendarDays,
  endOfMonth as endOfCalendarMonth,
  format,
  isValid,
  parse,
  startOfISOWeek,
} from 'date-fns'

// Europe/Paris time, the one module for it. The CRM stores instants (UTC) and works in
// Paris calendar days and Paris wall-clock times, whatever the server's or browser's zone.
//
// Two kinds of values:
// - a *day* is a Paris calendar date written 'YYYY-MM-DD' (no zone, no instant): day
//   arithmetic (addDays, addMonths, mondayOf…) is calendar arithmetic by date-fns;
// - an *instant* is a Date (or an ISO string / epoch ms): it is read in and built from
//   Paris time with @date-fns/tz (TZDate and the tz database), never with a fixed offset.
//
// date-fns 3 does not carry a TZDate's zone through its functions (it rebuilds dates in
// the system zone; the `in: tz()` option needs date-fns 4), so instants are moved with
// TZDate's own zone-aware setters, and date-fns is only given zone-free calendar days.

export const PARIS_TIME_ZONE = 'Europe/Paris'

type InstantLike = Date | string | number

const ms = (instant: InstantLike): number => (typeof instant === 'number' ? instant : new Date(instant).getTime())

// ---- Paris days of instants -------------------------------------------------------------

const HOUR = 3_600_000

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

/** The start of the UTC hour an ISO UTC string falls in, in ms (all parisDay needs). */
const utcHourOf = (s: string) => Date.UTC(digits(s, 0, 4), digits(s, 5, 2) - 1, digits(s, 8, 2), digits(s, 11, 2))

const dayOf = (d: TZDate): string =>
  `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`

/**
 * The Paris day of each UTC hour met so far. Paris's offset has been a whole number of
 * hours since 1911, so its midnights fall on whole UTC hours and every instant of a UTC
 * hour has the same Paris day: the projector, which asks for every event it reads, asks
 * the tz database (Intl, µs a call) once an hour of history.
 */
const dayOfHour = new Map<number, string>()

/**
 * The Paris calendar day of an instant, 'YYYY-MM-DD'.
 *
 * @example parisDay('2026-12-31T23:30:00Z') // '2027-01-01'
 */
export function parisDay(instant: InstantLike): string {
  // The projector's instants are ISO UTC strings: the hour is read from the digits
  // (parsing a Date per event was a measurable share of its catch-up time).
  const t = typeof instant === 'string' && isUtcIso(instant) && instant >= '1912' ? utcHourOf(instant) : ms(instant)
  if (!Number.isFinite(t)) throw new RangeError(`parisDay: invalid instant ${String(instant)}`)
  const hour = Math.floor(t / HOUR)
  let day = dayOfHour.get(hour)
  if (day === undefined) {
    // Before 1911 Paris ran on its mean solar time (+00:09:21): no whole hours to share.
    if (tzOffset(PARIS_TIME_ZONE, new Date(t)) % 60 !== 0) return dayOf(new TZDate(t, PARIS_TIME_ZONE))
    day = dayOf(new TZDate(hour * HOUR, PARIS_TIME_ZONE))
    // Years of history at one entry per hour: bounded all the same.
    if (dayOfHour.size > 200_000) dayOfHour.clear()
    dayOfHour.set(hour, day)
  }
  return day
}

/** The Paris hour (0–23) of an instant. */
export const parisHour = (instant: InstantLike): number => new TZDate(ms(instant), PARIS_TIME_ZONE).getHours()

// ---- Wall clock ---------------------------------------------------------------------------

/**
 * The Paris wall clock of an instant, as a Date whose UTC fields are the Paris fields
 * (2027-03-29T07:00Z → 2027-03-29T09:00Z): arithmetic on it ignores DST (rrule works on
 * such "floating" dates), and `fromWallClock` maps it back to the real instant.
 */
export function toWallClock(instant: InstantLike): Date {
  const p = new TZDate(ms(instant), PARIS_TIME_ZONE)
  return new Date(Date.UTC(p.getFullYear(), p.getMonth(), p.getDate(), p.getHours(), p.getMinutes(), p.getSeconds(), p.getMilliseconds()))
}

/**
 * The instant at which Paris clocks show `wall` (its UTC fields read as Paris time). A
 * time skipped by the spring-forward change resolves to the hour after (02:30 → 03:30
 * summer time); a time shown twice in the autumn resolves to its first (summer) instant.
 */
export function fromWallClock(wall: Date): Date {
  const t = new TZDate(
    wall.getUTCFullYear(),
    wall.getUTCMonth(),
    wall.getUTCDate(),
    wall.getUTCHours(),
    wall.getUTCMinutes(),
    wall.getUTCSeconds(),
    wall.getUTCMilliseconds(),
    PARIS_TIME_ZONE,
  ).getTime()
  // TZDate picks the second (winter) instant of an autumn hour shown twice: prefer the first.
  const hourBefore = t - HOUR
  return toWallClock(hourBefore).getTime() === wall.getTime() ? new Date(hourBefore) : new Date(t)
}

/** The instant a Paris day starts: '2027-03-28' → 2027-03-27T23:00:00Z. */
export const startOfParisDay = (day: string): Date => fromWallClock(new Date(`${day}T00:00:00Z`))

/** A Paris day and 'HH:MM' as the instant, or null when either is malformed. */
export function parisDateTime(day: string, time: string): Date | null {
  if (!isIsoDate(day) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null
  return fromWallClock(new Date(`${day}T${time}:00Z`))
}

// ---- <input type="datetime-local"> --------------------------------------------------------

/** An instant as the value of a datetime-local input, in Paris time: '2026-11-27T14:05'. */
export const toParisLocalInput = (value: InstantLike): string => toWallClock(value).toISOString().slice(0, 16)

/**
 * '2026-11-27T14:05' (seconds optional) typed in Paris → the instant, or null when
 * malformed or not on the calendar. A skipped spring-forward time resolves to the hour after.
 */
export function parisLocalToUtc(input: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(input.trim())
  if (!m || !isIsoDate(m[1])) return null
  return fromWallClock(new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}Z`))
}

// ---- Instants moved in Paris wall-clock time ----------------------------------------------

/**
 * An instant moved by n days on Paris clocks: 09:00 stays 09:00 across a DST change
 * (so a day may last 23 or 25 hours).
 */
export function addParisDays(instant: InstantLike, n: number): Date {
  const t = new TZDate(ms(instant), PARIS_TIME_ZONE)
  t.setDate(t.getDate() + n)
  return new Date(t.getTime())
}

/**
 * An instant moved by n months on Paris clocks, the day clamped to the end of a shorter
 * month (31 January + 1 month → 28 or 29 February), the time of day kept.
 */
export function addParisMonths(instant: InstantLike, n: number): Date {
  const t = new TZDate(ms(instant), PARIS_TIME_ZONE)
  const day = t.getDate()
  t.setDate(1)
  t.setMonth(t.getMonth() + n)
  const last = new TZDate(t.getFullYear(), t.getMonth() + 1, 0, PARIS_TIME_ZONE).getDate()
  t.setDate(Math.min(day, last))
  return new Date(t.getTime())
}

// ---- Calendar days ('YYYY-MM-DD', no zone) ------------------------------------------------

const DAY_FORMAT = 'yyyy-MM-dd'
const REFERENCE = new Date(2000, 0, 1)
/** A day as a date-fns date (local midnight: only its calendar fields are used). */
const fromDay = (day: string): Date => parse(day, DAY_FORMAT, REFERENCE)
const toDay = (d: Date): string => format(d, DAY_FORMAT)

/** A real calendar day written 'YYYY-MM-DD' (not 2026-02-30, not 27/11/2026). */
export function isIsoDate(s: unknown): s is string {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && isValid(fromDay(s))
}

/** A day moved by n days: addDays('2026-03-01', -1) → '2026-02-28'. */
export const addDays = (day: string, n: number): string => toDay(addCalendarDays(fromDay(day), n))

/** The first day of the month of a day: '2026-11-27' → '2026-11-01'. */
export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`

/** The first day of the month n months after the month of `day`: addMonths('2026-11-27', 3) → '2027-02-01'. */
export const addMonths = (day: string, n: number): string => toDay(addCalendarMonths(fromDay(monthOf(day)), n))

/** The last day of the month of a day: '2028-02-10' → '2028-02-29'. */
export const endOfMonth = (day: string): string => toDay(endOfCalendarMonth(fromDay(day)))

/** Days from a to b (b − a): daysBetween('2026-01-01', '2026-12-31') → 364. */
export const daysBetween = (a: string, b: string): number => differenceInCalendarDays(fromDay(b), fromDay(a))

/** Monday of the week holding `day` (weeks start on Monday in France). */
export const mondayOf = (day: string): string => toDay(startOfISOWeek(fromDay(day)))
