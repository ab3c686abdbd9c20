import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { readStream } from '../shared/run-command.js'
import { ConcurrencyError, ForbiddenError, ValidationError } from '../shared/errors.js'
import { changeLayoutCommand, removeGoalCommand, resetLayoutCommand, setGoalCommand } from './dashboards.commands.js'
import { layoutIdFor, loadUserLayout } from './dashboards.repository.js'
import { templateFor } from './widgets.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

const kinds = (l: { widgets: { kind: string }[] }) => l.widgets.map((w) => w.kind)

describe('dashboard layout commands', () => {
  it('starts from the role template, saves a change as the user own row and stream', async () => {
    const w = await givenWorkspace(rt.db)
    const ctx = w.ctx(w.users.manager)
    expect(await loadUserLayout(rt.db, w.workspaceId, w.users.manager, 'manager')).toEqual({ widgets: templateFor('manager'), version: 0, fromTemplate: true })

    await changeLayoutCommand(rt.db, ctx, { role: 'manager', expectedVersion: 0, change: { op: 'remove', widgetId: 'recent-activity' } })
    await changeLayoutCommand(rt.db, ctx, { role: 'manager', expectedVersion: 1, change: { op: 'move', widgetId: 'goals', direction: 'up' } })
    await changeLayoutCommand(rt.db, ctx, { role: 'manager', expectedVersion: 2, change: { op: 'resize', widgetId: 'goals', size: 'md' } })
    await changeLayoutCommand(rt.db, ctx, {
      role: 'manager',
      expectedVersion: 3,
      change: { op: 'add', widgetId: randomUUID(), kind: 'recent-activity', size: 'full' },
    })

    const layout = await loadUserLayout(rt.db, w.workspaceId, w.users.manager, 'manager')
    expect(layout.version).toBe(4)
    expect(kinds(layout)).toEqual(['kpis', 'goals', 'revenue-trend', 'funnel', 'top-performers', 'pipeline-by-stage', 'recent-activity'])
    expect(layout.widgets.find((x) => x.kind === 'goals')?.size).toBe('md')
    const events = await readStream(rt.db, w.workspaceId, layoutIdFor(w.workspaceId, w.users.manager))
    expect(events.map((e) => [e.stream_type, e.type])).toEqual(Array(4).fill(['dashboard', 'DashboardLayoutChanged']))
    expect(events[0].data).toMatchObject({ user_id: w.users.manager })
  })

  it('never changes another user layout, nor another workspace', async () => {
    const w = await givenWorkspace(rt.db)
    const other = await givenWorkspace(rt.db, 'Autre Atelier')
    await changeLayoutCommand(rt.db, w.ctx(w.users.manager), { role: 'manager', expectedVersion: 0, change: { op: 'remove', widgetId: 'kpis' } })
    expect(await loadUserLayout(rt.db, w.workspaceId, w.users.admin, 'manager')).toMatchObject({ fromTemplate: true })
    expect(await loadUserLayout(rt.db, other.workspaceId, w.users.manager, 'manager')).toMatchObject({ fromTemplate: true })
    expect(await loadUserLayout(rt.db, other.workspaceId, other.users.manager, 'manager')).toMatchObject({ fromTemplate: true })
  })

  it('refuses a stale version instead of overwriting, and replays a command id once', async () => {
    const w = await givenWorkspace(rt.db)
    const commandId = randomUUID()
    const ctx = w.ctx(w.users.commercial, { commandId })
    await changeLayoutCommand(rt.db, ctx, { role: 'commercial', expectedVersion: 0, change: { op: 'remove', widgetId: 'funnel' } })
    const again = await changeLayoutCommand(rt.db, ctx, { role: 'commercial', expectedVersion: 0, change: { op: 'remove', widgetId: 'funnel' } })
    expect(again.duplicate).toBe(true)
    await expect(
      changeLayoutCommand(rt.db, w.ctx(w.users.commercial), { role: 'commercial', expectedVersion: 0, change: { op: 'remove', widgetId: 'goals' } }),
    ).rejects.toBeInstanceOf(ConcurrencyError)
  })

  it('makes one layout when two first saves race', async () => {
    const w = await givenWorkspace(rt.db)
    const results = await Promise.allSettled(
      [0, 1].map(() =>
        changeLayoutCommand(rt.db, w.ctx(w.users.commercial), { role: 'commercial', expectedVersion: 0, change: { op: 'remove', widgetId: 'funnel' } }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError)
    expect(await rt.db.selectFrom('dashboard_layouts').select('id').where('user_id', '=', w.users.commercial).execute()).toHaveLength(1)
  })

  it('resets to the role template with a DashboardLayoutReset event', async () => {
    const w = await givenWorkspace(rt.db)
    const ctx = w.ctx(w.users.finance)
    await changeLayoutCommand(rt.db, ctx, { role: 'finance', expectedVersion: 0, change: { op: 'remove', widgetId: 'kpis' } })
    await resetLayoutCommand(rt.db, ctx, { role: 'finance', expectedVersion: 1 })
    const layout = await loadUserLayout(rt.db, w.workspaceId, w.users.finance, 'finance')
    expect(layout).toEqual({ widgets: templateFor('finance'), version: 2, fromTemplate: false })
    const events = await readStream(rt.db, w.workspaceId, layoutIdFor(w.workspaceId, w.users.finance))
    expect(events.at(-1)).toMatchObject({ type: 'DashboardLayoutReset', data: { user_id: w.users.finance, role: 'finance' } })
  })
})

describe('goal commands', () => {
  it('lets a manager set a monthly goal for a rep of the team, then change it under the same id', async () => {
    const w = await givenWorkspace(rt.db)
    const manager = { id: w.users.manager, workspaceId: w.workspaceId, role: 'manager' as const, teamId: w.teamId }
    const r = await setGoalCommand(rt.db, w.ctx(w.users.manager), manager, {
      scope: 'user',
      scopeId: w.users.commercial,
      period: '2026-11',
      targetCents: 5_000_000,
    })
    const again = await setGoalCommand(rt.db, w.ctx(w.users.manager), manager, {
      scope: 'user',
      scopeId: w.users.commercial,
      period: '2026-11',
      targetCents: 6_000_000,
    })
    expect(again.state!.id).toBe(r.state!.id)
    const rows = await rt.db.selectFrom('goals').selectAll().where('workspace_id', '=', w.workspaceId).execute()
    expect(rows).toEqual([
      expect.objectContaining({ scope: 'user', scope_id: w.users.commercial, period: '2026-11', target_cents: 6_000_000, version: 2, removed_at: null }),
    ])
    const events = await readStream(rt.db, w.workspaceId, r.state!.id)
    expect(events.map((e) => [e.stream_type, e.type])).toEqual([
      ['goal', 'GoalSet'],
      ['goal', 'GoalSet'],
    ])
    expect(events[0].data).toEqual({
      id: r.state!.id,
      workspace_id: w.workspaceId,
      scope: 'user',
      scope_id: w.users.commercial,
      period: '2026-11',
      target_cents: 5_000_000,
      at: expect.any(String),
    })
  })

  it('sets a quarterly team goal, removes it with GoalRemoved', async () => {
    const w = await givenWorkspace(rt.db)
    const admin = { id: w.users.admin, workspaceId: w.workspaceId, role: 'admin' as const, teamId: null }
    const r = await setGoalCommand(rt.db, w.ctx(), admin, { scope: 'team', scopeId: w.teamId, period: '2026-Q4', targetCents: 30_000_000 })
    await removeGoalCommand(rt.db, w.ctx(), admin, { id: r.state!.id })
    const events = await readStream(rt.db, w.workspaceId, r.state!.id)
    expect(events.at(-1)).toMatchObject({ type: 'GoalRemoved', data: { id: r.state!.id } })
  })

  it('refuses a commercial, a rep of another workspace, and a manager outside the team', async () => {
    const w = await givenWorkspace(rt.db)
    const other = await givenWorkspace(rt.db)
    const rep = { id: w.users.commercial, workspaceId: w.workspaceId, role: 'commercial' as const, teamId: w.teamId }
    const manager = { id: w.users.manager, workspaceId: w.workspaceId, role: 'manager' as const, teamId: w.teamId }
    await expect(setGoalCommand(rt.db, w.ctx(rep.id), rep, { scope: 'user', scopeId: rep.id, period: '2026-11', targetCents: 100 })).rejects.toBeInstanceOf(
      ForbiddenError,
    )
    await expect(
      setGoalCommand(rt.db, w.ctx(manager.id), manager, { scope: 'user', scopeId: other.users.commercial, period: '2026-11', targetCents: 100 }),
    ).rejects.toBeInstanceOf(ValidationError)
    // The admin has no team: a manager may not set the admin's goal.
    await expect(
      setGoalCommand(rt.db, w.ctx(manager.id), manager, { scope: 'user', scopeId: w.users.admin, period: '2026-11', targetCents: 100 }),
    ).rejects.toBeInstanceOf(ForbiddenError)
    expect(await rt.db.selectFrom('goals').select('id').where('workspace_id', 'in', [w.workspaceId, other.workspaceId]).execute()).toEqual([])
  })
})
