import { lazy, Suspense, useEffect, useState } from 'react'
import type { PipelineBar } from './pipeline-bar-chart'

const PipelineBarChart = lazy(() => import('./pipeline-bar-chart'))

/**
 * The pipeline as bars, drawn in the browser only (the chart measures its container).
 * The table beside it carries the same figures for everyone, JavaScript or not; the
 * chart is a captioned figure on top.
 */
export function PipelineChart({ data, amountLabel, weightedLabel, label }: { data: PipelineBar[]; amountLabel: string; weightedLabel: string; label: string }) {
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  const placeholder = <div className="h-72" aria-hidden="true" />
  if (!mounted) return placeholder
  return (
    <figure data-chart={label}>
      <figcaption className="sr-only">{label}</figcaption>
      <Suspense fallback={placeholder}>
        <PipelineBarChart data={data} amountLabel={amountLabel} weightedLabel={weightedLabel} />
      </Suspense>
    </figure>
  )
}
