import type { ProjectedEvent } from './projected-event.js'

// users_teams: who is in which team, with their name and role — the dimension that
// lets a team filter, a team goal and a leaderboard resolve in ClickHouse. Folded from
// the 'user' streams (UserCreated today). Later events that change a user carry either
// the fields themselves or a `changes` object; both are read, other fields ignored.

export const USERS_TEAMS_TABLE = 'users_teams'

export type UserTeamRow = {
  workspace_id: string
  user_id: string
  team_id: string | null
  full_name: string
  role: string
  version: number
}

type UserFields = { team_id?: string | null; full_name?: string; role?: string }

/**
 * The user's row after one more event of its stream.
 *
 * @example foldUserTeam(null, userCreatedEvent) // { user_id, team_id: 'team-uuid', full_name: 'Camille Durand', role: 'commercial', version: 1, … }
 */
export function foldUserTeam(row: UserTeamRow | null, e: ProjectedEvent): UserTeamRow | null {
  const d = e.data as UserFields & { changes?: UserFields }
  if (e.type === 'UserCreated') {
    return {
      workspace_id: e.workspace_id,
      user_id: e.stream_id,
      team_id: d.team_id ?? null,
      full_name: d.full_name ?? '',
      role: d.role ?? '',
      version: e.stream_version,
    }
  }
  if (!row) return null
  const next: UserTeamRow = { ...row, version: e.stream_version }
  const changes: UserFields = d.changes ?? d
  if ('team_id' in changes) next.team_id = changes.team_id ?? null
  if (typeof changes.full_name === 'string') next.full_name = changes.full_name
  if (typeof changes.role === 'string') next.role = changes.role
  return next
}

export function userTeamFromClickHouse(r: Record<string, unknown>): UserTeamRow {
  return {
    workspace_id: String(r.workspace_id),
    user_id: String(r.user_id),
    team_id: r.team_id === null ? null : String(r.team_id),
    full_name: String(r.full_name),
    role: String(r.role),
    version: Number(r.version),
  }
}
