import type { Goal, GoalScope } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'

// A revenue goal: how much a rep or a team should win over a month or a quarter.
// Actuals come from the ClickHouse read models; the targets live here.

export type GoalState = Goal

export type GoalSet = DomainEvent<
  'GoalSet',
  { id: string; workspace_id: string; scope: GoalScope; scope_id: string; period: string; target_cents: number; at: string }
>
export type GoalRemoved = DomainEvent<'GoalRemoved', { id: string; at: string }>
export type GoalEvent = GoalSet | GoalRemoved

export const GOAL_STREAM = 'goal'
export const GOAL_SCOPES: readonly GoalScope[] = ['user', 'team']

export function evolveGoal(state: GoalState | null, event: GoalEvent): GoalState {
  const at = new Date(event.data.at)
  switch (event.type) {
    case 'GoalSet': {
      const { at: _at, ...d } = event.data
      return { ...d, version: state?.version ?? 0, created_at: state?.created_at ?? at, updated_at: at, removed_at: null }
    }
    case 'GoalRemoved':
      return { ...state!, updated_at: at, removed_at: at }
  }
}

/** '2026-11' (a month) or '2026-Q4' (a quarter). */
export const PERIOD_PATTERN = /^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$/

/** The first and last calendar days of a goal period, 'YYYY-MM-DD'; null when malformed. */
export function periodBounds(period: string): { from: string; to: string } | null {
  const m = PERIOD_PATTERN.exec(period)
  if (!m) return null
  const year = Number(m[1])
  const firstMonth = m[2] ? Number(m[2]) : (Number(m[3]) - 1) * 3 + 1
  const lastMonth = m[2] ? firstMonth : firstMonth + 2
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate()
  const mm = (n: number) => String(n).padStart(2, '0')
  return { from: `${year}-${mm(firstMonth)}-01`, to: `${year}-${mm(lastMonth)}-${mm(lastDay)}` }
}
