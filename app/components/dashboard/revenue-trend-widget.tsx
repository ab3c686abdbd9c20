import { lazy, Suspense } from 'react'
import type { TrendMonth } from '../../../projections/queries/dashboard.types'
import { useT } from '~/i18n/use-t'
import { formatEuros } from '~/utils/format'
import { DataDetails, useHydrated, useNearViewport } from './client-only'
import { formatMonth } from './figures'

const RevenueTrendChart = lazy(() => import('./revenue-trend-chart'))

/** Twelve rolling months: revenue won against pipeline created, as an area chart over a table. */
export function RevenueTrendWidget({ months }: { months: TrendMonth[] }) {
  const t = useT()
  const hydrated = useHydrated()
  const [spot, near] = useNearViewport<HTMLDivElement>()
  const label = t('dash.trend.chart')
  const placeholder = <div className="h-72" aria-hidden="true" />
  // The month under way is labelled so on the axis and in the table: its figures are not final.
  const data = months.map((m) => ({
    month: m.partial ? `${formatMonth(m.month)} (${t('dash.trend.partialShort')})` : formatMonth(m.month),
    won: m.won_cents,
    created: m.pipeline_created_cents,
  }))
  const partial = months.some((m) => m.partial)
  const total = months.reduce((a, m) => ({ won: a.won + m.won_cents, created: a.created + m.pipeline_created_cents }), { won: 0, created: 0 })
  return (
    <>
      <div className="js-only" ref={spot}>
        {hydrated && near ? (
          <figure data-chart={label}>
            <figcaption className="sr-only">{label}</figcaption>
            <Suspense fallback={placeholder}>
              <RevenueTrendChart data={data} wonLabel={t('dash.trend.won')} createdLabel={t('dash.trend.created')} />
            </Suspense>
            {partial ? <p className="mt-1 text-xs text-slate-600">{t('dash.trend.partialNote')}</p> : null}
          </figure>
        ) : (
          placeholder
        )}
      </div>
      <DataDetails label={t('dash.showTable')}>
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="mb-2 text-left text-xs text-slate-600">{t('dash.trend.caption')}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-slate-700">
                <th scope="col" className="py-1.5 pr-2 font-semibold">
                  {t('dash.trend.month')}
                </th>
                <th scope="col" className="py-1.5 pr-2 text-right font-semibold">
                  {t('dash.trend.won')}
                </th>
                <th scope="col" className="py-1.5 text-right font-semibold">
                  {t('dash.trend.created')}
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month} className="border-b border-slate-100">
                  <th scope="row" className="py-1.5 pr-2 text-left font-medium capitalize text-slate-900">
                    {formatMonth(m.month, true)}
                    {m.partial ? <span className="font-normal normal-case text-slate-600"> ({t('dash.trend.partial')})</span> : null}
                  </th>
                  <td className="whitespace-nowrap py-1.5 pr-2 text-right tabular-nums">{formatEuros(m.won_cents, { rounded: true })}</td>
                  <td className="whitespace-nowrap py-1.5 text-right tabular-nums">{formatEuros(m.pipeline_created_cents, { rounded: true })}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="font-semibold text-slate-900">
                <th scope="row" className="py-1.5 pr-2 text-left">
                  {t('dashboard.total')}
                </th>
                <td className="whitespace-nowrap py-1.5 pr-2 text-right tabular-nums">{formatEuros(total.won, { rounded: true })}</td>
                <td className="whitespace-nowrap py-1.5 text-right tabular-nums">{formatEuros(total.created, { rounded: true })}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </DataDetails>
    </>
  )
}
