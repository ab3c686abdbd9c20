import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core'
import { Link, useFetcher, useFetchers, useSubmit } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import { useT } from '~/i18n/use-t'
import { useCsrf } from './authenticity-token-input'
import { collision, columnKeyboardCoordinates } from './board-keyboard'
import type { FormFailure } from '~/utils/forms.server'
import { GripIcon, RepeatIcon } from './task-icons'
import { DueLabel, PRIORITY_TONE, type TaskItem } from './task-list'
import { Alert } from './ui/alert'
import { Badge } from './ui/badge'
import { useMoveResult } from './board-move-result'

export type TaskStatusCode = TaskItem['status']
export const BOARD_COLUMNS: TaskStatusCode[] = ['a_faire', 'en_cours', 'terminee', 'annulee']
/** The action's answer to a drag (fetcher, `js=1`). */
export type TaskMoveResult = { ok: true; taskId: string; status: TaskStatusCode } | { ok: false; taskId: string; error: string }

const moveKey = (taskId: string) => `task-move:${taskId}`

// crypto.randomUUID exists only on HTTPS and localhost; command ids must work on plain HTTP too.
function newCommandId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])
  return hydrated
}

type Props = {
  columns: Record<TaskStatusCode, TaskItem[]>
  /** The board's filters as a query string, kept on posts. */
  query: string
  commandIds: Record<string, string>
  failure?: FormFailure
}

/**
 * The tasks by status. Every card has a plain "Déplacer" form (works without
 * JavaScript); with it, cards also drag — mouse, touch, and keyboard through the handle
 * (Space, ←/→, Space) — and move at once, rolling back with a French message if the
 * server refuses.
 */
export function TaskBoard({ columns, query, commandIds, failure }: Props) {
  const t = useT()
  const hydrated = useHydrated()
  const submit = useSubmit()
  const fetchers = useFetchers()
  const csrf = useCsrf()
  const [activeId, setActiveId] = useState<string | null>(null)
  const [status, setStatus] = useState<{ tone: 'error' | 'success'; text: string } | null>(null)
  const label = useCallback(
    (s: string | number | undefined) =>
      BOARD_COLUMNS.includes(String(s) as TaskStatusCode) ? t(`task.status.${String(s) as TaskStatusCode}`) : String(s ?? ''),
    [t],
  )
  const all = useMemo(
    () =>
      new Map(
        Object.values(columns)
          .flat()
          .map((c) => [c.id, c]),
      ),
    [columns],
  )

  const pending = new Map<string, TaskStatusCode>()
  for (const f of fetchers) {
    if (f.state === 'idle' || !f.formData || f.formData.get('intent') !== 'move') continue
    pending.set(String(f.formData.get('taskId')), String(f.formData.get('to')) as TaskStatusCode)
  }
  const view: Record<TaskStatusCode, TaskItem[]> = { a_faire: [], en_cours: [], terminee: [], annulee: [] }
  for (const s of BOARD_COLUMNS) {
    for (const card of columns[s]) {
      const to = pending.get(card.id)
      if (to && to !== card.status) view[to].unshift({ ...card, status: to })
      else view[s].push(card)
    }
  }

  const move = useCallback(
    (card: TaskItem, to: TaskStatusCode) => {
      setStatus(null)
      submit(
        { intent: 'move', js: '1', taskId: card.id, to, version: String(card.version), commandId: newCommandId(), csrf },
        { method: 'post', action: `/tasks/board${query}`, navigate: false, fetcherKey: moveKey(card.id) },
      )
    },
    [csrf, query, submit],
  )

  const onResult = useCallback(
    (card: TaskItem, result: TaskMoveResult) => {
      if (result.ok) setStatus({ tone: 'success', text: t('task.moved', { title: card.title, status: label(result.status) }) })
      else setStatus({ tone: 'error', text: t('board.moveFailed', { title: card.title, reason: result.error }) })
    },
    [label, t],
  )

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates(BOARD_COLUMNS, 'status') }),
  )
  const titleOf = (id: string | number) => all.get(String(id))?.title ?? ''
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('board.dnd.start', { title: titleOf(active.id), status: label(all.get(String(active.id))?.status) }),
    onDragOver: ({ over }) => (over ? t('board.dnd.over', { status: label(over.id) }) : t('board.dnd.outside')),
    onDragEnd: ({ active, over }) =>
      over ? t('board.dnd.drop', { title: titleOf(active.id), status: label(over.id) }) : t('board.dnd.dropNowhere', { title: titleOf(active.id) }),
    onDragCancel: ({ active }) => t('board.dnd.cancel', { title: titleOf(active.id), status: label(all.get(String(active.id))?.status) }),
  }
  function onDragEnd(e: DragEndEvent) {
    setActiveId(null)
    const card = all.get(String(e.active.id))
    const to = e.over ? (String(e.over.id) as TaskStatusCode) : null
    if (!card || !to || to === (pending.get(card.id) ?? card.status)) return
    move(card, to)
  }

  const active = activeId ? all.get(activeId) : undefined
  return (
    <>
      <div aria-live="polite" className="px-4 sm:px-0">
        {status ? (
          <div className="mb-3">
            <Alert tone={status.tone}>{status.text}</Alert>
          </div>
        ) : null}
      </div>
      <DndContext
        id="task-board"
        sensors={sensors}
        collisionDetection={collision}
        onDragStart={(e) => setActiveId(String(e.active.id))}
        onDragEnd={onDragEnd}
        onDragCancel={() => setActiveId(null)}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('board.dnd.instructions') } }}
      >
        <div className="flex snap-x snap-mandatory gap-3 overflow-x-auto px-4 pb-4 sm:snap-none sm:px-0" data-testid="task-board">
          {BOARD_COLUMNS.map((s) => (
            <Column key={s} status={s} count={view[s].length} title={label(s)} note={s === 'terminee' || s === 'annulee' ? t('board.closedSince') : null}>
              {view[s].map((card) => (
                <Card
                  key={card.id}
                  card={card}
                  query={query}
                  hydrated={hydrated}
                  commandId={commandIds[card.id] ?? ''}
                  failure={failure?.values.taskId === card.id ? failure : undefined}
                  dragging={activeId === card.id}
                  saving={pending.has(card.id)}
                  onResult={onResult}
                />
              ))}
            </Column>
          ))}
        </div>
        <DragOverlay dropAnimation={null}>
          {active ? <div className="w-64 rotate-1 rounded-md border border-indigo-300 bg-white p-3 text-sm font-medium shadow-xl">{active.title}</div> : null}
        </DragOverlay>
      </DndContext>
    </>
  )
}

