import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { formatDateTime } from '~/utils/format'

const KNOWN = new Set([
  'to',
  'subject',
  'body',
  'title',
  'description',
  'assignee',
  'due',
  'priority',
  'field',
  'label',
  'value',
  'url',
  'mode',
  'user',
  'teamId',
  'tag',
  'organisation',
  'until',
])

function show(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (key === 'until' && typeof v === 'string') return formatDateTime(v)
  if (Array.isArray(v)) return v.length ? v.map((x) => show('', x)).join(', ') : '—'
  if (typeof v === 'object') return String((v as { name?: string }).name ?? JSON.stringify(v))
  return String(v)
}

/** What an action step would do (a dry run's plan): its rendered fields, labelled. */
export function RunPlan({ plan }: { plan: Record<string, unknown> }) {
  const t = useT()
  const entries = Object.entries(plan).filter(([k]) => KNOWN.has(k))
  return (
    <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
      {entries.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-medium text-slate-700">{t(`wfDry.key.${k}` as MessageKey)}</dt>
          <dd className="whitespace-pre-wrap break-words text-slate-900">{show(k, v)}</dd>
        </div>
      ))}
    </dl>
  )
}
