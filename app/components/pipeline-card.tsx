import { useDraggable } from '@dnd-kit/core'
import { Link, useFetcher } from '@remix-run/react'
import { memo } from 'react'
import { useT } from '~/i18n/use-t'
import { formatDate, formatEuros } from '~/utils/format'
import { GripIcon } from './pipeline-board-icons'
import { moveKey, type BoardCardData, type MoveResult } from './pipeline-board.types'
import { useMoveResult } from './board-move-result'

// One deal on the pipeline board: its body, its drag handle and, without JavaScript, its link to the move step.

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

type CardProps = {
  card: BoardCardData
  /** The board with its filters and grown columns: the no-JS "Déplacer" link opens the move step on it. */
  boardHref: string
  hydrated: boolean
  dragging: boolean
  saving: boolean
  /** An anchor for "+ N affaires": the first card of a page after the first. */
  anchor?: string
  onResult: (card: BoardCardData, result: MoveResult) => void
}

export function Card({ card, boardHref, hydrated, dragging, saving, anchor, onResult }: CardProps) {
  const t = useT()
  const fetcher = useFetcher<MoveResult>({ key: moveKey(card.id) })
  const { setNodeRef, setActivatorNodeRef, listeners, attributes } = useDraggable({
    id: card.id,
    data: { stage: card.stage },
    disabled: !card.canWrite,
    attributes: { roleDescription: t('pipeline.dnd.roledescription') },
  })
  useMoveResult(fetcher, card, onResult)
  const error = fetcher.state === 'idle' && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null
  return (
    <li
      id={`carte-${card.id}`}
      ref={setNodeRef}
      // board-card (tailwind.css) has scroll-mt: a card reached by its anchor (after a move without JavaScript) stays clear of the sticky header.
      className={`board-card ${dragging ? 'opacity-40 ' : ''}${error ? 'border-red-400' : saving ? 'border-indigo-300' : 'border-slate-200'}`}
    >
      <CardContent
        card={card}
        boardHref={boardHref}
        hydrated={hydrated}
        saving={saving}
        anchor={anchor}
        error={error}
        handleRef={setActivatorNodeRef}
        listeners={listeners}
        attributes={attributes}
      />
    </li>
  )
}

/**
 * What a card shows. Memoised: every card's useDraggable re-renders it whenever the drag
 * context changes (columns registering at hydration, each drag start and end), and
 * re-rendering sixty cards' content each time kept a phone's main thread busy.
 */
const CardContent = memo(function CardContent({
  card,
  boardHref,
  hydrated,
  saving,
  anchor,
  error,
  handleRef,
  listeners,
  attributes,
}: {
  card: BoardCardData
  boardHref: string
  hydrated: boolean
  saving: boolean
  anchor?: string
  error: string | null
  handleRef: (el: HTMLElement | null) => void
  listeners: ReturnType<typeof useDraggable>['listeners']
  attributes: ReturnType<typeof useDraggable>['attributes']
}) {
  const t = useT()
  return (
    <>
      {anchor ? <span id={anchor} className="absolute -top-2 scroll-mt-20" /> : null}
      <div className="flex items-start gap-1">
        <div className="min-w-0 flex-1">
          <Link to={`/deals/${card.id}`} className="board-title">
            {card.title}
          </Link>
          <p className="board-meta">{card.organisation_name}</p>
        </div>
        {hydrated && card.canWrite ? (
          <button
            type="button"
            ref={handleRef}
            {...attributes}
            {...listeners}
            aria-label={t('pipeline.handle', { title: card.title })}
            className="-mr-1 -mt-1 shrink-0 cursor-grab touch-none rounded p-1 text-slate-500 hover:bg-slate-100 active:cursor-grabbing"
          >
            <GripIcon className="h-5 w-5" />
          </button>
        ) : null}
      </div>
      {/* Wraps rather than overflows in a narrow column: amount first, close date below if need be. */}
      <p className="board-figures">
        <span className="whitespace-nowrap font-semibold tabular-nums">{formatEuros(card.amount_cents)}</span>
        {card.expected_close_date ? (
          <span className="board-meta">
            <span className="sr-only">{`${t('deal.expectedClose')} : `}</span>
            {formatDate(card.expected_close_date)}
          </span>
        ) : null}
      </p>
      <p className="board-meta">
        <span className="sr-only">{`${t('deal.owner')} : `}</span>
        {card.owner_name ?? t('common.unassigned')}
      </p>
      {saving ? <p className="mt-1 text-xs text-indigo-700">{t('pipeline.saving')}</p> : null}
      {error ? (
        <p className="mt-2 text-xs font-medium text-red-700" role="alert">
          {error}
        </p>
      ) : null}
      {/* Without JavaScript: a link to the page's one move step. With it, the handle moves the card (mouse, touch, keyboard). */}
      {!hydrated && card.canWrite ? (
        <a
          href={`${boardHref}${boardHref.includes('?') ? '&' : '?'}deplacer=${card.id}#deplacer`}
          aria-label={t('pipeline.moveLinkLabel', { title: card.title })}
          className="board-title text-xs"
        >
          {t('pipeline.moveLink')}
        </a>
      ) : null}
    </>
  )
})
