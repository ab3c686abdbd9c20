import { lazy, Suspense } from 'react'
import type { ChartKind } from '../../../domain/reports/report-spec'
import { useNearViewport } from '~/components/dashboard/client-only'
import type { ChartRow } from './report-chart'
import type { ReportColumn } from './report-format'

const ReportChart = lazy(() => import('./report-chart'))

/** The chart above the results table, drawn in the browser only (see useNearViewport). */
export function ReportFigure({ kind, rows, metrics, caption }: { kind: ChartKind; rows: ChartRow[]; metrics: ReportColumn[]; caption: string }) {
  const [spot, near] = useNearViewport<HTMLDivElement>()
  if (kind === 'tableau' || rows.length === 0) return null
  if (!near) return <div ref={spot} className="h-72" aria-hidden="true" />
  return (
    <figure>
      <figcaption className="sr-only">{caption}</figcaption>
      <Suspense fallback={<div className="h-72" aria-hidden="true" />}>
        <ReportChart kind={kind} rows={rows} metrics={metrics} />
      </Suspense>
    </figure>
  )
}
