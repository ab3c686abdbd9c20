// Dashboard layouts and goals (domain/dashboards).
import type { ColumnType } from 'kysely'
import type { Timestamp } from './columns.js'

// A user's dashboard: the ordered widgets ({ id, kind, size, settings }), written as a
// jsonb array (cast from text: postgres.js would send a JS array as a Postgres array).
export interface DashboardLayoutTable {
  id: string
  workspace_id: string
  user_id: string
  widgets: ColumnType<unknown, unknown, unknown>
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}

export type GoalScope = 'user' | 'team'

// A revenue goal for one rep or one team over a month ('2026-11') or a quarter ('2026-Q4').
export interface GoalTable {
  id: string
  workspace_id: string
  scope: GoalScope
  scope_id: string
  period: string
  target_cents: number
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  removed_at: Timestamp | null
}
