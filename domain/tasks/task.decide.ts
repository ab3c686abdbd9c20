import type { TaskStatus } from '../../db/schema.js'
import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { parisDay } from '../shared/paris-time.js'
import { instantProblem } from '../shared/plausible.js'
import { collectText } from '../shared/user-text.js'
import { recurrenceErrors, parseRRule } from './recurrence.js'
import { TASK_PRIORITIES, TASK_STATUSES, type TaskEvent, type TaskFields, type TaskState } from './task.js'

export function validateTaskFields(input: TaskFields): TaskFields {
  const errors: FieldProblems = {}
  const title = collectText(errors, 'title', input.title ?? '', 'title', (max) => ({ code: 'title.too_long', params: { max } })) ?? ''
  if (!title) errors.title ??= 'title.required'
  const description = collectText(errors, 'description', input.description ?? null, 'description', (max) => ({ code: 'description.too_long', params: { max } }))
  if (!TASK_PRIORITIES.includes(input.priority)) errors.priority = 'task.priority.unknown'
  let dueAt: string | null = null
  if (input.due_at) {
    const problem = instantProblem(input.due_at, 'task.due_date.invalid')
    if (problem) errors.due_date = problem
    else dueAt = new Date(input.due_at).toISOString()
  }
  if (input.all_day && !input.due_at) errors.due_date = 'task.all_day.needs_date'
  let rrule: string | null = null
  if (input.rrule) {
    if (!dueAt) errors.recurrence = 'task.recurrence.needs_due_date'
    const r = parseRRule(input.rrule)
    if (!r) errors.recurrence = 'task.recurrence.invalid'
    else Object.assign(errors, recurrenceErrors(r, dueAt ? parisDay(new Date(dueAt)) : null))
    rrule = input.rrule.replace(/^RRULE:/i, '').toUpperCase()
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return { ...input, title, description, due_at: dueAt, all_day: !!input.all_day && !!dueAt, rrule }
}

export function createTask(
  state: TaskState | null,
  cmd: { id: string; fields: TaskFields; seriesId?: string; occurrenceIndex?: number; createdBy?: string | null },
  ctx: CommandContext,
): TaskEvent[] {
  if (state) throw new DomainError('task.exists')
  const fields = validateTaskFields(cmd.fields)
  return [
    {
      type: 'TaskCreated',
      data: {
        id: cmd.id,
        workspace_id: ctx.workspaceId,
        at: ctx.now.toISOString(),
        created_by: cmd.createdBy !== undefined ? cmd.createdBy : ctx.actorId,
        series_id: cmd.seriesId ?? cmd.id,
        occurrence_index: cmd.occurrenceIndex ?? 0,
        ...fields,
      },
    },
  ]
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)

export function updateTask(state: TaskState | null, cmd: { fields: TaskFields }, ctx: CommandContext): TaskEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('task.not_found')
  const fields = validateTaskFields(cmd.fields)
  const at = ctx.now.toISOString()
  const events: TaskEvent[] = []
  const changes: Record<string, unknown> = {}
  for (const k of Object.keys(fields) as (keyof TaskFields)[]) {
    if (k === 'assignee_id' || fields[k] === undefined) continue
    const before = k === 'due_at' ? iso(state.due_at) : state[k]
    if (fields[k] !== before) changes[k] = fields[k]
  }
  if (Object.keys(changes).length) events.push({ type: 'TaskUpdated', data: { id: state.id, at, changes } })
  if (fields.assignee_id !== undefined && fields.assignee_id !== state.assignee_id) {
    events.push({ type: 'TaskAssigned', data: { id: state.id, at, from: state.assignee_id, to: fields.assignee_id } })
  }
  return events
}

/**
 * Moves a task to a status, with the events that say how: completing, cancelling,
 * reopening or starting. The same decision serves the buttons of the task page and
 * the Kanban board. Moving to the status it has changes nothing.
 */
export function moveTask(state: TaskState | null, cmd: { to: TaskStatus }, ctx: CommandContext): TaskEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('task.not_found')
  if (!TASK_STATUSES.includes(cmd.to)) throw new ValidationError({ status: 'status.unknown' })
  const from = state.status
  const to = cmd.to
  if (from === to) return []
  const base = { id: state.id, at: ctx.now.toISOString() }
  const closed = from === 'terminee' || from === 'annulee'
  switch (to) {
    case 'terminee':
      // A cancelled task is reopened first, so its history reads as what happened.
      return [
        ...(from === 'annulee' ? [{ type: 'TaskReopened' as const, data: { ...base, from, to: 'a_faire' as const } }] : []),
        { type: 'TaskCompleted', data: { ...base, completed_by: ctx.actorId } },
      ]
    case 'annulee':
      return [{ type: 'TaskCancelled', data: base }]
    default:
      return closed ? [{ type: 'TaskReopened', data: { ...base, from, to } }] : [{ type: 'TaskStatusChanged', data: { ...base, from, to } }]
  }
}

export const completeTask = (state: TaskState | null, ctx: CommandContext) => moveTask(state, { to: 'terminee' }, ctx)
export const cancelTask = (state: TaskState | null, ctx: CommandContext) => moveTask(state, { to: 'annulee' }, ctx)
export const reopenTask = (state: TaskState | null, ctx: CommandContext) => moveTask(state, { to: 'a_faire' }, ctx)

export function deleteTask(state: TaskState | null, ctx: CommandContext): TaskEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('task.not_found')
  return [{ type: 'TaskDeleted', data: { id: state.id, at: ctx.now.toISOString() } }]
}

/** True when these events close an occurrence (completed or cancelled): a recurring task then gets its next one. */
export const closesOccurrence = (events: TaskEvent[]) => events.some((e) => e.type === 'TaskCompleted' || e.type === 'TaskCancelled')
