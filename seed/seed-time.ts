import type { Rng } from './prng.js'

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/** Midnight UTC of the given day: the seed's "today", so one day's runs agree. */
export const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))

/**
 * Moves a timestamp to office hours on a weekday (08:00–18:30 Paris, roughly 07:00–17:30
 * UTC; the hour of day only needs to look plausible).
 */
export function officeHours(t: number, rng: Rng): number {
  const day = Math.floor(t / DAY) * DAY
  const weekday = new Date(day).getUTCDay()
  const shift = weekday === 6 ? 2 : weekday === 0 ? 1 : 0
  return day + shift * DAY + 7 * HOUR + Math.floor(rng.next() * 10.5 * HOUR)
}

export const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10)
