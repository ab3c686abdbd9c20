import type { Role } from '../../db/schema.js'
import { DomainError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import type { LayoutEvent } from './layout.js'
import { DEFAULT_SIZE, isWidgetKind, isWidgetSize, templateFor, type Widget, type WidgetKind, type WidgetSize } from './widgets.js'

/** One change to a layout, as the editor (drag-and-drop or the no-JS form) asks for it. */
export type LayoutChange =
  | { op: 'add'; widgetId: string; kind: WidgetKind; size?: WidgetSize }
  | { op: 'remove'; widgetId: string }
  | { op: 'move'; widgetId: string; direction: 'up' | 'down' }
  | { op: 'reorder'; order: string[] }
  | { op: 'resize'; widgetId: string; size: WidgetSize }

const same = (a: Widget[], b: Widget[]) => JSON.stringify(a) === JSON.stringify(b)

function indexOf(widgets: Widget[], widgetId: string): number {
  const i = widgets.findIndex((w) => w.id === widgetId)
  if (i < 0) throw new DomainError('dashboard.widget.gone', undefined, { status: 404 })
  return i
}

/** The widgets after `change`, from `current` (the saved layout, or the role's template). */
export function applyLayoutChange(current: Widget[], change: LayoutChange): Widget[] {
  const widgets = current.map((w) => ({ ...w }))
  switch (change.op) {
    case 'add': {
      if (!isWidgetKind(change.kind)) throw new ValidationError({ kind: 'dashboard.widget.kind.unknown' })
      if (change.size !== undefined && !isWidgetSize(change.size)) throw new ValidationError({ size: 'dashboard.widget.size.unknown' })
      if (widgets.some((w) => w.kind === change.kind)) throw new ValidationError({ kind: 'dashboard.widget.already_there' })
      if (!change.widgetId || widgets.some((w) => w.id === change.widgetId)) throw new ValidationError({ kind: 'dashboard.widget.id.invalid' })
      return [...widgets, { id: change.widgetId, kind: change.kind, size: change.size ?? DEFAULT_SIZE[change.kind], settings: {} }]
    }
    case 'remove': {
      const i = indexOf(widgets, change.widgetId)
      return widgets.filter((_, j) => j !== i)
    }
    case 'move': {
      const i = indexOf(widgets, change.widgetId)
      const j = change.direction === 'up' ? i - 1 : i + 1
      if (j < 0 || j >= widgets.length) return widgets
      ;[widgets[i], widgets[j]] = [widgets[j], widgets[i]]
      return widgets
    }
    case 'reorder': {
      // A drag-and-drop drop: the whole new order, which must be the same widgets.
      const ids = new Set(change.order)
      if (ids.size !== change.order.length || change.order.length !== widgets.length || widgets.some((w) => !ids.has(w.id))) {
        throw new DomainError('dashboard.layout.changed', undefined, { status: 409 })
      }
      const byId = new Map(widgets.map((w) => [w.id, w]))
      return change.order.map((id) => byId.get(id)!)
    }
    case 'resize': {
      if (!isWidgetSize(change.size)) throw new ValidationError({ size: 'dashboard.widget.size.unknown' })
      const i = indexOf(widgets, change.widgetId)
      widgets[i] = { ...widgets[i], size: change.size }
      return widgets
    }
  }
}

/** A change to the user's own layout; nothing when it changes nothing. */
export function changeLayout(current: Widget[], userId: string, change: LayoutChange, ctx: CommandContext): LayoutEvent[] {
  const next = applyLayoutChange(current, change)
  if (same(next, current)) return []
  return [{ type: 'DashboardLayoutChanged', data: { user_id: userId, widgets: next, at: ctx.now.toISOString() } }]
}

/**
 * Back to the role's template. Recorded even when equal (the user asked for it), except
 * for a user who never changed anything: they already see the template.
 */
export function resetLayout(hasLayout: boolean, userId: string, role: Role, ctx: CommandContext): LayoutEvent[] {
  if (!hasLayout) return []
  return [{ type: 'DashboardLayoutReset', data: { user_id: userId, role, widgets: templateFor(role), at: ctx.now.toISOString() } }]
}
