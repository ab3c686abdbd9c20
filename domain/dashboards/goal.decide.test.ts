import { describe, expect, it } from 'vitest'
import type { Actor } from '../identity/roles.js'
import { NotFoundError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { evolveGoal, periodBounds, type GoalEvent, type GoalState } from './goal.js'
import { canSetGoal, removeGoal, setGoal } from './goal.decide.js'

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-m', now: new Date('2026-11-27T09:00:00Z') }
const given = (events: GoalEvent[]) => events.reduce<GoalState | null>((s, e) => evolveGoal(s, e), null)
const cmd = { id: 'g-1', scope: 'user' as const, scopeId: 'u-rep', period: '2026-11', targetCents: 5_000_000 }

describe('goal decisions', () => {
  it('sets a monthly goal for a rep', () => {
    expect(setGoal(null, cmd, ctx)).toEqual([
      {
        type: 'GoalSet',
        data: { id: 'g-1', workspace_id: 'ws-1', scope: 'user', scope_id: 'u-rep', period: '2026-11', target_cents: 5_000_000, at: '2026-11-27T09:00:00.000Z' },
      },
    ])
  })

  it('changes it under the same id, and does nothing when the target is unchanged', () => {
    const s = given(setGoal(null, cmd, ctx))!
    expect(setGoal(s, { ...cmd, id: 'other' }, ctx)).toEqual([])
    const [e] = setGoal(s, { ...cmd, id: 'other', targetCents: 6_000_000 }, ctx)
    expect(e.data).toMatchObject({ id: 'g-1', target_cents: 6_000_000 })
  })

  it('removes it, and sets it again after removal', () => {
    const s = given([...setGoal(null, cmd, ctx), ...removeGoal(given(setGoal(null, cmd, ctx)), ctx)])!
    expect(s.removed_at).toBeInstanceOf(Date)
    expect(() => removeGoal(s, ctx)).toThrow(NotFoundError)
    expect(setGoal(s, cmd, ctx)).toHaveLength(1)
  })

  it('refuses a malformed period or a non-positive target, beside their fields', () => {
    try {
      setGoal(null, { ...cmd, period: '2026-13', targetCents: 0 }, ctx)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError)
      expect(Object.keys((e as ValidationError).fieldErrors).sort()).toEqual(['period', 'target'])
    }
  })

  it('knows the days of a month and of a quarter', () => {
    expect(periodBounds('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(periodBounds('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(periodBounds('2026-Q4')).toEqual({ from: '2026-10-01', to: '2026-12-31' })
    expect(periodBounds('2026-Q5')).toBeNull()
  })

  it('lets admins set any goal, managers their team and its members, nobody else', () => {
    const admin: Actor = { id: 'a', workspaceId: 'ws-1', role: 'admin', teamId: null }
    const manager: Actor = { id: 'm', workspaceId: 'ws-1', role: 'manager', teamId: 't-1' }
    const rep: Actor = { id: 'r', workspaceId: 'ws-1', role: 'commercial', teamId: 't-1' }
    expect(canSetGoal(admin, { scope: 'team', scopeId: 't-2' })).toBe(true)
    expect(canSetGoal(manager, { scope: 'team', scopeId: 't-1' })).toBe(true)
    expect(canSetGoal(manager, { scope: 'team', scopeId: 't-2' })).toBe(false)
    expect(canSetGoal(manager, { scope: 'user', scopeId: 'r', teamIdOfUser: 't-1' })).toBe(true)
    expect(canSetGoal(manager, { scope: 'user', scopeId: 'x', teamIdOfUser: 't-2' })).toBe(false)
    expect(canSetGoal(rep, { scope: 'user', scopeId: 'r', teamIdOfUser: 't-1' })).toBe(false)
  })
})

describe('a goal period', () => {
  it('falls between 1900 and 2100', () => {
    expect(() => setGoal(null, { ...cmd, period: '2999-Q1' }, ctx)).toThrow(ValidationError)
    try {
      setGoal(null, { ...cmd, period: '1800-01' }, ctx)
    } catch (e) {
      expect((e as ValidationError).fieldErrors).toEqual({ period: { code: 'date.out_of_range', params: { min: '1900', max: '2100' } } })
    }
    expect(setGoal(null, { ...cmd, period: '2100-Q4' }, ctx)).toHaveLength(1)
  })
})
