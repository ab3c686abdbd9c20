// The periods a dashboard can show, as calendar days in Europe/Paris ('YYYY-MM-DD').
// Pure: "today" comes in from outside. URL values are French (they show in the address bar).
// The rules only: days, months and the Paris date of an instant come from domain/shared/paris-time.

import { addDays, addMonths, daysBetween, monthOf } from '../shared/paris-time.js'

export const PERIOD_PRESETS = ['mois', 'mois-precedent', 'trimestre', 'annee', '12-mois', 'personnalisee'] as const
export type PeriodPreset = (typeof PERIOD_PRESETS)[number]
export const DEFAULT_PRESET = 'trimestre' satisfies PeriodPreset

export const isPeriodPreset = (v: unknown): v is PeriodPreset => typeof v === 'string' && (PERIOD_PRESETS as readonly string[]).includes(v)

/** Days between two calendar days, both included. */
export const daysInRange = (from: string, to: string): number => daysBetween(from, to) + 1

/**
 * The days of a preset period, `today` being the Paris date. "This month / quarter /
 * year" run to today (the figures so far), so that the previous period of equal length
 * compares like with like.
 *
 * @example presetRange('trimestre', '2026-11-27') // { from: '2026-10-01', to: '2026-11-27' }
 */
export function presetRange(preset: Exclude<PeriodPreset, 'personnalisee'>, today: string): { from: string; to: string } {
  const month = monthOf(today)
  switch (preset) {
    case 'mois':
      return { from: month, to: today }
    case 'mois-precedent':
      return { from: addMonths(month, -1), to: addDays(month, -1) }
    case 'trimestre':
      return { from: addMonths(month, -((Number(today.slice(5, 7)) - 1) % 3)), to: today }
    case 'annee':
      return { from: `${today.slice(0, 4)}-01-01`, to: today }
    // The day after the same day a year ago: the first of that month + today's day of the month.
    case '12-mois':
      return { from: addDays(addMonths(month, -12), Number(today.slice(8, 10))), to: today }
  }
}

/** The longest custom period we accept: five years of daily figures is already a lot. */
export const MAX_CUSTOM_DAYS = 5 * 366

/** The goal periods ('2026-11', '2026-Q4') that overlap a range of days. */
export function goalPeriodsOverlapping(from: string, to: string): string[] {
  const [fy, fm] = from.split('-').map(Number)
  const [ty, tm] = to.split('-').map(Number)
  const out = new Set<string>()
  for (let y = fy, m = fm; y < ty || (y === ty && m <= tm); m === 12 ? (y++, (m = 1)) : m++) {
    out.add(`${y}-${String(m).padStart(2, '0')}`)
    out.add(`${y}-Q${Math.floor((m - 1) / 3) + 1}`)
  }
  return [...out]
}
