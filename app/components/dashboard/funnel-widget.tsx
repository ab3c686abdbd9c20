import type { FunnelStage } from '../../../projections/queries/dashboard.types'
import { useT } from '~/i18n/use-t'
import { formatEuros, formatInteger } from '~/utils/format'
import { formatRatio } from './figures'

/**
 * The conversion funnel as a table whose first column carries a bar proportional to the
 * count: plain HTML and CSS, so it reads the same with or without JavaScript.
 */
export function FunnelWidget({ stages }: { stages: FunnelStage[] }) {
  const t = useT()
  const max = Math.max(1, ...stages.map((s) => s.reached))
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="mb-2 text-left text-xs text-slate-600">{t('dash.funnel.caption')}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-700">
            <th scope="col" className="py-2 pr-2 font-semibold">
              {t('dash.funnel.stage')}
            </th>
            <th scope="col" className="py-2 pr-2 text-right font-semibold">
              {t('dash.funnel.reached')}
            </th>
            <th scope="col" className="hidden py-2 pr-2 text-right font-semibold sm:table-cell">
              {t('dash.funnel.amount')}
            </th>
            <th scope="col" className="py-2 text-right font-semibold">
              {t('dash.funnel.conversion')}
            </th>
          </tr>
        </thead>
        <tbody>
          {stages.map((s) => (
            <tr key={s.stage} className="border-b border-slate-100 align-middle">
              <th scope="row" className="w-1/2 py-2 pr-2 text-left font-medium text-slate-900">
                <span className="block">{s.label}</span>
                <span aria-hidden="true" className="mt-1 block h-2 rounded-full bg-slate-100">
                  <span className="block h-2 rounded-full bg-indigo-500" style={{ width: `${Math.max(2, (s.reached / max) * 100)}%` }} />
                </span>
              </th>
              <td className="py-2 pr-2 text-right tabular-nums">{formatInteger(s.reached)}</td>
              <td className="hidden whitespace-nowrap py-2 pr-2 text-right tabular-nums sm:table-cell">{formatEuros(s.amount_cents, { rounded: true })}</td>
              <td className="whitespace-nowrap py-2 text-right tabular-nums text-slate-700">
                {s.conversion_to_next === null ? <span aria-label={t('common.none')}>—</span> : <>→ {formatRatio(s.conversion_to_next)}</>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
