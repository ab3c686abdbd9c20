import type { MessageKey } from '~/i18n/i18n'
import { formatEuros, formatInteger } from '~/utils/format'

// French formatting of the dashboard's figures, shared by the screen and the PDF export
// (so both print the same strings).

const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 })
const percent1 = new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })
const decimal1 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })
const decimal01 = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 })

/** 0.4238 → "42 %"; null → "—". */
export const formatRatio = (r: number | null | undefined, precise = false) =>
  r === null || r === undefined || !Number.isFinite(r) ? '—' : (precise ? percent1 : percent).format(r)

/** 12.5 → "12,5 j"; 12 → "12 j". */
export const formatDays = (d: number | null | undefined) => (d === null || d === undefined ? '—' : `${decimal01.format(Math.round(d * 10) / 10)} j`)

export type KpiKey =
  'revenue_won_cents' | 'open_pipeline_cents' | 'weighted_pipeline_cents' | 'won_count' | 'lost_count' | 'win_rate' | 'avg_won_deal_cents' | 'sales_cycle_days'

export type KpiDef = {
  key: KpiKey
  label: MessageKey
  kind: 'money' | 'count' | 'rate' | 'days'
  /** Whether a rise is good news. */
  higherIsBetter: boolean
  /** A stock at the end of each period (the open pipeline), not a flow over it. */
  atPeriodEnd?: boolean
}

export const KPI_DEFS: KpiDef[] = [
  { key: 'revenue_won_cents', label: 'dash.kpi.revenue_won_cents', kind: 'money', higherIsBetter: true },
  { key: 'open_pipeline_cents', label: 'dash.kpi.open_pipeline_cents', kind: 'money', higherIsBetter: true, atPeriodEnd: true },
  { key: 'weighted_pipeline_cents', label: 'dash.kpi.weighted_pipeline_cents', kind: 'money', higherIsBetter: true, atPeriodEnd: true },
  { key: 'win_rate', label: 'dash.kpi.win_rate', kind: 'rate', higherIsBetter: true },
  { key: 'won_count', label: 'dash.kpi.won_count', kind: 'count', higherIsBetter: true },
  { key: 'lost_count', label: 'dash.kpi.lost_count', kind: 'count', higherIsBetter: false },
  { key: 'avg_won_deal_cents', label: 'dash.kpi.avg_won_deal_cents', kind: 'money', higherIsBetter: true },
  { key: 'sales_cycle_days', label: 'dash.kpi.sales_cycle_days', kind: 'days', higherIsBetter: false },
]

export function formatKpi(def: KpiDef, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—'
  switch (def.kind) {
    case 'money':
      return formatEuros(Math.round(v), { rounded: true })
    case 'count':
      return formatInteger(v)
    case 'rate':
      return formatRatio(v)
    case 'days':
      return formatDays(v)
  }
}

export type Change = {
  direction: 'up' | 'down' | 'flat' | 'none'
  /** "12 %", "3,5 pts" (empty for flat and none). */
  amount: string
  tone: 'good' | 'bad' | 'neutral'
}

/** "▲ 12 %", "▼ 3,5 pts", "=" or "—". */
export const changeText = (c: Change) =>
  c.direction === 'up' ? `▲ ${c.amount}` : c.direction === 'down' ? `▼ ${c.amount}` : c.direction === 'flat' ? '=' : '—'

/**
 * The change from the previous period: relative (%) for amounts, counts and days;
 * in percentage points for the rate (a rate's relative change misleads).
 */
export function kpiChange(def: KpiDef, current: number | null | undefined, previous: number | null | undefined): Change {
  const none: Change = { direction: 'none', amount: '', tone: 'neutral' }
  const flat: Change = { direction: 'flat', amount: '', tone: 'neutral' }
  if (current === null || current === undefined || previous === null || previous === undefined) return none
  let delta: number
  let amount: string
  if (def.kind === 'rate') {
    delta = (current - previous) * 100
    amount = `${decimal1.format(Math.abs(delta))} pt${Math.abs(delta) >= 2 ? 's' : ''}`
  } else {
    if (previous === 0) return current === 0 ? flat : none
    delta = (current - previous) / Math.abs(previous)
    amount = Math.abs(delta) < 0.1 ? percent1.format(Math.abs(delta)) : percent.format(Math.abs(delta))
  }
  if (Math.abs(delta) < 1e-9) return flat
  const up = delta > 0
  return { direction: up ? 'up' : 'down', amount, tone: up === def.higherIsBetter ? 'good' : 'bad' }
}

/** '2026-11' → "nov. 2026"; '2026-Q4' → "T4 2026". */
export function formatGoalPeriod(period: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period)
  if (q) return `T${q[2]} ${q[1]}`
  return formatMonth(period)
}

const monthFmt = new Intl.DateTimeFormat('fr-FR', { month: 'short', year: 'numeric', timeZone: 'UTC' })
const monthLong = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' })
/** '2026-11' → "nov. 2026" (or "novembre 2026"). */
export function formatMonth(month: string, long = false): string {
  const [y, m] = month.split('-').map(Number)
  return (long ? monthLong : monthFmt).format(new Date(Date.UTC(y, m - 1, 1)))
}
