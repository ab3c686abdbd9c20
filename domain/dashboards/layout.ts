import type { Role } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'
import type { Widget } from './widgets.js'

// One layout per user: an ordered list of widgets. A user without a row sees their
// role's template (widgets.ts); the first change writes the row.

export type LayoutState = {
  id: string
  workspace_id: string
  user_id: string
  widgets: Widget[]
  version: number
  created_at: Date
  updated_at: Date
}

export type DashboardLayoutChanged = DomainEvent<'DashboardLayoutChanged', { user_id: string; widgets: Widget[]; at: string }>
export type DashboardLayoutReset = DomainEvent<'DashboardLayoutReset', { user_id: string; role: Role; widgets: Widget[]; at: string }>
export type LayoutEvent = DashboardLayoutChanged | DashboardLayoutReset

export const LAYOUT_STREAM = 'dashboard'

/**
 * Folds a layout event. The events carry the user, not the row id nor the workspace
 * (the stream says which): the first event of a stream needs them, hence the closure.
 */
export const evolveLayout =
  (row: { id: string; workspace_id: string }) =>
  (state: LayoutState | null, event: LayoutEvent): LayoutState => {
    const at = new Date(event.data.at)
    const base: LayoutState = state ?? {
      id: row.id,
      workspace_id: row.workspace_id,
      user_id: event.data.user_id,
      widgets: [],
      version: 0,
      created_at: at,
      updated_at: at,
    }
    return { ...base, widgets: event.data.widgets.map((w) => ({ ...w, settings: { ...w.settings } })), updated_at: at }
  }
