import { Link } from '@remix-run/react'
import type { RecentRow } from '~/utils/dashboard.server'
import { useT } from '~/i18n/use-t'
import { formatDateTime, formatEuros } from '~/utils/format'

const dot: Record<RecentRow['kind'], string> = {
  deal_created: 'bg-sky-500',
  stage_changed: 'bg-indigo-500',
  deal_won: 'bg-emerald-500',
  deal_lost: 'bg-rose-500',
  activity: 'bg-amber-500',
}

/** The latest moves on the deals in the filter, newest first, as a timeline. */
export function RecentActivityWidget({ items }: { items: RecentRow[] }) {
  const t = useT()
  const kindLabel = (k: RecentRow['kind']) => (k === 'activity' ? t('dash.recent.activity') : t(`dash.recent.${k}`))
  return (
    <ol className="relative space-y-3 border-l border-slate-200 pl-4">
      {items.map((i, n) => (
        <li key={`${i.at}-${i.deal_id ?? ''}-${n}`} className="relative">
          <span aria-hidden="true" className={`absolute -left-[1.3rem] top-1.5 h-2.5 w-2.5 rounded-full ring-2 ring-white ${dot[i.kind]}`} />
          <p className="text-xs text-slate-600">
            <span className="font-semibold text-slate-700">{kindLabel(i.kind)}</span>
            {' · '}
            <time dateTime={i.at}>{formatDateTime(i.at)}</time>
          </p>
          <p className="text-sm text-slate-900">
            {i.deal_id ? (
              <Link to={`/deals/${i.deal_id}`} className="font-medium text-indigo-800 hover:underline">
                {i.title}
              </Link>
            ) : (
              <span className="font-medium">{i.title}</span>
            )}
            {i.organisation_name ? <span className="text-slate-600"> — {i.organisation_name}</span> : null}
          </p>
          <p className="text-xs text-slate-600">
            {i.amount_cents !== null ? <span className="tabular-nums">{formatEuros(i.amount_cents, { rounded: true })}</span> : null}
            {i.amount_cents !== null && i.actor_name ? ' · ' : null}
            {i.actor_name ? t('dash.recent.by', { name: i.actor_name }) : null}
          </p>
        </li>
      ))}
    </ol>
  )
}
