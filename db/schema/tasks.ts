// Tasks, their reminders and calendar feed tokens (domain/tasks).
import type { Generated } from 'kysely'
import type { Timestamp } from './columns.js'

export type TaskPriority = 'urgente' | 'haute' | 'normale' | 'basse'
export type TaskStatus = 'a_faire' | 'en_cours' | 'terminee' | 'annulee'

// A task, or one occurrence of a recurring series (domain/tasks).
export interface TaskTable {
  id: string
  workspace_id: string
  title: string
  description: string | null
  due_at: Timestamp | null
  all_day: boolean
  assignee_id: string | null
  priority: TaskPriority
  status: TaskStatus
  organisation_id: string | null
  contact_id: string | null
  deal_id: string | null
  rrule: string | null
  series_id: string
  occurrence_index: number
  created_by: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
  completed_at: Timestamp | null
  deleted_at: Timestamp | null
}

export type TaskReminderKind = 'j1' | 'j0' | 'overdue_j1'

export interface TaskReminderSentTable {
  task_id: string
  workspace_id: string
  kind: TaskReminderKind
  sent_at: Generated<Date>
}

export interface CalendarTokenTable {
  user_id: string
  workspace_id: string
  token_hash: string
  created_at: Generated<Date>
}
