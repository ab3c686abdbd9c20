import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core'
import { Link, useFetchers, useSubmit } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useT } from '~/i18n/use-t'
import { useCsrf } from './authenticity-token-input'
import { formatEuros } from '~/utils/format'
import { LostReasonDialog } from './lost-reason-dialog'
import { SignedStageDialog } from './signed-stage-dialog'
import { collision, columnKeyboardCoordinates } from './board-keyboard'
import { moveKey, type BoardCardData, type BoardColumns, type BoardStage, type MoveResult, type Totals } from './pipeline-board.types'
import { Card, CardBody } from './pipeline-card'
import { Alert } from './ui/alert'

export type { BoardCardData, BoardColumns, BoardStage, MoveResult } from './pipeline-board.types'

/** The deals list on this stage, with the board's owner filter (the list has no team filter). */
function seeAll(query: string, stage: string) {
  const p = new URLSearchParams()
  p.set('etape', stage)
  const owner = new URLSearchParams(query.slice(1)).get('responsable')
  if (owner) p.set('responsable', owner)
  return `/deals?${p}`
}

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
  stages: BoardStage[]
  columns: BoardColumns
  /** The board's filters as a query string, kept on drags' posts. */
  query: string
  /** The board with its filters and grown columns (the cards' no-JS "Déplacer" links). */
  boardHref: string
  /** Cards per page of a column: "+ N affaires" adds this many. */
  pageSize: number
  /** How far back the won and lost columns go, as shown under their title ("90 derniers jours"). */
  closedPeriod: string
}

/** A drop waiting for an answer in a dialog: the lost reason, the signature's confirmation, the reopening's reason. */
type Prompt = { card: BoardCardData; to: string; kind: 'lost' | 'won' | 'reopen' }

/**
 * The pipeline board. Without JavaScript each card links to the page's one move step
 * (see pipeline-move-step.tsx); with it, cards drag — mouse, touch, and keyboard through
 * the handle (Space, ←/→, Space) — and move at once (optimistic), rolling back with a
 * French message if the server refuses. A drop on a lost stage asks for the reason, on
 * a won stage for a confirmation, out of a won stage for why. Each column shows its
 * first cards; "+ N affaires" (a link, with or without JavaScript) shows more.
 */