function Column({ status, title, count, note, children }: { status: TaskStatusCode; title: string; count: number; note: string | null; children: ReactNode }) {
  const t = useT()
  const { setNodeRef, isOver } = useDroppable({ id: status })
  const accent =
    status === 'terminee'
      ? 'border-t-green-600'
      : status === 'annulee'
        ? 'border-t-slate-400'
        : status === 'en_cours'
          ? 'border-t-amber-500'
          : 'border-t-indigo-600'
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={`colonne-${status}`}
      data-status={status}
      className={`flex w-[85vw] shrink-0 snap-start flex-col rounded-lg border border-t-4 border-slate-200 ${accent} sm:w-72 ${isOver ? 'bg-indigo-50 ring-2 ring-indigo-400' : 'bg-slate-100/70'}`}
    >
      <header className="px-3 pb-2 pt-3">
        <h2 id={`colonne-${status}`} className="flex items-baseline justify-between gap-2 text-sm font-semibold text-slate-900">
          <span>{title}</span>
          <span className="text-xs font-medium text-slate-600" data-testid={`count-${status}`}>
            {count === 1 ? t('task.countOne') : t('task.count', { count })}
          </span>
        </h2>
        {note ? <p className="text-xs text-slate-600">{note}</p> : null}
      </header>
      <ul className="flex min-h-[6rem] flex-1 flex-col gap-2 px-2 pb-2">{children}</ul>
    </section>
  )
}

type CardProps = {
  card: TaskItem
  query: string
  hydrated: boolean
  commandId: string
  failure?: FormFailure
  dragging: boolean
  saving: boolean
  onResult: (card: TaskItem, result: TaskMoveResult) => void
}

