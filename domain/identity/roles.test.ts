import { describe, expect, it } from 'vitest'
import { canAdminister, canImport, canManageWorkflows, canReadRecord, canSetGoals, canWriteRecord, type Actor } from './roles'

const team = 'team-nord'
const actor = (role: Actor['role'], teamId: string | null = team): Actor => ({ id: 'me', workspaceId: 'ws', role, teamId })

describe('who reads a CRM record', () => {
  it("lets a commercial read their own, unassigned and shared records, not another rep's private ones", () => {
    const rep = actor('commercial')
    expect(canReadRecord(rep, { owner_id: 'me' })).toBe(true)
    expect(canReadRecord(rep, { owner_id: null })).toBe(true)
    expect(canReadRecord(rep, { owner_id: 'other', shared: true })).toBe(true)
    expect(canReadRecord(rep, { owner_id: 'other', ownerTeamId: team })).toBe(false)
    expect(canReadRecord(rep, { owner_id: 'other', shared: false })).toBe(false)
  })

  it("lets a manager read their team's records and shared ones", () => {
    const manager = actor('manager')
    expect(canReadRecord(manager, { owner_id: 'rep', ownerTeamId: team })).toBe(true)
    expect(canReadRecord(manager, { owner_id: 'far', ownerTeamId: 'team-sud' })).toBe(false)
    expect(canReadRecord(manager, { owner_id: 'far', ownerTeamId: 'team-sud', shared: true })).toBe(true)
  })

  it('lets finance read everything and write nothing', () => {
    expect(canReadRecord(actor('finance'), { owner_id: 'x' })).toBe(true)
    expect(canWriteRecord(actor('finance'), { owner_id: null, shared: true })).toBe(false)
  })
})

describe('who opens which screen', () => {
  it('lets admins and managers manage workflows and imports, not sales or finance', () => {
    for (const role of ['admin', 'manager'] as const) expect([canManageWorkflows(actor(role)), canImport(actor(role))]).toEqual([true, true])
    for (const role of ['commercial', 'finance'] as const) expect([canManageWorkflows(actor(role)), canImport(actor(role))]).toEqual([false, false])
    expect(canAdminister(actor('admin'))).toBe(true)
    expect(canAdminister(actor('manager'))).toBe(false)
  })

  it('lets a manager set goals only with a team; admins always; others never', () => {
    expect(canSetGoals(actor('manager'))).toBe(true)
    expect(canSetGoals(actor('manager', null))).toBe(false)
    expect(canSetGoals(actor('admin', null))).toBe(true)
    expect(canSetGoals(actor('commercial'))).toBe(false)
    expect(canSetGoals(actor('finance'))).toBe(false)
  })
})
