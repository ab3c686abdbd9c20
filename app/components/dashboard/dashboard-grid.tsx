import { closestCenter, DndContext, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent, type UniqueIdentifier } from '@dnd-kit/core'
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, type SortingStrategy } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { useRef, type FormEvent, type ReactNode } from 'react'
import { WIDGET_KINDS, WIDGET_SIZES, type Widget, type WidgetSize } from '../../../domain/dashboards/widgets'
import type { Role } from '../../../db/schema'
import { Alert } from '~/components/ui/alert'
import { useT } from '~/i18n/use-t'
import type { DashboardData } from '~/utils/dashboard.server'
import { SteadyKeyboardSensor } from './steady-keyboard-sensor'
import { useLayoutSaver } from './use-layout-saver'
import { WidgetBody } from './widget-body'

// On a wide screen the grid has 12 columns; a widget's size is its share of the row.
// Between md and lg, small and medium widgets go two by two; phones stack everything.
const SPAN: Record<WidgetSize, string> = {
  sm: 'md:col-span-6 lg:col-span-4',
  md: 'md:col-span-6 lg:col-span-6',
  lg: 'md:col-span-12 lg:col-span-8',
  full: 'md:col-span-12',
}

// Widgets of different sizes do not swap places well while dragging: the dragged one
// follows the pointer (or the arrow keys), the others stay put until it is dropped.
const stayPut: SortingStrategy = () => null

type Props = {
  widgets: Widget[]
  version: number
  data: DashboardData
  editing: boolean
  csrf: string
  commandId: string
  /** Where the no-JS forms come back to (the dashboard, its filters, in edit mode). */
  returnTo: string
  role: Role
}

/**
 * The user's widgets in their order and sizes. In edit mode each widget gets a drag
 * handle (mouse, touch, keyboard) and buttons doing the same changes as plain forms, so
 * the editor works without JavaScript; with it, the forms post through a fetcher.
 */
export function DashboardGrid({ widgets: serverWidgets, version, data, editing, csrf, commandId, returnTo, role }: Props) {
  const t = useT()
  const { widgets, save, error, status } = useLayoutSaver(serverWidgets, version, csrf)
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(SteadyKeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )
  const ids = widgets.map((w) => w.id)
  const nameOf = (id: UniqueIdentifier) => {
    const w = widgets.find((x) => x.id === id)
    return w ? t(`dash.widget.${w.kind}`) : String(id)
  }
  const position = (id: UniqueIdentifier) => ids.indexOf(String(id)) + 1
  const count = ids.length
  // dnd-kit reports the widget over itself right after the pick-up: saying « au-dessus de
  // la position 2 » then replaced « saisi, en position 2 » before a screen reader read it.
  // Only a change of place is announced.
  const announcedOver = useRef<UniqueIdentifier | null>(null)
  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      announcedOver.current = active.id
      return t('dash.dnd.start', { name: nameOf(active.id), position: position(active.id), count })
    },
    onDragOver: ({ active, over }) => {
      const overId = over?.id ?? null
      if (overId === announcedOver.current) return undefined
      announcedOver.current = overId
      return over ? t('dash.dnd.over', { name: nameOf(active.id), position: position(over.id), count }) : t('dash.dnd.outside', { name: nameOf(active.id) })
    },
    onDragEnd: ({ active, over }) => t('dash.dnd.end', { name: nameOf(active.id), position: over ? position(over.id) : position(active.id), count }),
    onDragCancel: ({ active }) => t('dash.dnd.cancel', { name: nameOf(active.id), position: position(active.id) }),
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over || active.id === over.id) return
    const order = arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id)))
    save({ action: 'reorder', order: order.join(',') })
  }

  // With JavaScript the editor's forms go through the saver instead of navigating.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
    if (!submitter?.value) return
    e.preventDefault()
    const widgetId = new FormData(e.currentTarget).get('widgetId')
    save({ action: submitter.value, widgetId: typeof widgetId === 'string' && widgetId ? widgetId : undefined })
  }

  const hidden = (
    <>
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="commandId" value={commandId} />
      <input type="hidden" name="returnTo" value={returnTo} />
    </>
  )
  const missing = WIDGET_KINDS.filter((k) => !widgets.some((w) => w.kind === k))

  return (
    <>
      {editing ? (
        <section aria-labelledby="dash-edit-title" className="mb-6 rounded-lg border border-indigo-200 bg-indigo-50/60 p-4 sm:p-5">
          <h2 id="dash-edit-title" className="text-base font-semibold text-slate-900">
            {t('dash.edit.title')}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{t('dash.edit.intro')}</p>
          <p className="js-only mt-1 text-sm text-slate-700">{t('dash.edit.dragHint')}</p>
          <div className="mt-4 flex flex-wrap items-start justify-between gap-4">
            <form method="post" action="/dashboard/layout" onSubmit={onSubmit} className="min-w-0">
              {hidden}
              <fieldset>
                <legend className="text-sm font-medium text-slate-800">{t('dash.edit.add')}</legend>
                {missing.length ? (
                  <div className="mt-2 flex flex-wrap gap-2">
                    {missing.map((k) => (
                      <button key={k} type="submit" name="action" value={`add:${k}`} className={chip}>
                        <span aria-hidden="true">+</span> {t('dash.edit.addKind', { name: t(`dash.widget.${k}`) })}
                      </button>
                    ))}
                  </div>
                ) : (
                  <p className="mt-2 text-sm text-slate-600">{t('dash.edit.allAdded')}</p>
                )}
              </fieldset>
            </form>
            <form method="post" action="/dashboard/layout" onSubmit={onSubmit}>
              {hidden}
              <button type="submit" name="action" value="reset" className={chip} aria-describedby="dash-reset-hint">
                {t('dash.edit.reset')}
              </button>
              <p id="dash-reset-hint" className="mt-1 text-xs text-slate-600">
                {t('dash.edit.resetHint', { role: t(`role.${role}`) })}
              </p>
            </form>
          </div>
          <p role="status" aria-live="polite" className="mt-2 text-sm text-slate-700">
            {status === 'saving' ? t('dash.edit.saving') : status === 'saved' ? t('dash.edit.saved') : ''}
          </p>
          {error !== null ? <Alert tone="error">{t('dash.edit.failed', { message: error || t('errors.generic') })}</Alert> : null}
        </section>
      ) : null}

      {widgets.length === 0 ? <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">{t('dash.empty')}</p> : null}

      <DndContext
        id="dashboard-widgets"
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('dash.dnd.instructions') } }}
      >
        <SortableContext items={ids} strategy={stayPut} disabled={!editing}>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-12 lg:gap-6" data-testid="dashboard-grid">
            {widgets.map((w, i) => (
              <SortableWidget key={w.id} widget={w} editing={editing}>
                {editing ? <WidgetControls widget={w} first={i === 0} last={i === widgets.length - 1} onSubmit={onSubmit} hidden={hidden} /> : null}
                <WidgetBody widget={w} data={data} />
              </SortableWidget>
            ))}
          </div>
        </SortableContext>
      </DndContext>
    </>
  )
}

