import { lazy, Suspense } from 'react'
import { useNearViewport } from './dashboard/client-only'
import type { PipelineBar } from './pipeline-bar-chart'

const PipelineBarChart = lazy(() => import('./pipeline-bar-chart'))

/**
 * The pipeline as bars, drawn in the browser only (the chart measures its container).
 * The table beside it carries the same figures for everyone, JavaScript or not; the
 * chart is a captioned figure on top.
 */
export function PipelineChart({ data, amountLabel, weightedLabel, label }: { data: PipelineBar[]; amountLabel: string; weightedLabel: string; label: string }) {
  // Drawn once near the viewport: the chart library is heavy (see useNearViewport).
  const [spot, near] = useNearViewport<HTMLDivElement>()
  if (!near) return <div ref={spot} data-chart={label} className="h-72" aria-hidden="true" />
  const placeholder = <div className="h-72" aria-hidden="true" />
  return (
    <figure data-chart={label}>
      <figcaption className="sr-only">{label}</figcaption>
      <Suspense fallback={placeholder}>
        <PipelineBarChart data={data} amountLabel={amountLabel} weightedLabel={weightedLabel} />
      </Suspense>
    </figure>
  )
}
