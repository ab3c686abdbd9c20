import {
  DndContext, DragOverlay, KeyboardSensor, PointerSensor, TouchSensor, pointerWithin, rectIntersection, useDraggable, useDroppable, useSensor, useSensors,
  type Announcements, type CollisionDetection, type DragEndEvent, type DragStartEvent, type KeyboardCoordinateGetter,
} from '@dnd-kit/core'
import { Link, useFetcher, useFetchers, useRouteLoaderData, useSubmit } from '@remix-run/react'
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { useT } from '~/i18n/use-t'
import type { FormFailure } from '~/utils/forms.server'
import { formatDate, formatEuros } from '~/utils/format'
import { GripIcon } from './pipeline-board-icons'
import { Alert } from './ui/alert'

export type BoardStage = { code: string; label: string; kind: 'open' | 'won' | 'lost'; probability: number }
export type BoardCardData = {
  id: string; title: string; stage: string; version: number; amount_cents: number; probability: number
  expected_close_date: string | null; organisation_id: string; organisation_name: string; owner_name: string | null; canWrite: boolean
}
type Totals = { count: number; amountCents: number; weightedCents: number }
export type BoardColumns = Record<string, { totals: Totals; cards: BoardCardData[] }>
/** The action's answer to a drag (fetcher, `js=1`). */
export type MoveResult = { ok: true; dealId: string; stage: string } | { ok: false; dealId: string; error: string; field?: string }

const moveKey = (dealId: string) => `move:${dealId}`

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

/**
 * Keyboard moves go column to column: ←/→ put the dragged card over the previous/next
 * column (the default sensor would nudge it 25 px at a time).
 */
function columnKeyboardCoordinates(order: string[]): KeyboardCoordinateGetter {
  return (event, { context: { active, collisionRect, droppableRects, over } }) => {
    if (event.code === 'ArrowUp' || event.code === 'ArrowDown') { event.preventDefault(); return undefined }
    if (event.code !== 'ArrowRight' && event.code !== 'ArrowLeft') return undefined
    event.preventDefault()
    if (!active || !collisionRect) return undefined
    const from = String(over?.id ?? (active.data.current as { stage?: string } | undefined)?.stage ?? '')
    const i = order.indexOf(from)
    const next = order[Math.min(order.length - 1, Math.max(0, i + (event.code === 'ArrowRight' ? 1 : -1)))]
    const rect = next ? droppableRects.get(next) : undefined
    if (!rect) return undefined
    return {
      x: rect.left + (rect.width - collisionRect.width) / 2,
      y: Math.max(rect.top, Math.min(collisionRect.top, rect.top + rect.height - collisionRect.height)),
    }
  }
}

// The pointer decides when there is one; keyboard drags have none: the overlap does.
const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args)
  return hits.length ? hits : rectIntersection(args)
}

type Props = {
  stages: BoardStage[]
  columns: BoardColumns
  /** The board's filters as a query string, kept on links and no-JS posts. */
  query: string
  commandIds: Record<string, string>
  failure?: FormFailure
  /** How far back the won and lost columns go, as shown under their title ("90 derniers jours"). */
  closedPeriod: string
}

/**
 * The pipeline board. Each card has a plain form (stage select + "Déplacer") that works
 * without JavaScript; with it, cards also drag — mouse, touch, and keyboard through the
 * handle (Space, ←/→, Space) — and move at once (optimistic), rolling back with a
 * French message if the server refuses. A move to a lost stage asks for the reason.
 */
