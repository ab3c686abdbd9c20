import type { GoalProgress } from '../../../projections/queries/dashboard.types'
import { useT } from '~/i18n/use-t'
import { formatEuros } from '~/utils/format'
import { formatGoalPeriod, formatRatio } from './figures'
import { needsTeamWord } from '~/utils/team-label'

/**
 * Goals against what was won: a bar per goal, its text (won of target, share) carrying
 * the same figures for screen readers and without JavaScript.
 */
export function GoalsWidget({ goals }: { goals: GoalProgress[] }) {
  const t = useT()
  return (
    <ul className="space-y-4">
      {goals.map((g) => {
        const pct = Math.min(100, Math.round(g.ratio * 100))
        const reached = g.ratio >= 1
        return (
          <li key={`${g.scope}-${g.scope_id}-${g.period}`}>
            <div className="flex items-baseline justify-between gap-2 text-sm">
              <p className="min-w-0 truncate font-medium text-slate-900">
                {g.scope === 'team' && needsTeamWord(g.scope_name, t('dash.goals.team')) ? (
                  <span className="mr-1 rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-semibold text-indigo-800">{t('dash.goals.team')}</span>
                ) : null}
                {g.scope_name}
                <span className="font-normal text-slate-600"> · {formatGoalPeriod(g.period)}</span>
              </p>
              <p className={`shrink-0 font-semibold tabular-nums ${reached ? 'text-emerald-700' : 'text-slate-900'}`}>{formatRatio(g.ratio)}</p>
            </div>
            <div aria-hidden="true" className="mt-1.5 h-2.5 overflow-hidden rounded-full bg-slate-100">
              <div className={`h-2.5 rounded-full ${reached ? 'bg-emerald-500' : 'bg-indigo-500'}`} style={{ width: `${Math.max(pct, 1)}%` }} />
            </div>
            <p className="mt-1 text-xs tabular-nums text-slate-600">
              {t('dash.goals.progress', { actual: formatEuros(g.actual_cents, { rounded: true }), target: formatEuros(g.target_cents, { rounded: true }) })}
            </p>
          </li>
        )
      })}
    </ul>
  )
}