export function PipelineBoard({ stages, columns, query, boardHref, pageSize, closedPeriod }: Props) {
  const t = useT()
  const hydrated = useHydrated()
  const submit = useSubmit()
  const fetchers = useFetchers()
  const csrf = useCsrf()
  const [activeId, setActiveId] = useState<string | null>(null)
  const justPickedUp = useRef(false)
  const [prompt, setPrompt] = useState<Prompt | null>(null)
  const [status, setStatus] = useState<{ tone: 'error' | 'success'; text: string } | null>(null)
  const stageOf = useCallback((code: string) => stages.find((s) => s.code === code), [stages])
  const label = useCallback((code: string | number | undefined) => stageOf(String(code ?? ''))?.label ?? String(code ?? ''), [stageOf])

  const allCards = useMemo(
    () =>
      new Map(
        Object.values(columns)
          .flatMap((c) => c.cards)
          .map((c) => [c.id, c]),
      ),
    [columns],
  )

  // Optimistic stages: every move in flight (drag or card form), plus a lost move waiting for its reason.
  const pending = new Map<string, string>()
  for (const f of fetchers) {
    if (f.state === 'idle' || !f.formData || f.formData.get('intent') !== 'move') continue
    pending.set(String(f.formData.get('dealId')), String(f.formData.get('stage')))
  }
  if (prompt) pending.set(prompt.card.id, prompt.to)

  const view = useMemo(() => {
    const out: Record<string, { totals: Totals; cards: BoardCardData[] }> = {}
    for (const s of stages) out[s.code] = { totals: { ...(columns[s.code]?.totals ?? { count: 0, amountCents: 0, weightedCents: 0 }) }, cards: [] }
    for (const s of stages) {
      for (const card of columns[s.code]?.cards ?? []) {
        const to = pending.get(card.id)
        if (to && to !== card.stage && out[to]) {
          const from = out[card.stage].totals
          from.count -= 1
          from.amountCents -= card.amount_cents
          from.weightedCents -= Math.round((card.amount_cents * card.probability) / 100)
          const dest = out[to].totals
          dest.count += 1
          dest.amountCents += card.amount_cents
          dest.weightedCents += Math.round((card.amount_cents * (stageOf(to)?.probability ?? 0)) / 100)
          out[to].cards.unshift({ ...card, stage: to })
        } else {
          out[card.stage]?.cards.push(card)
        }
      }
    }
    return out
    // `pending` is rebuilt each render from fetchers; its content is the real dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stages, columns, stageOf, [...pending].join('|')])

  const move = useCallback(
    (card: BoardCardData, to: string, extra: Record<string, string> = {}) => {
      setStatus(null)
      const body: Record<string, string> = {
        intent: 'move',
        js: '1',
        dealId: card.id,
        stage: to,
        version: String(card.version),
        commandId: newCommandId(),
        csrf,
        ...extra,
      }
      submit(body, { method: 'post', action: `/pipeline${query}`, navigate: false, fetcherKey: moveKey(card.id) })
    },
    [csrf, query, submit],
  )

  const onResult = useCallback(
    (card: BoardCardData, result: MoveResult) => {
      if (result.ok) setStatus({ tone: 'success', text: t('pipeline.moved', { title: card.title, stage: label(result.stage) }) })
      else setStatus({ tone: 'error', text: t('pipeline.moveFailed', { title: card.title, reason: result.error }) })
    },
    [label, t],
  )

  const nextPage = (c: BoardColumns[string]) => Math.min(pageSize, c.totals.count - c.cards.length)
  const order = useMemo(() => stages.map((s) => s.code), [stages])
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates(order, 'stage') }),
  )

  const titleOf = (id: string | number) => allCards.get(String(id))?.title ?? ''
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('pipeline.dnd.start', { title: titleOf(active.id), stage: label(allCards.get(String(active.id))?.stage) }),
    onDragOver: ({ active, over }) => {
      // The first "over" (its own column, at pick-up) would drown the pick-up message.
      const first = justPickedUp.current
      justPickedUp.current = false
      if (first && over && String(over.id) === allCards.get(String(active.id))?.stage) return undefined
      return over ? t('pipeline.dnd.over', { stage: label(over.id) }) : t('pipeline.dnd.outside')
    },
    onDragEnd: ({ active, over }) =>
      over ? t('pipeline.dnd.drop', { title: titleOf(active.id), stage: label(over.id) }) : t('pipeline.dnd.dropNowhere', { title: titleOf(active.id) }),
    onDragCancel: ({ active }) => t('pipeline.dnd.cancel', { title: titleOf(active.id), stage: label(allCards.get(String(active.id))?.stage) }),
  }

  function onDragStart(e: DragStartEvent) {
    justPickedUp.current = true
    setActiveId(String(e.active.id))
  }
  function onDragEnd(e: DragEndEvent) {
    setActiveId(null)
    const card = allCards.get(String(e.active.id))
    const to = e.over ? String(e.over.id) : null
    if (!card || !to || to === (pending.get(card.id) ?? card.stage)) return
    const kind = stageOf(to)?.kind
    if (kind === 'lost') setPrompt({ card, to, kind: 'lost' })
    else if (kind === 'won') setPrompt({ card, to, kind: 'won' })
    else if (stageOf(card.stage)?.kind === 'won') setPrompt({ card, to, kind: 'reopen' })
    else move(card, to)
  }

  const activeCard = activeId ? allCards.get(activeId) : undefined
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
        id="pipeline-board"
        sensors={sensors}
        collisionDetection={collision}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setActiveId(null)}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('pipeline.dnd.instructions') } }}
      >
        {/* relative: the cards' sr-only text (absolute) stays inside the scroller instead of widening the page. */}
        {/* xl: the board takes the window's width (main is 72rem = 1120 px of content), so six columns fit. */}
        {/* Focus rings set once here rather than on each card's link and handle (the page carries many cards). */}
        <div
          className="relative flex snap-x snap-mandatory gap-3 overflow-x-auto px-4 pb-4 sm:snap-none sm:px-0 xl:mx-[calc(560px-50vw+1.5rem)] [&_:is(a,button):focus-visible]:outline [&_:is(a,button):focus-visible]:outline-2 [&_:is(a,button):focus-visible]:outline-indigo-600"
          data-testid="pipeline-board"
        >
          {stages.map((s) => (
            <Column
              key={s.code}
              stage={s}
              totals={view[s.code].totals}
              period={s.kind === 'open' ? undefined : closedPeriod}
              capped={
                (columns[s.code]?.totals.count ?? 0) > (columns[s.code]?.cards.length ?? 0)
                  ? { shown: columns[s.code].cards.length, count: columns[s.code].totals.count }
                  : null
              }
            >
              {view[s.code].cards.length === 0 ? (
                <li className="rounded-md border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-600">{t('pipeline.empty')}</li>
              ) : null}
              {view[s.code].cards.map((card, i) => (
                <Card
                  key={card.id}
                  card={card}
                  boardHref={boardHref}
                  hydrated={hydrated}
                  anchor={i > 0 && i % pageSize === 0 ? `cartes-${s.code}-${i}` : undefined}
                  dragging={activeId === card.id}
                  saving={pending.has(card.id) && prompt?.card.id !== card.id}
                  onResult={onResult}
                />
              ))}
              {columns[s.code]?.more ? (
                <li>
                  <Link
                    to={columns[s.code].more!}
                    preventScrollReset
                    aria-label={t('pipeline.moreLabel', { count: nextPage(columns[s.code]), stage: s.label })}
                    className="block rounded-md px-2 py-2 text-center text-sm font-semibold text-indigo-800 hover:bg-indigo-50 hover:underline"
                  >
                    {nextPage(columns[s.code]) === 1 ? t('pipeline.moreOne') : t('pipeline.more', { count: nextPage(columns[s.code]) })}
                  </Link>
                </li>
              ) : null}
              {(columns[s.code]?.totals.count ?? 0) > (columns[s.code]?.cards.length ?? 0) ? (
                <li>
                  <Link
                    to={seeAll(query, s.code)}
                    className="block rounded-md px-2 py-1 text-center text-xs font-medium text-indigo-800 hover:bg-indigo-50 hover:underline"
                  >
                    {t('pipeline.seeAll', { count: columns[s.code].totals.count.toLocaleString('fr-FR') })}
                  </Link>
                </li>
              ) : null}
            </Column>
          ))}
        </div>
        <DragOverlay dropAnimation={null}>{activeCard ? <CardBody card={activeCard} overlay /> : null}</DragOverlay>
      </DndContext>
      {prompt?.kind === 'lost' ? (
        <LostReasonDialog
          title={prompt.card.title}
          onCancel={() => setPrompt(null)}
          onConfirm={(reason) => {
            const p = prompt
            setPrompt(null)
            move(p.card, p.to, { lost_reason: reason })
          }}
        />
      ) : prompt ? (
        <SignedStageDialog
          kind={prompt.kind}
          title={prompt.card.title}
          from={label(prompt.card.stage)}
          to={label(prompt.to)}
          signedQuote={prompt.card.signed_quote}
          onCancel={() => setPrompt(null)}
          onConfirm={(reason) => {
            const p = prompt
            setPrompt(null)
            move(p.card, p.to, p.kind === 'won' ? { confirm: '1' } : { reopen_reason: reason })
          }}
        />
      ) : null}
    </>
  )
}

