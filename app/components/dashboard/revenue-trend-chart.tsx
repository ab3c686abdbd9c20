import { AreaChart } from '@tremor/react'
import { formatEuros } from '~/utils/format'

export type TrendPoint = { month: string; won: number; created: number }

// Loaded lazily by revenue-trend-widget.tsx: Tremor and recharts only draw once the page
// is interactive. Values are cents, formatted as euros, never divided into floats.
export default function RevenueTrendChart({ data, wonLabel, createdLabel }: { data: TrendPoint[]; wonLabel: string; createdLabel: string }) {
  const rows = data.map((d) => ({ month: d.month, [wonLabel]: d.won, [createdLabel]: d.created }))
  return (
    <>
      <AreaChart
        className="h-64"
        data={rows}
        index="month"
        categories={[wonLabel, createdLabel]}
        colors={['emerald', 'indigo']}
        valueFormatter={(v: number) => formatEuros(Math.round(v), { rounded: true })}
        yAxisWidth={92}
        allowDecimals={false}
        curveType="monotone"
        showLegend={false}
      />
      <ul className="mt-2 flex flex-wrap justify-end gap-4 text-sm text-slate-700">
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="h-2.5 w-2.5 rounded-full bg-emerald-500" />
          {wonLabel}
        </li>
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="h-2.5 w-2.5 rounded-full bg-indigo-500" />
          {createdLabel}
        </li>
      </ul>
    </>
  )
}
