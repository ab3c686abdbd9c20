import { describe, expect, it } from 'vitest'
import { type ActivityRow, activityTimelineRows, foldActivity } from './activities.projection.js'
import { foldGoal } from './goals.projection.js'
import type { ProjectedEvent } from './projected-event.js'
import { foldTeam } from './teams.projection.js'
import { foldUserTeam } from './users-teams.projection.js'

const WS = '6f1c2a52-0000-4000-8000-000000000003'
const ID = '6f1c2a52-0000-4000-8000-0000000000e1'
const event = (stream_version: number, type: string, data: Record<string, unknown>, stream_id = ID): ProjectedEvent => ({
  position: 500 + stream_version,
  tx_id: '77',
  workspace_id: WS,
  stream_type: 'activity',
  stream_id,
  stream_version,
  type,
  data,
  occurred_at: new Date(),
})
const logged = event(1, 'ActivityLogged', {
  id: ID,
  workspace_id: WS,
  at: '2026-11-26T09:05:00.000Z',
  author_id: null,
  kind: 'call',
  subject: 'Appel de découverte',
  body: 'Budget validé.',
  occurred_at: '2026-11-26T09:00:00.000Z',
  duration_minutes: 15,
  organisation_id: null,
  contact_id: null,
  deal_id: null,
})
const moved = event(2, 'ActivityUpdated', {
  id: ID,
  at: '2026-11-27T08:00:00.000Z',
  changes: { occurred_at: '2026-11-27T07:30:00.000Z', subject: 'Appel décalé' },
})
const removed = event(3, 'ActivityDeleted', { id: ID, at: '2026-11-27T09:00:00.000Z' })

const timeline = (events: ProjectedEvent[]) => {
  let row: ActivityRow | null = null
  return events.flatMap((e) => {
    const before = row
    row = foldActivity(before, e)
    return activityTimelineRows(before, row, e).map((r) => [r.occurred_at, r.subject, r.version, r.is_deleted])
  })
}

describe('activities rows', () => {
  it('follow updates and deletion', () => {
    const row = [logged, moved, removed].reduce<ActivityRow | null>(foldActivity, null)
    expect(row).toMatchObject({ kind: 'call', subject: 'Appel décalé', occurred_at: '2026-11-27T07:30:00.000Z', deleted: true, version: 3 })
  })

  it('leave a tombstone on the timeline where an activity was before it moved or went away', () => {
    expect(timeline([logged, moved, removed])).toEqual([
      ['2026-11-26T09:00:00.000Z', 'Appel de découverte', 1, 0],
      ['2026-11-26T09:00:00.000Z', 'Appel de découverte', 2, 1],
      ['2026-11-27T07:30:00.000Z', 'Appel décalé', 2, 0],
      ['2026-11-27T07:30:00.000Z', 'Appel décalé', 3, 1],
    ])
  })
})

describe('goals, users and teams rows', () => {
  it('follow a goal set, removed and set again', () => {
    const set = event(1, 'GoalSet', {
      id: ID,
      workspace_id: WS,
      scope: 'team',
      scope_id: ID,
      period: '2026-Q4',
      target_cents: 9_000_000,
      at: '2026-09-20T08:00:00.000Z',
    })
    const gone = event(2, 'GoalRemoved', { id: ID, at: '2026-10-01T08:00:00.000Z' })
    const again = event(3, 'GoalSet', { ...set.data, target_cents: 8_000_000, at: '2026-10-02T08:00:00.000Z' })
    expect(foldGoal(foldGoal(null, set), gone)).toMatchObject({ removed: true, version: 2 })
    expect([set, gone, again].reduce(foldGoal, null)).toMatchObject({ removed: false, target_cents: 8_000_000, period: '2026-Q4', version: 3 })
  })

  it("follow a user's team and a team's name", () => {
    const TEAM = '6f1c2a52-0000-4000-8000-0000000000f1'
    const user = foldUserTeam(null, event(1, 'UserCreated', { id: ID, email: 'a@b.fr', full_name: 'Léa Fabre', role: 'commercial', team_id: TEAM }))
    expect(user).toEqual({ workspace_id: WS, user_id: ID, team_id: TEAM, full_name: 'Léa Fabre', role: 'commercial', version: 1 })
    expect(foldUserTeam(user, event(2, 'UserTeamChanged', { id: ID, team_id: null }))).toMatchObject({ team_id: null, full_name: 'Léa Fabre', version: 2 })
    expect(foldUserTeam(user, event(2, 'UserDeactivated', { id: ID }))).toMatchObject({ team_id: TEAM, version: 2 })
    const team = foldTeam(null, event(1, 'TeamCreated', { id: TEAM, name: 'Équipe Sud-Est' }, TEAM))
    expect(foldTeam(team, event(2, 'TeamRenamed', { id: TEAM, name: 'Équipe Méditerranée' }, TEAM))).toMatchObject({ name: 'Équipe Méditerranée', version: 2 })
  })
})
