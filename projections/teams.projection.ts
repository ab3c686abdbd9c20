import type { ProjectedEvent } from './projected-event.js'

// teams: each team's name, for team goals and team filters. Folded from the 'team'
// streams (TeamCreated today; a later event carrying `name` renames it).

export const TEAMS_TABLE = 'teams'

export type TeamRow = { workspace_id: string; team_id: string; name: string; version: number }

/** @example foldTeam(null, teamCreatedEvent) // { team_id, name: 'Équipe Grand Ouest', version: 1, … } */
export function foldTeam(row: TeamRow | null, e: ProjectedEvent): TeamRow | null {
  const d = e.data as { name?: string; changes?: { name?: string } }
  if (e.type === 'TeamCreated') return { workspace_id: e.workspace_id, team_id: e.stream_id, name: d.name ?? '', version: e.stream_version }
  if (!row) return null
  const name = d.changes?.name ?? d.name
  return { ...row, name: typeof name === 'string' ? name : row.name, version: e.stream_version }
}

export function teamFromClickHouse(r: Record<string, unknown>): TeamRow {
  return { workspace_id: String(r.workspace_id), team_id: String(r.team_id), name: String(r.name), version: Number(r.version) }
}
