import type { Problem } from './errors.js'

// The values a person can mean. Beyond them a value is a typo or an attack, and one of
// them is enough to wreck every chart (a 1 000 000 000 000 € deal showed "▲ 3 815 408 %"
// on every dashboard). Every command that takes an amount or a date a user gave checks it
// here, so forms, imports, workflows and the API agree.

/** The largest amount a deal, a quote line or total, a goal may hold: 100 milliards €. */
export const MAX_AMOUNT_CENTS = 10_000_000_000_000
/** The earliest and latest years a date a user gives may fall in. */
export const MIN_YEAR = 1900
export const MAX_YEAR = 2100

/** Params of `date.out_of_range`. */
const YEARS = { min: String(MIN_YEAR), max: String(MAX_YEAR) }
export const DATE_OUT_OF_RANGE: Problem = { code: 'date.out_of_range', params: YEARS }

/**
 * What is wrong with an amount in cents, or null when plausible: not a whole number of
 * cents (`invalid`), below zero when it may not be (`negative`), above MAX_AMOUNT_CENTS.
 *
 * @example amountProblem(100_000_000_000_000) // 'amount.too_large'
 */
export function amountProblem(cents: number, opts: { allowNegative?: boolean; invalid?: Problem; negative?: Problem; max?: number } = {}): Problem | null {
  if (!Number.isSafeInteger(cents)) return opts.invalid ?? 'amount.invalid'
  if (cents < 0 && !opts.allowNegative) return opts.negative ?? 'amount.negative'
  if (Math.abs(cents) > (opts.max ?? MAX_AMOUNT_CENTS)) return 'amount.too_large'
  return null
}

const inYears = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR

/** A calendar day 'YYYY-MM-DD' that exists (no 31 February) — whatever its year. */
export function isCalendarDay(day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

/**
 * What is wrong with a day 'YYYY-MM-DD' a user gave, or null: `invalid` when it is not a
 * calendar day, `date.out_of_range` outside MIN_YEAR–MAX_YEAR.
 */
export function dayProblem(day: string, invalid: Problem): Problem | null {
  if (!isCalendarDay(day)) return invalid
  return inYears(Number(day.slice(0, 4))) ? null : DATE_OUT_OF_RANGE
}

/** What is wrong with an instant a user gave (ISO text or Date), or null; as `dayProblem`. */
export function instantProblem(at: string | Date, invalid: Problem): Problem | null {
  const d = at instanceof Date ? at : new Date(at)
  if (Number.isNaN(d.getTime())) return invalid
  return inYears(d.getUTCFullYear()) ? null : DATE_OUT_OF_RANGE
}

/** A year (a goal's period, a report's) within MIN_YEAR–MAX_YEAR. */
export const isPlausibleYear = (year: number) => Number.isInteger(year) && inYears(year)
