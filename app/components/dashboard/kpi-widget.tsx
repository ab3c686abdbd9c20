import type { Kpis } from '../../../projections/queries/dashboard.types'
import type { WidgetSize } from '../../../domain/dashboards/widgets'
import { useT } from '~/i18n/use-t'
import { changeText, formatKpi, KPI_DEFS, kpiChange } from './figures'

const toneClass = { good: 'text-emerald-700 bg-emerald-50', bad: 'text-rose-700 bg-rose-50', neutral: 'text-slate-600 bg-slate-100' }

// The tiles reflow with the widget's width: four across at full width, two otherwise.
const cols: Record<WidgetSize, string> = {
  full: 'grid-cols-2 lg:grid-cols-4',
  lg: 'grid-cols-2 xl:grid-cols-3',
  md: 'grid-cols-2',
  sm: 'grid-cols-1 sm:grid-cols-2 lg:grid-cols-1',
}

/** The period's key figures, each with its change from the previous period of equal length. */
export function KpiWidget({ kpis, size }: { kpis: Kpis; size: WidgetSize }) {
  const t = useT()
  return (
    <dl className={`grid gap-3 ${cols[size]}`}>
      {KPI_DEFS.map((def) => {
        const cur = kpis.current[def.key]
        const prev = kpis.previous[def.key]
        const change = kpiChange(def, cur, prev)
        const spoken =
          change.direction === 'up' || change.direction === 'down'
            ? t(`dash.change.${change.direction}`, { amount: change.amount })
            : t(`dash.change.${change.direction}`)
        return (
          <div key={def.key} className="rounded-lg border border-slate-200 bg-slate-50/60 px-3 py-3" data-kpi={def.key}>
            <dt className="text-xs font-medium text-slate-600">{t(def.label)}</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums tracking-tight text-slate-900 sm:text-2xl" data-kpi-value>
              {formatKpi(def, cur)}
            </dd>
            <dd className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
              <span className={`rounded px-1.5 py-0.5 font-semibold tabular-nums ${toneClass[change.tone]}`}>
                <span aria-hidden="true">{changeText(change)}</span>
                <span className="sr-only">{spoken}</span>
              </span>
              <span className="text-slate-600">
                <span aria-hidden="true">{t('dash.kpi.previousShort', { value: formatKpi(def, prev) })}</span>
                <span className="sr-only">{t(def.atPeriodEnd ? 'dash.kpi.previousEnd' : 'dash.kpi.previous', { value: formatKpi(def, prev) })}</span>
              </span>
            </dd>
          </div>
        )
      })}
    </dl>
  )
}
