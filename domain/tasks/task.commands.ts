import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import { runCommand, type CommandResult } from '../shared/run-command.js'
import type { Task, TaskStatus } from '../../db/schema.js'
import { enqueueEmail, InvalidEmailError, type MailQueue } from '../mail/enqueue-email.js'
import { notify } from '../notifications/notify.js'
import { preferencesFor } from '../notifications/preferences.js'
import { NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { formatDue } from './task-format.js'
import { nextOccurrence } from './recurrence.next.js'
import { taskRepository } from './task.repository.js'
import { evolveTask, type TaskEvent, type TaskFields } from './task.js'
import { closesOccurrence, createTask, deleteTask, moveTask, updateTask } from './task.decide.js'

// The command handlers routes and jobs call. Each one runs in one transaction: the task's
// row and events, plus what follows from them — the next occurrence of a recurring task,
// the notification of a new assignee.

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))

/** Links and assignee must belong to the workspace (routes check the user may see them). */
async function assertReferences(db: Db, workspaceId: string, f: TaskFields) {
  const errors: FieldProblems = {}
  const exists = async (table: 'organisations' | 'contacts' | 'deals', id: string) =>
    !!(await db.selectFrom(table).select('id').where('workspace_id', '=', workspaceId).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst())
  if (f.organisation_id && !(await exists('organisations', f.organisation_id))) errors.organisation_id = 'organisation.not_found'
  if (f.contact_id && !(await exists('contacts', f.contact_id))) errors.contact_id = 'contact.not_found'
  if (f.deal_id && !(await exists('deals', f.deal_id))) errors.deal_id = 'deal.not_found'
  if (f.assignee_id) {
    const u = await db
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', f.assignee_id)
      .where('active', '=', true)
      .executeTakeFirst()
    if (!u) errors.assignee_id = 'assignee.not_found'
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
}

/** What commands may use beyond the database: the queue that sends e-mails (null: stored, not sent). */
export type TaskCommandDeps = { mail?: MailQueue | null }

/**
 * Tells the new assignee (never the person who assigned it to themselves): in the app,
 * and by e-mail if they asked for it (preferences, kind task_assigned).
 */
async function notifyAssignee(trx: Db, ctx: CommandContext, task: Task, version: number, deps: TaskCommandDeps) {
  if (!task.assignee_id || task.assignee_id === ctx.actorId) return
  const [actor, assignee] = await Promise.all([
    ctx.actorId ? trx.selectFrom('users').select('full_name').where('id', '=', ctx.actorId).executeTakeFirst() : undefined,
    trx.selectFrom('users').select(['full_name', 'email']).where('id', '=', task.assignee_id).where('workspace_id', '=', task.workspace_id).executeTakeFirst(),
  ])
  if (!assignee) return
  const due = task.due_at ? formatDue(task.due_at, task.all_day) : null
  const key = `task_assigned:${task.id}:${version}`
  const link = `/tasks/${task.id}`
  await notify(trx, {
    workspaceId: task.workspace_id,
    userId: task.assignee_id,
    kind: 'task_assigned',
    title: `Nouvelle tâche : ${task.title}`,
    body: [actor ? `${actor.full_name} vous a confié cette tâche.` : 'Cette tâche vous a été confiée.', due ? `Échéance : ${due}.` : null]
      .filter(Boolean)
      .join(' '),
    link,
    dedupKey: key,
    now: ctx.now,
  })
  if (!(await preferencesFor(trx, task.assignee_id)).task_assigned.email) return
  try {
    await enqueueEmail(trx, deps.mail ?? null, {
      workspaceId: task.workspace_id,
      to: assignee.email,
      template: 'task_assigned',
      props: { recipientName: assignee.full_name, assignedBy: actor?.full_name ?? 'Alforis CRM', taskTitle: task.title, dueLabel: due, link },
      idempotencyKey: `${key}:${task.assignee_id}`,
    })
  } catch (e) {
    // An unusable address must not block the assignment: the in-app notice is there.
    if (!(e instanceof InvalidEmailError)) throw e
  }
}

export async function createTaskCommand(db: Db, ctx: CommandContext, cmd: { id: string; fields: TaskFields }, deps: TaskCommandDeps = {}) {
  await assertReferences(db, ctx.workspaceId, cmd.fields)
  return inTransaction(db, async (trx) => {
    const r = await runCommand(trx, ctx, {
      type: 'CreateTask',
      repository: taskRepository,
      streamId: cmd.id,
      decide: (s) => createTask(s, cmd, ctx),
      evolve: evolveTask,
    })
    if (!r.duplicate && r.state) await notifyAssignee(trx, ctx, r.state, r.state.version, deps)
    return r
  })
}

export async function updateTaskCommand(
  db: Db,
  ctx: CommandContext,
  cmd: { id: string; expectedVersion: number; fields: TaskFields },
  deps: TaskCommandDeps = {},
) {
  await assertReferences(db, ctx.workspaceId, cmd.fields)
  return inTransaction(db, async (trx) => {
    const r = await runCommand(trx, ctx, {
      type: 'UpdateTask',
      repository: taskRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => updateTask(s, cmd, ctx),
      evolve: evolveTask,
    })
    if (!r.state) throw new NotFoundError('task.not_found')
    const events = r.events as TaskEvent[]
    if (events.some((e) => e.type === 'TaskAssigned')) await notifyAssignee(trx, ctx, r.state, r.state.version, deps)
    // A new due date gets its own reminders: the claims of the old one are released.
    if (events.some((e) => e.type === 'TaskUpdated' && ('due_at' in e.data.changes || 'all_day' in e.data.changes))) {
      await trx.deleteFrom('task_reminders_sent').where('task_id', '=', r.state.id).where('workspace_id', '=', ctx.workspaceId).execute()
    }
    return r
  })
}

export type MoveTaskResult = CommandResult<Task> & { next: Task | null }

/**
 * Moves a task to a status (complete, cancel, reopen, start). Closing an occurrence of a
 * recurring task creates the next occurrence in the same transaction.
 */
export async function moveTaskCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number; to: TaskStatus }): Promise<MoveTaskResult> {
  return inTransaction(db, async (trx) => {
    const r = await runCommand(trx, ctx, {
      type: 'MoveTask',
      repository: taskRepository,
      streamId: cmd.id,
      expectedVersion: cmd.expectedVersion,
      decide: (s) => moveTask(s, cmd, ctx),
      evolve: evolveTask,
    })
    if (!r.state) throw new NotFoundError('task.not_found')
    const next = closesOccurrence(r.events as TaskEvent[]) ? await createNextOccurrence(trx, ctx, r.state) : null
    return { ...r, next }
  })
}

