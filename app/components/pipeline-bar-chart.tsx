import { BarChart } from '@tremor/react'
import { formatEuros } from '~/utils/format'

export type PipelineBar = { stage: string; amount: number; weighted: number }

// Loaded lazily by pipeline-chart.tsx: Tremor and recharts weigh ~800 kB and only draw
// once the page is interactive.
export default function PipelineBarChart({ data, amountLabel, weightedLabel }: { data: PipelineBar[]; amountLabel: string; weightedLabel: string }) {
  const rows = data.map((d) => ({ stage: d.stage, [amountLabel]: d.amount, [weightedLabel]: d.weighted }))
  return (
    <BarChart
      className="h-72"
      data={rows}
      index="stage"
      categories={[amountLabel, weightedLabel]}
      colors={['indigo', 'sky']}
      // Values are cents: formatted as euros, never divided into floats.
      valueFormatter={(v: number) => formatEuros(Math.round(v), { rounded: true })}
      yAxisWidth={96}
      allowDecimals={false}
    />
  )
}
