import { useDraggable } from '@dnd-kit/core'
import { Link, useFetcher } from '@remix-run/react'
import { useEffect } from 'react'
import { useT } from '~/i18n/use-t'
import { useCsrf } from './authenticity-token-input'
import type { FormFailure } from '~/utils/forms.server'
import { formatDate, formatEuros } from '~/utils/format'
import { GripIcon } from './pipeline-board-icons'
import { moveKey, type BoardCardData, type BoardStage, type MoveResult } from './pipeline-board.types'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

// One deal on the pipeline board: its body, its drag handle and its no-JS move form.

export function CardBody({ card, overlay }: { card: BoardCardData; overlay?: boolean }) {
  const t = useT()
  return (
    <div className={overlay ? 'w-64 rotate-1 rounded-md border border-indigo-300 bg-white p-3 shadow-xl' : ''}>
      <p className="font-medium leading-snug text-slate-900">{card.title}</p>
      <p className="mt-0.5 text-xs text-slate-600">{card.organisation_name}</p>
      <p className="mt-2 flex items-baseline justify-between gap-2 text-sm">
        <span className="font-semibold tabular-nums text-slate-900">{formatEuros(card.amount_cents)}</span>
        {card.expected_close_date ? (
          <span className="text-xs text-slate-600" title={t('pipeline.closeDate', { date: formatDate(card.expected_close_date) })}>
            {formatDate(card.expected_close_date)}
          </span>
        ) : null}
      </p>
      <p className="mt-1 truncate text-xs text-slate-600">{card.owner_name ?? t('common.unassigned')}</p>
    </div>
  )
}

const reported = new WeakSet<object>()

type CardProps = {
  card: BoardCardData
  stages: BoardStage[]
  query: string
  hydrated: boolean
  commandId: string
  failure?: FormFailure
  dragging: boolean
  saving: boolean
  onResult: (card: BoardCardData, result: MoveResult) => void
}

export function Card({ card, stages, query, hydrated, commandId, failure, dragging, saving, onResult }: CardProps) {
  const t = useT()
  const fetcher = useFetcher<MoveResult>({ key: moveKey(card.id) })
  const csrf = useCsrf()
  const { setNodeRef, setActivatorNodeRef, listeners, attributes } = useDraggable({
    id: card.id,
    data: { stage: card.stage },
    disabled: !card.canWrite,
    attributes: { roleDescription: t('pipeline.dnd.roledescription') },
  })
  // Report each answer once, even though the card remounts in its new column.
  useEffect(() => {
    const d = fetcher.data
    if (fetcher.state !== 'idle' || !d || reported.has(d)) return
    reported.add(d)
    onResult(card, d)
  }, [fetcher.state, fetcher.data, card, onResult])
  const jsError = fetcher.state === 'idle' && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null
  const error = failure?.formError ?? (failure ? Object.values(failure.errors).join(' ') : null) ?? jsError
  const FormTag = hydrated ? fetcher.Form : 'form'
  const titleId = `carte-${card.id}-titre`
  return (
    <li
      id={`carte-${card.id}`}
      ref={setNodeRef}
      aria-labelledby={titleId}
      className={`rounded-md border bg-white p-3 shadow-sm ${dragging ? 'opacity-40' : ''} ${saving ? 'border-indigo-300' : 'border-slate-200'} ${error ? 'border-red-400' : ''}`}
    >
      <div className="flex items-start gap-1">
        <div className="min-w-0 flex-1">
          <Link
            id={titleId}
            to={`/deals/${card.id}`}
            className="font-medium leading-snug text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            {card.title}
          </Link>
          <p className="mt-0.5 truncate text-xs text-slate-600">{card.organisation_name}</p>
        </div>
        {hydrated && card.canWrite ? (
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            aria-label={t('pipeline.handle', { title: card.title })}
            className="-mr-1 -mt-1 shrink-0 cursor-grab touch-none rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 active:cursor-grabbing"
          >
            <GripIcon className="h-5 w-5" />
          </button>
        ) : null}
      </div>
      <p className="mt-2 flex items-baseline justify-between gap-2 text-sm">
        <span className="font-semibold tabular-nums text-slate-900">{formatEuros(card.amount_cents)}</span>
        {card.expected_close_date ? (
          <span className="text-xs text-slate-600">
            <span className="sr-only">{t('deal.expectedClose')} : </span>
            {formatDate(card.expected_close_date)}
          </span>
        ) : null}
      </p>
      <p className="mt-1 truncate text-xs text-slate-600">
        <span className="sr-only">{t('deal.owner')} : </span>
        {card.owner_name ?? t('common.unassigned')}
      </p>
      {saving ? <p className="mt-1 text-xs text-indigo-700">{t('pipeline.saving')}</p> : null}
      {error ? (
        <p className="mt-2 text-xs font-medium text-red-700" role="alert">
          {error}
        </p>
      ) : null}
      {card.canWrite ? (
        <details className="mt-2 text-sm" open={!!failure}>
          <summary className="cursor-pointer select-none rounded text-xs font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
            {t('pipeline.move')}
          </summary>
          <FormTag method="post" action={`/pipeline${query}`} className="mt-2 space-y-2">
            <input type="hidden" name="csrf" value={csrf} />
            <input type="hidden" name="intent" value="move" />
            {hydrated ? <input type="hidden" name="js" value="1" /> : null}
            <input type="hidden" name="dealId" value={card.id} />
            <input type="hidden" name="version" value={card.version} />
            <input type="hidden" name="commandId" value={commandId} />
            <div>
              <label htmlFor={`stage-${card.id}`} className="block text-xs font-medium text-slate-700">
                {t('pipeline.moveTo')}
              </label>
              <select
                id={`stage-${card.id}`}
                name="stage"
                defaultValue={failure?.values.stage ?? stages.find((s) => s.code !== card.stage)?.code}
                className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600"
              >
                {stages
                  .filter((s) => s.code !== card.stage)
                  .map((s) => (
                    <option key={s.code} value={s.code}>
                      {s.label}
                    </option>
                  ))}
              </select>
            </div>
            <div>
              <label htmlFor={`reason-${card.id}`} className="block text-xs font-medium text-slate-700">
                {t('deal.lostReason')}
              </label>
              <input
                id={`reason-${card.id}`}
                name="lost_reason"
                maxLength={TEXT_LIMITS.reason}
                defaultValue={failure?.values.lost_reason ?? ''}
                aria-describedby={`reason-${card.id}-hint`}
                aria-invalid={failure?.errors.lost_reason ? true : undefined}
                className={`mt-1 block w-full rounded-md border bg-white px-2 py-1.5 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600 ${failure?.errors.lost_reason ? 'border-red-600' : 'border-slate-300'}`}
              />
              <p id={`reason-${card.id}-hint`} className="mt-0.5 text-xs text-slate-600">
                {t('deal.lostReasonHint')}
              </p>
            </div>
            <button
              type="submit"
              className="rounded-md bg-indigo-700 px-3 py-1.5 text-xs font-semibold text-white shadow-sm hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              {t('pipeline.moveSubmit')}
            </button>
          </FormTag>
        </details>
      ) : null}
    </li>
  )
}
