import type { PerformerRow } from '../../../projections/queries/dashboard.types'
import { useT } from '~/i18n/use-t'
import { formatEuros, formatInteger } from '~/utils/format'
import { formatRatio } from './figures'

/** The ranking: who won the most over the period, with a bar for the share of the leader. */
export function TopPerformersWidget({ rows }: { rows: PerformerRow[] }) {
  const t = useT()
  const max = Math.max(1, ...rows.map((r) => r.revenue_won_cents))
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="mb-2 text-left text-xs text-slate-600">{t('dash.top.caption')}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-700">
            <th scope="col" className="w-8 py-2 pr-2 font-semibold">
              <abbr title={t('dash.top.rank')} className="no-underline">
                #
              </abbr>
            </th>
            <th scope="col" className="py-2 pr-2 font-semibold">
              {t('dash.top.name')}
            </th>
            <th scope="col" className="py-2 pr-2 text-right font-semibold">
              {t('dash.top.revenue')}
            </th>
            <th scope="col" className="hidden py-2 pr-2 text-right font-semibold sm:table-cell">
              {t('dash.top.won')}
            </th>
            <th scope="col" className="hidden py-2 pr-2 text-right font-semibold sm:table-cell">
              {t('dash.top.lost')}
            </th>
            <th scope="col" className="py-2 text-right font-semibold">
              {t('dash.top.rate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.owner_id} className="border-b border-slate-100">
              <td className="py-2 pr-2 tabular-nums text-slate-600">{i + 1}</td>
              <th scope="row" className="py-2 pr-2 text-left font-medium text-slate-900">
                <span className="block">{r.owner_name}</span>
                <span aria-hidden="true" className="mt-1 block h-1.5 rounded-full bg-slate-100">
                  <span className="block h-1.5 rounded-full bg-emerald-500" style={{ width: `${Math.max(2, (r.revenue_won_cents / max) * 100)}%` }} />
                </span>
              </th>
              <td className="whitespace-nowrap py-2 pr-2 text-right tabular-nums">{formatEuros(r.revenue_won_cents, { rounded: true })}</td>
              <td className="hidden py-2 pr-2 text-right tabular-nums sm:table-cell">{formatInteger(r.won_count)}</td>
              <td className="hidden py-2 pr-2 text-right tabular-nums sm:table-cell">{formatInteger(r.lost_count)}</td>
              <td className="py-2 text-right tabular-nums">{formatRatio(r.win_rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
