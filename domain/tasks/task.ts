import type { Task, TaskPriority, TaskStatus } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'

export type TaskState = Task

export const TASK_STREAM = 'task'

export const TASK_PRIORITIES: TaskPriority[] = ['urgente', 'haute', 'normale', 'basse']
export const TASK_STATUSES: TaskStatus[] = ['a_faire', 'en_cours', 'terminee', 'annulee']
export const OPEN_STATUSES: TaskStatus[] = ['a_faire', 'en_cours']
export const PRIORITY_LABELS: Record<TaskPriority, string> = { urgente: 'Urgente', haute: 'Haute', normale: 'Normale', basse: 'Basse' }
export const STATUS_LABELS: Record<TaskStatus, string> = { a_faire: 'À faire', en_cours: 'En cours', terminee: 'Terminée', annulee: 'Annulée' }

export const isOpen = (s: { status: TaskStatus }) => s.status === 'a_faire' || s.status === 'en_cours'

/** What a person sets on a task (the form's fields). `due_at` is an ISO instant. */
export type TaskFields = {
  title: string
  description: string | null
  due_at: string | null
  all_day: boolean
  assignee_id: string | null
  priority: TaskPriority
  organisation_id: string | null
  contact_id: string | null
  deal_id: string | null
  /** RRULE value (recurrence.ts), null for a one-off task. */
  rrule: string | null
}

export type TaskCreated = DomainEvent<
  'TaskCreated',
  {
    id: string
    workspace_id: string
    at: string
    created_by: string | null
    series_id: string
    occurrence_index: number
  } & TaskFields
>
/** Any field but the assignee (TaskAssigned), so "who must do it" changes stand on their own. */
export type TaskUpdated = DomainEvent<'TaskUpdated', { id: string; at: string; changes: Partial<Omit<TaskFields, 'assignee_id'>> }>
export type TaskAssigned = DomainEvent<'TaskAssigned', { id: string; at: string; from: string | null; to: string | null }>
/** À faire ⇄ En cours. */
export type TaskStatusChanged = DomainEvent<'TaskStatusChanged', { id: string; at: string; from: TaskStatus; to: TaskStatus }>
export type TaskCompleted = DomainEvent<'TaskCompleted', { id: string; at: string; completed_by: string | null }>
export type TaskCancelled = DomainEvent<'TaskCancelled', { id: string; at: string }>
export type TaskReopened = DomainEvent<'TaskReopened', { id: string; at: string; from: TaskStatus; to: TaskStatus }>
export type TaskDeleted = DomainEvent<'TaskDeleted', { id: string; at: string }>
export type TaskEvent = TaskCreated | TaskUpdated | TaskAssigned | TaskStatusChanged | TaskCompleted | TaskCancelled | TaskReopened | TaskDeleted

const dateOrNull = (s: string | null | undefined) => (s ? new Date(s) : null)

export function evolveTask(state: TaskState | null, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'TaskCreated': {
      const { at, due_at, ...d } = event.data
      const when = new Date(at)
      return { ...d, due_at: dateOrNull(due_at), status: 'a_faire', version: 0, created_at: when, updated_at: when, completed_at: null, deleted_at: null }
    }
    case 'TaskUpdated': {
      const { due_at, ...changes } = event.data.changes
      return { ...state!, ...changes, ...(due_at !== undefined ? { due_at: dateOrNull(due_at) } : {}), updated_at: new Date(event.data.at) }
    }
    case 'TaskAssigned':
      return { ...state!, assignee_id: event.data.to, updated_at: new Date(event.data.at) }
    case 'TaskStatusChanged':
      return { ...state!, status: event.data.to, updated_at: new Date(event.data.at) }
    case 'TaskCompleted':
      return { ...state!, status: 'terminee', completed_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
    case 'TaskCancelled':
      return { ...state!, status: 'annulee', completed_at: null, updated_at: new Date(event.data.at) }
    case 'TaskReopened':
      return { ...state!, status: event.data.to, completed_at: null, updated_at: new Date(event.data.at) }
    case 'TaskDeleted':
      return { ...state!, deleted_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
  }
}
