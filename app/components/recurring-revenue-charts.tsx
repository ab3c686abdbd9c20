import { AreaChart, BarChart } from '@tremor/react'
import { formatEuros } from '~/utils/format'

// Loaded lazily by recurring-revenue.tsx once the page is interactive (Tremor and
// recharts are heavy). Values are cents, shown as euros.

const euros = (v: number) => formatEuros(Math.round(v), { rounded: true })

export type RevenuePoint = { month: string; mrr: number; churn: number; contraction: number }

export default function RevenueCharts({ data, labels }: { data: RevenuePoint[]; labels: { mrr: string; churn: string; contraction: string; lost: string } }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <figure data-chart={labels.mrr}>
        <figcaption className="mb-2 text-sm font-medium text-slate-700">{labels.mrr}</figcaption>
        <AreaChart
          className="h-56"
          data={data.map((d) => ({ month: d.month, [labels.mrr]: d.mrr }))}
          index="month"
          categories={[labels.mrr]}
          colors={['indigo']}
          valueFormatter={euros}
          yAxisWidth={84}
          allowDecimals={false}
          showLegend={false}
        />
      </figure>
      <figure data-chart={labels.lost}>
        <figcaption className="mb-2 text-sm font-medium text-slate-700">{labels.lost}</figcaption>
        <BarChart
          className="h-56"
          data={data.map((d) => ({ month: d.month, [labels.churn]: d.churn, [labels.contraction]: d.contraction }))}
          index="month"
          categories={[labels.churn, labels.contraction]}
          colors={['rose', 'amber']}
          stack
          valueFormatter={euros}
          yAxisWidth={84}
          allowDecimals={false}
        />
      </figure>
    </div>
  )
}
