import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { formatDateTime } from '~/utils/format'
import { logJson, parisTimesIn } from './run-labels'
import { StepStatusBadge } from './run-status-badge'

export type TimelineStep = {
  id: number
  step_id: string
  step_type: string
  attempt: number
  status: string
  input: unknown
  decision: string | null
  output: unknown
  error: string | null
  started_at: string
  duration_ms: number | null
  wake_at: string | null
}

/** Each step attempt of a run, in order: what went in, what was decided, what came out. Details open without JavaScript. */
export function RunTimeline({ steps, labels }: { steps: TimelineStep[]; labels: Record<string, string | null> }) {
  const t = useT()
  if (steps.length === 0) return <p className="text-slate-700">{t('wfRun.noSteps')}</p>
  return (
    <ol className="relative space-y-4 border-l-2 border-slate-200 pl-6">
      {steps.map((s) => (
        <li key={s.id} className="relative">
          <span
            aria-hidden
            className={`absolute -left-[33px] top-1.5 h-4 w-4 rounded-full border-2 border-white ${s.status === 'failed' ? 'bg-red-600' : s.status === 'succeeded' ? 'bg-green-600' : 'bg-amber-500'}`}
          />
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="font-semibold text-slate-900">{labels[s.step_id] || t(`wfStep.type.${s.step_type}` as MessageKey)}</h3>
              <span className="text-sm text-slate-600">
                ({s.step_id} · {t(`wfStep.type.${s.step_type}` as MessageKey)} · {t('wfRun.attempt', { n: s.attempt })})
              </span>
              <StepStatusBadge status={s.status} />
            </div>
            <p className="mt-1 text-sm text-slate-700">
              {formatDateTime(s.started_at)}
              {s.duration_ms !== null ? ` · ${t('wfRun.duration', { ms: s.duration_ms })}` : ''}
              {s.wake_at ? ` · ${t('wfRun.wakeAt')} ${formatDateTime(s.wake_at)}` : ''}
            </p>
            {s.decision ? (
              <p className="mt-2 text-sm">
                <span className="font-medium">{t('wfRun.decision')} :</span> {parisTimesIn(s.decision)}
              </p>
            ) : null}
            {s.error ? (
              <p className="mt-2 rounded bg-red-50 p-2 text-sm text-red-800">
                <span className="font-medium">{t('wfRun.error')} :</span> {s.error}
              </p>
            ) : null}
            <div className="mt-2 flex flex-wrap gap-4">
              {s.input != null ? (
                <details className="min-w-0 max-w-full">
                  <summary className="cursor-pointer text-sm font-medium text-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
                    {t('wfRun.input')}
                  </summary>
                  <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs text-slate-800">
                    {logJson(s.input)}
                  </pre>
                </details>
              ) : null}
              {s.output != null ? (
                <details className="min-w-0 max-w-full">
                  <summary className="cursor-pointer text-sm font-medium text-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
                    {t('wfRun.output')}
                  </summary>
                  <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs text-slate-800">
                    {logJson(s.output)}
                  </pre>
                </details>
              ) : null}
            </div>
          </div>
        </li>
      ))}
    </ol>
  )
}
