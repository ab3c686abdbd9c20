import { BarChart } from '@tremor/react'
import { formatEuros } from '~/utils/format'

export type PipelineBar = { stage: string; amount: number; weighted: number }

// Loaded lazily by pipeline-chart.tsx: Tremor and recharts weigh ~800 kB and only draw
// once the page is interactive.
export default function PipelineBarChart({ data, amountLabel, weightedLabel }: { data: PipelineBar[]; amountLabel: string; weightedLabel: string }) {
  const rows = data.map((d) => ({ stage: d.stage, [amountLabel]: d.amount, [weightedLabel]: d.weighted }))
  return (
    <>
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
        // Tremor's legend nests <li>s in a focusable <div> inside its <ol> (invalid for
        // screen readers, flagged by axe): ours below is a plain list.
        showLegend={false}
      />
      <ul className="mt-2 flex flex-wrap justify-end gap-4 text-sm text-slate-700">
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="h-2.5 w-2.5 rounded-full bg-indigo-500" />
          {amountLabel}
        </li>
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="h-2.5 w-2.5 rounded-full bg-sky-500" />
          {weightedLabel}
        </li>
      </ul>
    </>
  )
}
