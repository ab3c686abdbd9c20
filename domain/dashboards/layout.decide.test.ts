import { describe, expect, it } from 'vitest'
import { DomainError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { evolveLayout, type LayoutEvent, type LayoutState } from './layout.js'
import { applyLayoutChange, changeLayout, resetLayout } from './layout.decide.js'
import { parseWidgets, ROLE_TEMPLATES, templateFor, WIDGET_KINDS, type Widget } from './widgets.js'

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: new Date('2026-11-27T09:00:00Z') }
const kinds = (ws: Widget[]) => ws.map((w) => w.kind)
const given = (events: LayoutEvent[]) => events.reduce<LayoutState | null>((s, e) => evolveLayout({ id: 'l-1', workspace_id: 'ws-1' })(s, e), null)

describe('dashboard layout decisions', () => {
  const start = templateFor('commercial')

  it('adds a widget at the end with its default size', () => {
    const next = applyLayoutChange(start, { op: 'add', widgetId: 'w-new', kind: 'top-performers' })
    expect(next.at(-1)).toEqual({ id: 'w-new', kind: 'top-performers', size: 'md', settings: {} })
    expect(next).toHaveLength(start.length + 1)
  })

  it('refuses a widget that is already there, beside the kind field', () => {
    expect(() => applyLayoutChange(start, { op: 'add', widgetId: 'x', kind: 'kpis' })).toThrow(ValidationError)
  })

  it('refuses an unknown kind or size', () => {
    expect(() => applyLayoutChange(start, { op: 'add', widgetId: 'x', kind: 'météo' as never })).toThrow('dashboard.widget.kind.unknown')
    expect(() => applyLayoutChange(start, { op: 'resize', widgetId: 'kpis', size: 'xl' as never })).toThrow('dashboard.widget.size.unknown')
  })

  it('removes, moves up and down, and resizes', () => {
    expect(kinds(applyLayoutChange(start, { op: 'remove', widgetId: 'goals' }))).not.toContain('goals')
    expect(kinds(applyLayoutChange(start, { op: 'move', widgetId: 'goals', direction: 'up' })).slice(0, 2)).toEqual(['goals', 'kpis'])
    expect(kinds(applyLayoutChange(start, { op: 'move', widgetId: 'kpis', direction: 'down' })).slice(0, 2)).toEqual(['goals', 'kpis'])
    expect(applyLayoutChange(start, { op: 'resize', widgetId: 'goals', size: 'full' }).find((w) => w.id === 'goals')?.size).toBe('full')
  })

  it('does nothing when moving the first widget up (no event)', () => {
    expect(changeLayout(start, 'u-1', { op: 'move', widgetId: 'kpis', direction: 'up' }, ctx)).toEqual([])
  })

  it('reorders by a full permutation (a drag-and-drop drop) and refuses any other list', () => {
    const order = [...start].reverse().map((w) => w.id)
    expect(applyLayoutChange(start, { op: 'reorder', order }).map((w) => w.id)).toEqual(order)
    expect(() => applyLayoutChange(start, { op: 'reorder', order: order.slice(1) })).toThrow(DomainError)
    expect(() => applyLayoutChange(start, { op: 'reorder', order: [...order.slice(1), order[1]] })).toThrow(DomainError)
  })

  it('says a removed widget is gone rather than guessing', () => {
    expect(() => applyLayoutChange(start, { op: 'remove', widgetId: 'nope' })).toThrow('dashboard.widget.gone')
  })

  it('records a change as DashboardLayoutChanged with the user and the whole new list', () => {
    const events = changeLayout(start, 'u-1', { op: 'resize', widgetId: 'kpis', size: 'lg' }, ctx)
    expect(events).toEqual([{ type: 'DashboardLayoutChanged', data: { user_id: 'u-1', widgets: expect.any(Array), at: '2026-11-27T09:00:00.000Z' } }])
    const s = given(events)
    expect(s).toMatchObject({ id: 'l-1', workspace_id: 'ws-1', user_id: 'u-1' })
    expect(s!.widgets[0]).toMatchObject({ kind: 'kpis', size: 'lg' })
  })

  it('resets to the role template, and does nothing for a user still on it', () => {
    expect(resetLayout(false, 'u-1', 'manager', ctx)).toEqual([])
    const [e] = resetLayout(true, 'u-1', 'manager', ctx)
    expect(e).toEqual({
      type: 'DashboardLayoutReset',
      data: { user_id: 'u-1', role: 'manager', widgets: ROLE_TEMPLATES.manager, at: '2026-11-27T09:00:00.000Z' },
    })
  })

  it('gives every role a template of known, distinct widgets starting with the KPIs', () => {
    for (const t of Object.values(ROLE_TEMPLATES)) {
      expect(t[0].kind).toBe('kpis')
      expect(new Set(kinds(t)).size).toBe(t.length)
      expect(kinds(t).every((k) => (WIDGET_KINDS as readonly string[]).includes(k))).toBe(true)
    }
  })

  it('reads stored widgets defensively: unknown kinds and duplicates dropped, bad sizes defaulted', () => {
    expect(parseWidgets([{ id: 'a', kind: 'kpis', size: 'huge' }, { id: 'b', kind: 'kpis', size: 'sm' }, { id: 'c', kind: 'meteo' }, null])).toEqual([
      { id: 'a', kind: 'kpis', size: 'full', settings: {} },
    ])
    expect(parseWidgets('nope')).toEqual([])
  })
})