function Column({
  stage,
  totals,
  capped,
  period,
  children,
}: {
  stage: BoardStage
  totals: Totals
  capped: { shown: number; count: number } | null
  period?: string
  children: ReactNode
}) {
  const t = useT()
  const { setNodeRef, isOver } = useDroppable({ id: stage.code })
  const headingId = `colonne-${stage.code}`
  const accent = stage.kind === 'won' ? 'border-t-green-600' : stage.kind === 'lost' ? 'border-t-red-600' : 'border-t-indigo-600'
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={headingId}
      data-stage={stage.code}
      className={`flex w-[85vw] shrink-0 snap-start flex-col rounded-lg border border-t-4 border-slate-200 ${accent} sm:w-72 xl:w-auto xl:min-w-[11rem] xl:flex-1 ${isOver ? 'bg-indigo-50 ring-2 ring-indigo-400' : 'bg-slate-100/70'}`}
    >
      <header className="px-3 pb-2 pt-3">
        <h2 id={headingId} className="flex items-baseline justify-between gap-2 text-sm font-semibold text-slate-900">
          <span>
            {stage.label}
            {period ? <span className="block text-xs font-normal text-slate-600">{period}</span> : null}
          </span>
          <span className="text-xs font-medium text-slate-600">
            {t(totals.count <= 1 ? 'pipeline.countOne' : 'pipeline.count', { count: totals.count.toLocaleString('fr-FR') })}
          </span>
        </h2>
        <p className="mt-1 text-base font-semibold tabular-nums text-slate-900" data-testid={`total-${stage.code}`}>
          {formatEuros(totals.amountCents)}
        </p>
        {stage.kind === 'open' ? (
          <p className="text-xs tabular-nums text-slate-600" data-testid={`weighted-${stage.code}`}>
            {t('pipeline.weighted', { amount: formatEuros(totals.weightedCents) })}
          </p>
        ) : null}
        {capped ? (
          <p className="mt-1 text-xs text-slate-600">{t('pipeline.shown', { shown: capped.shown, count: capped.count.toLocaleString('fr-FR') })}</p>
        ) : null}
      </header>
      <ul className="flex min-h-[6rem] flex-1 flex-col gap-2 px-2 pb-2">{children}</ul>
    </section>
  )
}