function Card({ card, query, hydrated, commandId, failure, dragging, saving, onResult }: CardProps) {
  const t = useT()
  const fetcher = useFetcher<TaskMoveResult>({ key: moveKey(card.id) })
  const csrf = useCsrf()
  const { setNodeRef, setActivatorNodeRef, listeners, attributes } = useDraggable({
    id: card.id,
    data: { status: card.status },
    disabled: !card.canWrite,
    attributes: { roleDescription: t('board.dnd.roledescription') },
  })
  useMoveResult(fetcher, card, onResult)
  const jsError = fetcher.state === 'idle' && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null
  const error = failure?.formError ?? (failure ? Object.values(failure.errors).join(' ') : null) ?? jsError
  const FormTag = hydrated ? fetcher.Form : 'form'
  const closed = card.status === 'terminee' || card.status === 'annulee'
  return (
    <li
      id={`carte-${card.id}`}
      ref={setNodeRef}
      aria-labelledby={`carte-${card.id}-titre`}
      data-task={card.id}
      className={`rounded-md border bg-white p-3 shadow-sm ${dragging ? 'opacity-40' : ''} ${error ? 'border-red-400' : saving ? 'border-indigo-300' : 'border-slate-200'}`}
    >
      <div className="flex items-start gap-1">
        <div className="min-w-0 flex-1">
          <Link
            id={`carte-${card.id}-titre`}
            to={`/tasks/${card.id}`}
            className={`font-medium leading-snug hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${closed ? 'text-slate-500 line-through' : 'text-indigo-800'}`}
          >
            {card.title}
          </Link>
          {card.recurring ? <RepeatIcon className="ml-1 inline h-4 w-4 text-slate-500" /> : null}
        </div>
        {hydrated && card.canWrite ? (
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            aria-label={t('board.handle', { title: card.title })}
            className="-mr-1 -mt-1 shrink-0 cursor-grab touch-none rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 active:cursor-grabbing"
          >
            <GripIcon className="h-5 w-5" />
          </button>
        ) : null}
      </div>
      <p className="mt-1 flex flex-wrap items-center gap-2 text-xs">
        <DueLabel dueAt={card.dueAt} allDay={card.allDay} overdue={card.overdue} />
        {card.priority !== 'normale' ? <Badge tone={PRIORITY_TONE[card.priority]}>{t(`task.priority.${card.priority}`)}</Badge> : null}
      </p>
      <p className="mt-1 truncate text-xs text-slate-600">
        <span className="sr-only">{t('task.assignee')} : </span>
        {card.assigneeName ?? t('common.unassigned')}
      </p>
      {saving ? <p className="mt-1 text-xs text-indigo-700">{t('board.saving')}</p> : null}
      {error ? (
        <p className="mt-2 text-xs font-medium text-red-700" role="alert">
          {error}
        </p>
      ) : null}
      {card.canWrite ? (
        <details className="mt-2 text-sm" open={!!failure}>
          <summary className="cursor-pointer select-none rounded text-xs font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
            {t('board.move')}
            <span className="sr-only"> : {card.title}</span>
          </summary>
          <FormTag method="post" action={`/tasks/board${query}`} className="mt-2 space-y-2">
            <input type="hidden" name="csrf" value={csrf} />
            <input type="hidden" name="intent" value="move" />
            {hydrated ? <input type="hidden" name="js" value="1" /> : null}
            <input type="hidden" name="taskId" value={card.id} />
            <input type="hidden" name="version" value={card.version} />
            <input type="hidden" name="commandId" value={commandId} />
            <div>
              <label htmlFor={`statut-${card.id}`} className="block text-xs font-medium text-slate-700">
                {t('board.moveTo')}
              </label>
              <select
                id={`statut-${card.id}`}
                name="to"
                defaultValue={BOARD_COLUMNS.find((s) => s !== card.status)}
                className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600"
              >
                {BOARD_COLUMNS.filter((s) => s !== card.status).map((s) => (
                  <option key={s} value={s}>
                    {t(`task.status.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="submit"
              className="rounded-md bg-indigo-700 px-3 py-1.5 text-xs font-semibold text-white shadow-sm hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            >
              {t('board.moveSubmit')}
            </button>
          </FormTag>
        </details>
      ) : null}
    </li>
  )
}
