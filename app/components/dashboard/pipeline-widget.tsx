import type { WidgetSize } from '../../../domain/dashboards/widgets'
import { PipelineChart } from '~/components/pipeline-chart'
import { useT } from '~/i18n/use-t'
import type { PipelineRow } from '~/utils/analytics.server'
import { formatEuros, formatInteger } from '~/utils/format'

/** Open deals by stage: the bar chart beside (or above, when narrow) the table of the same figures. */
export function PipelineWidget({ rows, size }: { rows: PipelineRow[]; size: WidgetSize }) {
  const t = useT()
  const wide = size === 'full'
  return (
    <div className={`grid gap-6 ${wide ? 'lg:grid-cols-2' : ''}`}>
      <div className="js-only min-w-0">
        <PipelineChart
          label={t('dashboard.chartLabel')}
          amountLabel={t('dashboard.amount')}
          weightedLabel={t('dashboard.weighted')}
          data={rows.map((r) => ({ stage: r.label, amount: r.amountCents, weighted: r.weightedCents }))}
        />
      </div>
      <div className="min-w-0">
        <PipelineTable rows={rows} />
      </div>
    </div>
  )
}

export function PipelineTable({ rows }: { rows: PipelineRow[] }) {
  const t = useT()
  const total = rows.reduce((a, r) => ({ deals: a.deals + r.deals, amount: a.amount + r.amountCents, weighted: a.weighted + r.weightedCents }), {
    deals: 0,
    amount: 0,
    weighted: 0,
  })
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="mb-2 text-left text-xs text-slate-600">{t('dashboard.pipelineCaption')}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-700">
            <th scope="col" className="py-2 pr-2 font-semibold">
              {t('dashboard.stage')}
            </th>
            <th scope="col" className="hidden py-2 pr-2 text-right font-semibold sm:table-cell">
              {t('dashboard.deals')}
            </th>
            <th scope="col" className="py-2 pr-2 text-right font-semibold">
              {t('dashboard.amount')}
            </th>
            <th scope="col" className="py-2 text-right font-semibold">
              {t('dashboard.weighted')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.stage} className="border-b border-slate-100">
              <th scope="row" className="py-2 pr-2 text-left font-medium text-slate-900">
                {r.label}
              </th>
              <td className="hidden py-2 pr-2 text-right tabular-nums sm:table-cell">{formatInteger(r.deals)}</td>
              <td className="whitespace-nowrap py-2 pr-2 text-right tabular-nums">{formatEuros(r.amountCents)}</td>
              <td className="whitespace-nowrap py-2 text-right tabular-nums">{formatEuros(r.weightedCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="font-semibold text-slate-900">
            <th scope="row" className="py-2 pr-2 text-left">
              {t('dashboard.total')}
            </th>
            <td className="hidden py-2 pr-2 text-right tabular-nums sm:table-cell">{formatInteger(total.deals)}</td>
            <td className="whitespace-nowrap py-2 pr-2 text-right tabular-nums">{formatEuros(total.amount)}</td>
            <td className="whitespace-nowrap py-2 text-right tabular-nums">{formatEuros(total.weighted)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  )
}
