import { AreaChart, BarChart, DonutChart, LineChart } from '@tremor/react'
import type { ChartKind } from '../../../domain/reports/report-spec'
import { formatValue, type ReportColumn } from './report-format'

const PALETTE = ['indigo', 'sky', 'emerald', 'amber', 'rose', 'slate']

export type ChartRow = { label: string } & Record<string, number | string>

// Loaded lazily by report-figure.tsx: Tremor and recharts weigh ~800 kB and only draw once
// the page is interactive; the table carries the same figures for everyone.
export default function ReportChart({ kind, rows, metrics }: { kind: Exclude<ChartKind, 'tableau'>; rows: ChartRow[]; metrics: ReportColumn[] }) {
  const categories = metrics.map((m) => m.label)
  const unit = metrics[0]?.unit ?? 'count'
  const valueFormatter = (v: number) => formatValue(unit, v)
  // The chart palette tailwind.config.ts safelists (Tremor's default colours are purged: bars drew black), cycled past six series.
  const colors = categories.map((_, i) => PALETTE[i % PALETTE.length])
  const common = { className: 'h-72', data: rows, index: 'label', categories, colors, valueFormatter, showLegend: false, yAxisWidth: 96 }
  if (kind === 'anneau')
    return <DonutChart className="h-72" data={rows} index="label" category={categories[0]} colors={colors} valueFormatter={valueFormatter} showLabel={false} />
  if (kind === 'lignes') return <LineChart {...common} />
  if (kind === 'aires') return <AreaChart {...common} />
  return <BarChart {...common} />
}
