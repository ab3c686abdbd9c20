import type { GoalSet } from '../domain/dashboards/goal.js'
import { chTime, fromChTime, type ProjectedEvent } from './projected-event.js'

// goals: one row per revenue goal (a rep or a team, a month '2026-11' or a quarter
// '2026-Q4'), folded from its stream. Setting a removed goal again revives it.

export const GOALS_TABLE = 'goals'

export type GoalRow = {
  workspace_id: string
  goal_id: string
  scope: 'user' | 'team'
  scope_id: string
  period: string
  target_cents: number
  removed: boolean
  updated_at: string
  version: number
}

/**
 * The goal row after one more event of its stream.
 *
 * @example foldGoal(null, goalSetEvent) // { scope: 'user', period: '2026-11', target_cents: 5_000_000, removed: false, version: 1, … }
 */
export function foldGoal(row: GoalRow | null, e: ProjectedEvent): GoalRow | null {
  switch (e.type) {
    case 'GoalSet': {
      const d = e.data as GoalSet['data']
      return {
        workspace_id: e.workspace_id,
        goal_id: e.stream_id,
        scope: d.scope,
        scope_id: d.scope_id,
        period: d.period,
        target_cents: d.target_cents,
        removed: false,
        updated_at: chTime(d.at)!,
        version: e.stream_version,
      }
    }
    case 'GoalRemoved': {
      if (!row) throw new Error(`Objectif ${e.stream_id} : GoalRemoved (version ${e.stream_version}) sans création préalable`)
      return { ...row, removed: true, updated_at: chTime((e.data as { at: string }).at)!, version: e.stream_version }
    }
    default:
      return row ? { ...row, version: e.stream_version } : null
  }
}

export function goalFromClickHouse(r: Record<string, unknown>): GoalRow {
  return {
    workspace_id: String(r.workspace_id),
    goal_id: String(r.goal_id),
    scope: r.scope as GoalRow['scope'],
    scope_id: String(r.scope_id),
    period: String(r.period),
    target_cents: Number(r.target_cents),
    removed: Boolean(r.removed),
    updated_at: fromChTime(String(r.updated_at))!.toISOString(),
    version: Number(r.version),
  }
}