export function PipelineBoard({ stages, columns, query, commandIds, failure, closedPeriod }: Props) {
  const t = useT()
  const hydrated = useHydrated()
  const submit = useSubmit()
  const fetchers = useFetchers()
  const csrf = useCsrf()
  const [activeId, setActiveId] = useState<string | null>(null)
  const justPickedUp = useRef(false)
  const [lostPrompt, setLostPrompt] = useState<{ card: BoardCardData; to: string } | null>(null)
  const [status, setStatus] = useState<{ tone: 'error' | 'success'; text: string } | null>(null)
  const stageOf = useCallback((code: string) => stages.find((s) => s.code === code), [stages])
  const label = useCallback((code: string | number | undefined) => stageOf(String(code ?? ''))?.label ?? String(code ?? ''), [stageOf])

  const allCards = useMemo(() => new Map(Object.values(columns).flatMap((c) => c.cards).map((c) => [c.id, c])), [columns])

  // Optimistic stages: every move in flight (drag or card form), plus a lost move waiting for its reason.
  const pending = new Map<string, string>()
  for (const f of fetchers) {
    if (f.state === 'idle' || !f.formData || f.formData.get('intent') !== 'move') continue
    pending.set(String(f.formData.get('dealId')), String(f.formData.get('stage')))
  }
  if (lostPrompt) pending.set(lostPrompt.card.id, lostPrompt.to)

  const view = useMemo(() => {
    const out: Record<string, { totals: Totals; cards: BoardCardData[] }> = {}
    for (const s of stages) out[s.code] = { totals: { ...(columns[s.code]?.totals ?? { count: 0, amountCents: 0, weightedCents: 0 }) }, cards: [] }
    for (const s of stages) {
      for (const card of columns[s.code]?.cards ?? []) {
        const to = pending.get(card.id)
        if (to && to !== card.stage && out[to]) {
          const from = out[card.stage].totals
          from.count -= 1; from.amountCents -= card.amount_cents; from.weightedCents -= Math.round((card.amount_cents * card.probability) / 100)
          const dest = out[to].totals
          dest.count += 1; dest.amountCents += card.amount_cents; dest.weightedCents += Math.round((card.amount_cents * (stageOf(to)?.probability ?? 0)) / 100)
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

  const move = useCallback((card: BoardCardData, to: string, lostReason?: string) => {
    setStatus(null)
    const body: Record<string, string> = { intent: 'move', js: '1', dealId: card.id, stage: to, version: String(card.version), commandId: newCommandId(), csrf }
    if (lostReason) body.lost_reason = lostReason
    submit(body, { method: 'post', action: `/pipeline${query}`, navigate: false, fetcherKey: moveKey(card.id) })
  }, [csrf, query, submit])

  const onResult = useCallback((card: BoardCardData, result: MoveResult) => {
    if (result.ok) setStatus({ tone: 'success', text: t('pipeline.moved', { title: card.title, stage: label(result.stage) }) })
    else setStatus({ tone: 'error', text: t('pipeline.moveFailed', { title: card.title, reason: result.error }) })
  }, [label, t])

  const order = useMemo(() => stages.map((s) => s.code), [stages])
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates(order) }),
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
    onDragEnd: ({ active, over }) => (over ? t('pipeline.dnd.drop', { title: titleOf(active.id), stage: label(over.id) }) : t('pipeline.dnd.dropNowhere', { title: titleOf(active.id) })),
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
    if (stageOf(to)?.kind === 'lost') setLostPrompt({ card, to })
    else move(card, to)
  }

  const activeCard = activeId ? allCards.get(activeId) : undefined
  return (
    <>
      <div aria-live="polite" className="px-4 sm:px-0">
        {status ? <div className="mb-3"><Alert tone={status.tone}>{status.text}</Alert></div> : null}
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
        <div className="relative flex snap-x snap-mandatory gap-3 overflow-x-auto px-4 pb-4 sm:snap-none sm:px-0 xl:mx-[calc(560px-50vw+1.5rem)]" data-testid="pipeline-board">
          {stages.map((s) => (
            <Column key={s.code} stage={s} totals={view[s.code].totals} period={s.kind === 'open' ? undefined : closedPeriod}
              capped={(columns[s.code]?.totals.count ?? 0) > (columns[s.code]?.cards.length ?? 0) ? { shown: columns[s.code].cards.length, count: columns[s.code].totals.count } : null}>
              {view[s.code].cards.length === 0 ? (
                <li className="rounded-md border border-dashed border-slate-300 px-3 py-6 text-center text-xs text-slate-600">{t('pipeline.empty')}</li>
              ) : null}
              {view[s.code].cards.map((card) => (
                <Card key={card.id} card={card} stages={stages} query={query} hydrated={hydrated} commandId={commandIds[card.id] ?? ''}
                  failure={failure?.values.dealId === card.id ? failure : undefined} dragging={activeId === card.id}
                  saving={pending.has(card.id) && lostPrompt?.card.id !== card.id} onResult={onResult} />
              ))}
              {(columns[s.code]?.totals.count ?? 0) > (columns[s.code]?.cards.length ?? 0) ? (
                <Link to={seeAll(query, s.code)} className="block rounded-md px-2 py-2 text-center text-sm font-medium text-indigo-800 hover:bg-indigo-50 hover:underline">
                  {t('pipeline.seeAll', { count: columns[s.code].totals.count.toLocaleString('fr-FR') })}
                </Link>
              ) : null}
            </Column>
          ))}
        </div>
        <DragOverlay dropAnimation={null}>
          {activeCard ? <CardBody card={activeCard} overlay /> : null}
        </DragOverlay>
      </DndContext>
      {lostPrompt ? (
        <LostReasonDialog
          title={lostPrompt.card.title}
          onCancel={() => setLostPrompt(null)}
          onConfirm={(reason) => { const p = lostPrompt; setLostPrompt(null); move(p.card, p.to, reason) }}
        />
      ) : null}
    </>
  )
}

function Column({ stage, totals, capped, period, children }: { stage: BoardStage; totals: Totals; capped: { shown: number; count: number } | null; period?: string; children: ReactNode }) {
  const t = useT()
  const { setNodeRef, isOver } = useDroppable({ id: stage.code })
  const headingId = `colonne-${stage.code}`
  const accent = stage.kind === 'won' ? 'border-t-green-600' : stage.kind === 'lost' ? 'border-t-red-600' : 'border-t-indigo-600'
  return (
    <section ref={setNodeRef} aria-labelledby={headingId} data-stage={stage.code}
      className={`flex w-[85vw] shrink-0 snap-start flex-col rounded-lg border border-t-4 border-slate-200 ${accent} sm:w-72 xl:w-auto xl:min-w-[12.5rem] xl:flex-1 ${isOver ? 'bg-indigo-50 ring-2 ring-indigo-400' : 'bg-slate-100/70'}`}>
      <header className="px-3 pb-2 pt-3">
        <h2 id={headingId} className="flex items-baseline justify-between gap-2 text-sm font-semibold text-slate-900">
          <span>{stage.label}{period ? <span className="block text-xs font-normal text-slate-600">{period}</span> : null}</span>
          <span className="text-xs font-medium text-slate-600">{t(totals.count <= 1 ? 'pipeline.countOne' : 'pipeline.count', { count: totals.count.toLocaleString('fr-FR') })}</span>
        </h2>
        <p className="mt-1 text-base font-semibold tabular-nums text-slate-900" data-testid={`total-${stage.code}`}>{formatEuros(totals.amountCents)}</p>
        {stage.kind === 'open' ? (
          <p className="text-xs tabular-nums text-slate-600" data-testid={`weighted-${stage.code}`}>{t('pipeline.weighted', { amount: formatEuros(totals.weightedCents) })}</p>
        ) : null}
        {capped ? <p className="mt-1 text-xs text-slate-600">{t('pipeline.shown', { shown: capped.shown, count: capped.count.toLocaleString('fr-FR') })}</p> : null}
      </header>
      <ul className="flex min-h-[6rem] flex-1 flex-col gap-2 px-2 pb-2">
        {children}
      </ul>
    </section>
  )
}

function CardBody({ card, overlay }: { card: BoardCardData; overlay?: boolean }) {
  const t = useT()
  return (
    <div className={overlay ? 'w-64 rotate-1 rounded-md border border-indigo-300 bg-white p-3 shadow-xl' : ''}>
      <p className="font-medium leading-snug text-slate-900">{card.title}</p>
      <p className="mt-0.5 text-xs text-slate-600">{card.organisation_name}</p>
      <p className="mt-2 flex items-baseline justify-between gap-2 text-sm">
        <span className="font-semibold tabular-nums text-slate-900">{formatEuros(card.amount_cents)}</span>
        {card.expected_close_date ? <span className="text-xs text-slate-600" title={t('pipeline.closeDate', { date: formatDate(card.expected_close_date) })}>{formatDate(card.expected_close_date)}</span> : null}
      </p>
      <p className="mt-1 truncate text-xs text-slate-600">{card.owner_name ?? t('common.unassigned')}</p>
    </div>
  )
}

const reported = new WeakSet<object>()

type CardProps = {
  card: BoardCardData; stages: BoardStage[]; query: string; hydrated: boolean; commandId: string
  failure?: FormFailure; dragging: boolean; saving: boolean
  onResult: (card: BoardCardData, result: MoveResult) => void
}

function Card({ card, stages, query, hydrated, commandId, failure, dragging, saving, onResult }: CardProps) {
  const t = useT()
  const fetcher = useFetcher<MoveResult>({ key: moveKey(card.id) })
  const csrf = useCsrf()
  const { setNodeRef, setActivatorNodeRef, listeners, attributes } = useDraggable({
    id: card.id, data: { stage: card.stage }, disabled: !card.canWrite,
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
    <li id={`carte-${card.id}`} ref={setNodeRef} aria-labelledby={titleId}
      className={`rounded-md border bg-white p-3 shadow-sm ${dragging ? 'opacity-40' : ''} ${saving ? 'border-indigo-300' : 'border-slate-200'} ${error ? 'border-red-400' : ''}`}>
      <div className="flex items-start gap-1">
        <div className="min-w-0 flex-1">
          <Link id={titleId} to={`/deals/${card.id}`} className="font-medium leading-snug text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">{card.title}</Link>
          <p className="mt-0.5 truncate text-xs text-slate-600">{card.organisation_name}</p>
        </div>
        {hydrated && card.canWrite ? (
          <button type="button" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={t('pipeline.handle', { title: card.title })}
            className="-mr-1 -mt-1 shrink-0 cursor-grab touch-none rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 active:cursor-grabbing">
            <GripIcon className="h-5 w-5" />
          </button>
        ) : null}
      </div>
      <p className="mt-2 flex items-baseline justify-between gap-2 text-sm">
        <span className="font-semibold tabular-nums text-slate-900">{formatEuros(card.amount_cents)}</span>
        {card.expected_close_date ? <span className="text-xs text-slate-600"><span className="sr-only">{t('deal.expectedClose')} : </span>{formatDate(card.expected_close_date)}</span> : null}
      </p>
      <p className="mt-1 truncate text-xs text-slate-600"><span className="sr-only">{t('deal.owner')} : </span>{card.owner_name ?? t('common.unassigned')}</p>
      {saving ? <p className="mt-1 text-xs text-indigo-700">{t('pipeline.saving')}</p> : null}
      {error ? <p className="mt-2 text-xs font-medium text-red-700" role="alert">{error}</p> : null}
      {card.canWrite ? (
        <details className="mt-2 text-sm" open={!!failure}>
          <summary className="cursor-pointer select-none rounded text-xs font-medium text-indigo-800 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">{t('pipeline.move')}</summary>
          <FormTag method="post" action={`/pipeline${query}`} className="mt-2 space-y-2">
            <input type="hidden" name="csrf" value={csrf} />
            <input type="hidden" name="intent" value="move" />
            {hydrated ? <input type="hidden" name="js" value="1" /> : null}
            <input type="hidden" name="dealId" value={card.id} />
            <input type="hidden" name="version" value={card.version} />
            <input type="hidden" name="commandId" value={commandId} />
            <div>
              <label htmlFor={`stage-${card.id}`} className="block text-xs font-medium text-slate-700">{t('pipeline.moveTo')}</label>
              <select id={`stage-${card.id}`} name="stage" defaultValue={failure?.values.stage ?? stages.find((s) => s.code !== card.stage)?.code}
                className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600">
                {stages.filter((s) => s.code !== card.stage).map((s) => <option key={s.code} value={s.code}>{s.label}</option>)}
              </select>
            </div>
            <div>
              <label htmlFor={`reason-${card.id}`} className="block text-xs font-medium text-slate-700">{t('deal.lostReason')}</label>
              <input id={`reason-${card.id}`} name="lost_reason" defaultValue={failure?.values.lost_reason ?? ''} aria-describedby={`reason-${card.id}-hint`}
                aria-invalid={failure?.errors.lost_reason ? true : undefined}
                className={`mt-1 block w-full rounded-md border bg-white px-2 py-1.5 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600 ${failure?.errors.lost_reason ? 'border-red-600' : 'border-slate-300'}`} />
              <p id={`reason-${card.id}-hint`} className="mt-0.5 text-xs text-slate-600">{t('deal.lostReasonHint')}</p>
            </div>
            <button type="submit" className="rounded-md bg-indigo-700 px-3 py-1.5 text-xs font-semibold text-white shadow-sm hover:bg-indigo-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
              {t('pipeline.moveSubmit')}
            </button>
          </FormTag>
        </details>
      ) : null}
    </li>
  )
}

function useCsrf() {
  return (useRouteLoaderData('root') as { csrf?: string | null } | undefined)?.csrf ?? ''
}

function LostReasonDialog({ title, onConfirm, onCancel }: { title: string; onConfirm: (reason: string) => void; onCancel: () => void }) {
  const t = useT()
  const ref = useRef<HTMLDialogElement>(null)
  const [reason, setReason] = useState('')
  const [error, setError] = useState(false)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  function submit(e: FormEvent) {
    e.preventDefault()
    if (!reason.trim()) { setError(true); return }
    ref.current?.close()
    onConfirm(reason.trim())
  }
  return (
    <dialog ref={ref} aria-labelledby="perte-titre" onCancel={onCancel}
      className="w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40">
      <form onSubmit={submit} className="space-y-4 p-5" noValidate>
        <h2 id="perte-titre" className="text-lg font-semibold text-slate-900">{t('pipeline.lostTitle')}</h2>
        <div>
          <label htmlFor="perte-raison" className="block text-sm font-medium text-slate-800">{t('pipeline.lostText', { title })}</label>
          <textarea id="perte-raison" rows={3} value={reason} onChange={(e) => { setReason(e.target.value); setError(false) }} autoFocus
            aria-invalid={error || undefined} aria-describedby={error ? 'perte-erreur' : undefined}
            className={`mt-1 block w-full rounded-md border px-3 py-2 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600 ${error ? 'border-red-600' : 'border-slate-300'}`} />
          {error ? <p id="perte-erreur" className="mt-1 text-sm font-medium text-red-700">{t('pipeline.lostReasonNeeded')}</p> : null}
        </div>
        <div className="flex flex-wrap justify-end gap-2">
          <button type="button" onClick={() => { ref.current?.close(); onCancel() }}
            className="rounded-md bg-white px-4 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">{t('common.cancel')}</button>
          <button type="submit"
            className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">{t('pipeline.lostConfirm')}</button>
        </div>
      </form>
    </dialog>
  )
}
