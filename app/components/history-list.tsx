import { useT } from '~/i18n/use-t'
import { formatDateTime } from '~/utils/format'

export type HistoryItem = { position: number; label: string; actor: string | null; at: Date | string }

/** "Who changed what, when" from the record's events (the audit trail). */
export function HistoryList({ items }: { items: HistoryItem[] }) {
  const t = useT()
  if (items.length === 0) return null
  return (
    <ol className="space-y-3 text-sm">
      {items.map((h) => (
        <li key={h.position} className="flex gap-3">
          <span aria-hidden="true" className="mt-1.5 h-2 w-2 flex-none rounded-full bg-indigo-400" />
          <div>
            <p className="text-slate-900">{h.label}</p>
            <p className="text-xs text-slate-600">
              <time dateTime={new Date(h.at).toISOString()}>{formatDateTime(h.at)}</time> · {t('common.by', { name: h.actor ?? t('common.system') })}
            </p>
          </div>
        </li>
      ))}
    </ol>
  )
}
