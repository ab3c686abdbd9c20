// The periods a dashboard can show, as calendar days in Europe/Paris ('YYYY-MM-DD').
// Pure: "today" comes in from outside. URL values are French (they show in the address bar).

export const PERIOD_PRESETS = ['mois', 'mois-precedent', 'trimestre', 'annee', '12-mois', 'personnalisee'] as const
export type PeriodPreset = (typeof PERIOD_PRESETS)[number]
export const DEFAULT_PRESET = 'trimestre' satisfies PeriodPreset

export const isPeriodPreset = (v: unknown): v is PeriodPreset => typeof v === 'string' && (PERIOD_PRESETS as readonly string[]).includes(v)

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A real calendar day written 'YYYY-MM-DD' (not 2026-02-30). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false
  const m = ISO_DATE.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10)
const parts = (day: string) => day.split('-').map(Number) as [number, number, number]

/** Days between two calendar days, both included. */
export function daysInRange(from: string, to: string): number {
  const [a, b] = [from, to].map((d) => { const [y, m, x] = parts(d); return Date.UTC(y, m - 1, x) })
  return Math.round((b - a) / 86_400_000) + 1
}

/**
 * The days of a preset period, `today` being the Paris date. "This month / quarter /
 * year" run to today (the figures so far), so that the previous period of equal length
 * compares like with like.
 *
 * @example presetRange('trimestre', '2026-11-27') // { from: '2026-10-01', to: '2026-11-27' }
 */
export function presetRange(preset: Exclude<PeriodPreset, 'personnalisee'>, today: string): { from: string; to: string } {
  const [y, m, d] = parts(today)
  switch (preset) {
    case 'mois': return { from: iso(y, m - 1, 1), to: today }
    case 'mois-precedent': return { from: iso(y, m - 2, 1), to: iso(y, m - 1, 0) }
    case 'trimestre': return { from: iso(y, Math.floor((m - 1) / 3) * 3, 1), to: today }
    case 'annee': return { from: iso(y, 0, 1), to: today }
    case '12-mois': return { from: iso(y - 1, m - 1, d + 1), to: today }
  }
}

/** The longest custom period we accept: five years of daily figures is already a lot. */
export const MAX_CUSTOM_DAYS = 5 * 366

/** The goal periods ('2026-11', '2026-Q4') that overlap a range of days. */
export function goalPeriodsOverlapping(from: string, to: string): string[] {
  const [fy, fm] = parts(from)
  const [ty, tm] = parts(to)
  const out = new Set<string>()
  for (let y = fy, m = fm; y < ty || (y === ty && m <= tm); m === 12 ? (y++, m = 1) : m++) {
    out.add(`${y}-${String(m).padStart(2, '0')}`)
    out.add(`${y}-Q${Math.floor((m - 1) / 3) + 1}`)
  }
  return [...out]
}

/** The Paris calendar date of an instant. */
export function parisDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}
