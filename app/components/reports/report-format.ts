import { formatDays, formatRatio } from '~/components/dashboard/figures'
import { formatEuros, formatInteger } from '~/utils/format'

export type ReportUnit = 'cents' | 'count' | 'ratio' | 'days'
export type ReportColumn = { key: string; label: string; unit: ReportUnit }

/** A metric's value as the table prints it: euros, a count, a percentage or days. */
export function formatValue(unit: ReportUnit, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—'
  if (unit === 'cents') return formatEuros(Math.round(v))
  if (unit === 'ratio') return formatRatio(v, true)
  if (unit === 'days') return formatDays(v)
  return formatInteger(v)
}