const chip =
  'inline-flex items-center gap-1 rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 ' +
  'focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50'

function SortableWidget({ widget, editing, children }: { widget: Widget; editing: boolean; children: ReactNode }) {
  const t = useT()
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging, isOver } = useSortable({
    id: widget.id,
    disabled: !editing,
  })
  const name = t(`dash.widget.${widget.kind}`)
  const titleId = `widget-${widget.id}-title`
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={titleId}
      data-widget={widget.kind}
      data-size={widget.size}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`col-span-1 min-w-0 rounded-xl border bg-white p-4 shadow-sm sm:p-5 ${SPAN[widget.size]} ${
        isDragging
          ? 'relative z-20 border-indigo-400 shadow-lg ring-2 ring-indigo-400'
          : isOver && editing
            ? 'border-indigo-400 ring-2 ring-indigo-200'
            : 'border-slate-200'
      }`}
    >
      <div className="mb-3 flex items-center gap-2">
        {editing ? (
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            aria-label={t('dash.edit.drag', { name })}
            className="js-only -ml-1 cursor-grab touch-none rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 active:cursor-grabbing"
          >
            <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" fill="currentColor">
              <circle cx="7" cy="5" r="1.5" />
              <circle cx="13" cy="5" r="1.5" />
              <circle cx="7" cy="10" r="1.5" />
              <circle cx="13" cy="10" r="1.5" />
              <circle cx="7" cy="15" r="1.5" />
              <circle cx="13" cy="15" r="1.5" />
            </svg>
          </button>
        ) : null}
        <h2 id={titleId} className="text-base font-semibold text-slate-900">
          {name}
        </h2>
      </div>
      {children}
    </section>
  )
}

function WidgetControls({
  widget,
  first,
  last,
  onSubmit,
  hidden,
}: {
  widget: Widget
  first: boolean
  last: boolean
  onSubmit: (e: FormEvent<HTMLFormElement>) => void
  hidden: ReactNode
}) {
  const t = useT()
  const name = t(`dash.widget.${widget.kind}`)
  const small =
    'rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 disabled:opacity-40'
  return (
    <form
      method="post"
      action="/dashboard/layout"
      onSubmit={onSubmit}
      aria-label={t('dash.edit.controls', { name })}
      className="mb-4 flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg bg-slate-50 px-3 py-2"
    >
      {hidden}
      <input type="hidden" name="widgetId" value={widget.id} />
      <div className="flex gap-1">
        <button
          type="submit"
          name="action"
          value="up"
          disabled={first}
          aria-label={t('dash.edit.upNamed', { name })}
          className={`${small} bg-white text-slate-800 ring-slate-300 hover:bg-slate-100`}
        >
          <span aria-hidden="true">↑ </span>
          {t('dash.edit.up')}
        </button>
        <button
          type="submit"
          name="action"
          value="down"
          disabled={last}
          aria-label={t('dash.edit.downNamed', { name })}
          className={`${small} bg-white text-slate-800 ring-slate-300 hover:bg-slate-100`}
        >
          <span aria-hidden="true">↓ </span>
          {t('dash.edit.down')}
        </button>
      </div>
      <fieldset className="flex items-center gap-1">
        <legend className="sr-only">{t('dash.edit.size')}</legend>
        <span aria-hidden="true" className="mr-1 text-xs text-slate-600">
          {t('dash.edit.size')}
        </span>
        {WIDGET_SIZES.map((s) => (
          <button
            key={s}
            type="submit"
            name="action"
            value={`size:${s}`}
            aria-pressed={widget.size === s}
            aria-label={t('dash.edit.sizeNamed', { name, size: t(`dash.size.${s}`) })}
            className={`${small} ${widget.size === s ? 'bg-indigo-700 text-white ring-indigo-700' : 'bg-white text-slate-800 ring-slate-300 hover:bg-slate-100'}`}
          >
            {t(`dash.size.${s}`)}
          </button>
        ))}
      </fieldset>
      <button
        type="submit"
        name="action"
        value="remove"
        aria-label={t('dash.edit.removeNamed', { name })}
        className={`${small} ml-auto bg-white text-red-800 ring-red-200 hover:bg-red-50`}
      >
        {t('dash.edit.remove')}
      </button>
    </form>
  )
}