export const completeTaskCommand = (db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) =>
  moveTaskCommand(db, ctx, { ...cmd, to: 'terminee' })
export const cancelTaskCommand = (db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) =>
  moveTaskCommand(db, ctx, { ...cmd, to: 'annulee' })
export const reopenTaskCommand = (db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) =>
  moveTaskCommand(db, ctx, { ...cmd, to: 'a_faire' })

export function deleteTaskCommand(db: Db, ctx: CommandContext, cmd: { id: string; expectedVersion?: number }) {
  return runCommand(db, ctx, {
    type: 'DeleteTask',
    repository: taskRepository,
    streamId: cmd.id,
    expectedVersion: cmd.expectedVersion,
    decide: (s) => deleteTask(s, ctx),
    evolve: evolveTask,
  })
}

/**
 * The occurrence after `closed`, created with the same title, people, links and rule.
 * Nothing when the task does not recur, the series is over, or a later occurrence
 * already exists (the occurrence was closed, reopened and closed again).
 */
async function createNextOccurrence(trx: Db, ctx: CommandContext, closed: Task): Promise<Task | null> {
  if (!closed.rrule || !closed.due_at) return null
  const next = nextOccurrence({ rrule: closed.rrule, dueAt: new Date(closed.due_at), index: closed.occurrence_index, now: ctx.now })
  if (!next) return null
  const later = await trx
    .selectFrom('tasks')
    .select('id')
    .where('workspace_id', '=', closed.workspace_id)
    .where('series_id', '=', closed.series_id)
    .where('occurrence_index', '>', closed.occurrence_index)
    .executeTakeFirst()
  if (later) return null
  const id = randomUUID()
  const fields: TaskFields = {
    title: closed.title,
    description: closed.description,
    due_at: next.dueAt.toISOString(),
    all_day: closed.all_day,
    assignee_id: closed.assignee_id,
    priority: closed.priority,
    organisation_id: closed.organisation_id,
    contact_id: closed.contact_id,
    deal_id: closed.deal_id,
    rrule: closed.rrule,
  }
  // The completion's command id is already claimed: the new occurrence's creation has none.
  const r = await runCommand(
    trx,
    { ...ctx, commandId: undefined },
    {
      type: 'CreateTask',
      repository: taskRepository,
      streamId: id,
      decide: (s) => createTask(s, { id, fields, seriesId: closed.series_id, occurrenceIndex: next.index, createdBy: closed.created_by }, ctx),
      evolve: evolveTask,
    },
  )
  return r.state
}
