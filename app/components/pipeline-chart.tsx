import { lazy, Suspense, useEffect, useState } from 'react'
import type { PipelineBar } from './pipeline-bar-chart'

const PipelineBarChart = lazy(() => import('./pipeline-bar-chart'))

/**
 * The pipeline as bars, drawn in the browser only (the chart measures its container).
 * The table beside it carries the same figures for everyone, JavaScript or not, so the
 * chart is one image for assistive technology.
 */
export function PipelineChart({ data, amountLabel, weightedLabel, label }: { data: PipelineBar[]; amountLabel: string; weightedLabel: string; label: string }) {
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  const placeholder = <div className="h-72" aria-hidden="true" />
  if (!mounted) return placeholder
  return (
    <div role="img" aria-label={label}>
      <Suspense fallback={placeholder}>
        <PipelineBarChart data={data} amountLabel={amountLabel} weightedLabel={weightedLabel} />
      </Suspense>
    </div>
  )
}
