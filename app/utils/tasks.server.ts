import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import { randomUUID } from 'node:crypto'
import type { Database, TaskPriority, TaskStatus } from '../../db/schema'
import type { Actor } from '../../domain/identity/roles'
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/shared/errors'
import { moveTaskCommand } from '../../domain/tasks/task.commands'
import type { Db } from '../../db/kysely'
import { addDays, mondayOf, parisDay, startOfParisDay } from '../../domain/shared/paris-time'
import { OPEN_STATUSES, TASK_PRIORITIES, TASK_STATUSES } from '../../domain/tasks/task'
import type { TFunction } from '../i18n/i18n'
import type { Auth } from './auth.server'
import { commandIdOf, isUuid, text } from './forms.server'
import { STATUS_FILTERS, TASK_SCOPES, TASK_VIEWS, type StatusFilter, type TaskScope, type TaskView } from './task-filters'
import { linkedNames, type LinkedNames } from './linked-names.server'
import { visibleTo } from './visibility.server'
import type { TaskTarget } from './task-form.server'

// Tasks for routes: who sees and changes which, the list and its groups, the form's
// fields (due date in Paris time, the recurrence editor) and the "Tâches" section of
// record pages. A task the user may not see is simply not found (404). The form's
// fields are read in task-form.server.ts, which routes import directly.

type TaskEb = ExpressionBuilder<Database, 'tasks'>

/** Ids of the users of the actor's team (a subquery), or null without a team. */
function teamUsers(eb: TaskEb, actor: Actor) {
  if (!actor.teamId) return null
  return eb.selectFrom('users').select('users.id').where('users.workspace_id', '=', actor.workspaceId).where('users.team_id', '=', actor.teamId)
}

/**
 * Who may see a task: admins all; everyone the tasks assigned to them or created by
 * them, and the tasks linked to a record they can see; managers also their team's.
 */
export function taskVisibleTo(actor: Actor) {
  return (eb: TaskEb): Expression<SqlBool> => {
    if (actor.role === 'admin') return sql<SqlBool>`true`
    const ws = actor.workspaceId
    const any = [
      eb('tasks.assignee_id', '=', actor.id),
      eb('tasks.created_by', '=', actor.id),
      eb(
        'tasks.organisation_id',
        'in',
        eb
          .selectFrom('organisations')
          .select('organisations.id')
          .where('organisations.workspace_id', '=', ws)
          .where('organisations.deleted_at', 'is', null)
          .where(visibleTo(actor, 'organisations')),
      ),
      eb(
        'tasks.contact_id',
        'in',
        eb
          .selectFrom('contacts')
          .select('contacts.id')
          .where('contacts.workspace_id', '=', ws)
          .where('contacts.deleted_at', 'is', null)
          .where(visibleTo(actor, 'contacts')),
      ),
      eb(
        'tasks.deal_id',
        'in',
        eb.selectFrom('deals').select('deals.id').where('deals.workspace_id', '=', ws).where('deals.deleted_at', 'is', null).where(visibleTo(actor, 'deals')),
      ),
    ]
    const team = actor.role === 'manager' ? teamUsers(eb, actor) : null
    if (team) any.push(eb('tasks.assignee_id', 'in', team), eb('tasks.created_by', 'in', teamUsers(eb, actor)!))
    return eb.or(any)
  }
}

/**
 * Who may change a task: admins; its assignee and its author; the managers of their
 * team. Others who see it through a linked record read it only.
 */
export function canWriteTask(
  actor: Actor,
  task: { assignee_id: string | null; created_by: string | null; assignee_team_id: string | null; creator_team_id: string | null },
) {
  if (actor.role === 'admin' || task.assignee_id === actor.id || task.created_by === actor.id) return true
  return actor.role === 'manager' && !!actor.teamId && (task.assignee_team_id === actor.teamId || task.creator_team_id === actor.teamId)
}

/** One task this user may see, with its people's names and whether they may change it; null means 404. */
export async function findVisibleTask(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  const row = await auth.tenant
    .selectFrom('tasks')
    .leftJoin('users as assignee', 'assignee.id', 'tasks.assignee_id')
    .leftJoin('users as creator', 'creator.id', 'tasks.created_by')
    .selectAll('tasks')
    .select([
      'assignee.full_name as assignee_name',
      'assignee.team_id as assignee_team_id',
      'creator.full_name as creator_name',
      'creator.team_id as creator_team_id',
    ])
    .where('tasks.id', '=', id)
    .where('tasks.deleted_at', 'is', null)
    .where(taskVisibleTo(auth.actor))
    .executeTakeFirst()
  if (!row) return null
  const links = await linkedNames(auth, [row])
  return { ...row, ...links.get(row.id)!, canWrite: canWriteTask(auth.actor, row) }
}

// ---------------------------------------------------------------------------------------
// Lists

export type TaskFilters = { scope: TaskScope; view: TaskView; status: StatusFilter; priority: TaskPriority | ''; q: string }

const oneOf = <T extends string>(list: readonly T[], v: string | null, fallback: T): T => (v && (list as readonly string[]).includes(v) ? (v as T) : fallback)

/** The list's filters from its URL (French parameter names, like the other lists). */
export function taskFiltersOf(url: URL, actor: Actor): TaskFilters {
  const p = url.searchParams
  let scope = oneOf(TASK_SCOPES, p.get('qui'), 'moi')
  if (scope === 'equipe' && !(actor.role === 'manager' && actor.teamId)) scope = 'moi'
  return {
    scope,
    view: oneOf(TASK_VIEWS, p.get('vue'), 'date'),
    status: oneOf(STATUS_FILTERS, p.get('statut'), 'ouvertes'),
    priority: oneOf<TaskPriority | ''>(TASK_PRIORITIES, p.get('priorite'), ''),
    q: (p.get('q') ?? '').trim().slice(0, 100),
  }
}

/** The scopes this user can choose (the team only for a manager with a team). */
export const scopesFor = (actor: Actor): TaskScope[] => TASK_SCOPES.filter((s) => s !== 'equipe' || (actor.role === 'manager' && !!actor.teamId))

export type TaskListItem = {
  id: string
  title: string
  status: TaskStatus
  priority: TaskPriority
  version: number
  dueAt: string | null
  allDay: boolean
  dueDay: string | null
  overdue: boolean
  recurring: boolean
  assigneeId: string | null
  assigneeName: string | null
  completedAt: string | null
  canWrite: boolean
} & LinkedNames

export const PRIORITY_RANK: Record<TaskPriority, number> = { urgente: 0, haute: 1, normale: 2, basse: 3 }

/** Open tasks whose due date (or, all day, due day) is past. */
export function isOverdue(t: { status: TaskStatus; due_at: Date | string | null; all_day: boolean }, now: Date) {
  if (!t.due_at || !OPEN_STATUSES.includes(t.status)) return false
  return t.all_day ? parisDay(new Date(t.due_at)) < parisDay(now) : new Date(t.due_at) < now
}

type ListOptions = {
  filters?: Partial<TaskFilters>
  /** Only tasks due in [from, to). */
  dueFrom?: Date
  dueTo?: Date
  /** Only tasks closed (completed/cancelled) since. */
  closedSince?: Date
  target?: TaskTarget
  limit?: number
  now?: Date
}

/**
 * Tasks this user may see, filtered, soonest first (no due date last), at most `limit`
 * (+1 to tell there are more).
 *
 * @example const { items, capped } = await listTasks(auth, { filters: taskFiltersOf(url, auth.actor) })
 */
export async function listTasks(auth: Auth, o: ListOptions = {}): Promise<{ items: TaskListItem[]; capped: boolean }> {
  const f = o.filters ?? {}
  const limit = o.limit ?? 200
  const now = o.now ?? auth.now()
  const me = auth.actor.id
  let q = auth.tenant
    .selectFrom('tasks')
    .leftJoin('users as assignee', 'assignee.id', 'tasks.assignee_id')
    .leftJoin('users as creator', 'creator.id', 'tasks.created_by')
    .select([
      'tasks.id',
      'tasks.title',
      'tasks.status',
      'tasks.priority',
      'tasks.version',
      'tasks.due_at',
      'tasks.all_day',
      'tasks.rrule',
      'tasks.assignee_id',
      'tasks.created_by',
      'tasks.organisation_id',
      'tasks.contact_id',
      'tasks.deal_id',
      'tasks.completed_at',
      'tasks.updated_at',
      'assignee.full_name as assignee_name',
      'assignee.team_id as assignee_team_id',
      'creator.team_id as creator_team_id',
    ])
    .where('tasks.deleted_at', 'is', null)
    .where(taskVisibleTo(auth.actor))
  switch (f.scope ?? 'toutes') {
    case 'moi':
      q = q.where((eb) => eb.or([eb('tasks.assignee_id', '=', me), eb.and([eb('tasks.assignee_id', 'is', null), eb('tasks.created_by', '=', me)])]))
      break
    case 'crees':
      q = q.where('tasks.created_by', '=', me)
      break
    case 'equipe':
      if (auth.actor.teamId) {
        const team = auth.tenant.selectFrom('users').select('users.id').where('users.team_id', '=', auth.actor.teamId)
        q = q.where((eb) => eb.or([eb('tasks.assignee_id', 'in', team), eb('tasks.assignee_id', '=', me)]))
      }
      break
  }
  if (f.status === 'ouvertes' || f.status === undefined) q = q.where('tasks.status', 'in', OPEN_STATUSES)
  else if (f.status === 'fermees') q = q.where('tasks.status', 'in', ['terminee', 'annulee'])
  if (o.closedSince) q = q.where((eb) => eb.or([eb('tasks.status', 'in', OPEN_STATUSES), eb('tasks.updated_at', '>=', o.closedSince!)]))
  if (f.priority) q = q.where('tasks.priority', '=', f.priority)
  if (f.q) {
    const escaped = f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)
    q = q.where(sql<boolean>`f_unaccent(lower(tasks.title)) like f_unaccent(${`%${escaped}%`})`)
  }
  if (o.dueFrom) q = q.where('tasks.due_at', '>=', o.dueFrom)
  if (o.dueTo) q = q.where('tasks.due_at', '<', o.dueTo)
  if (o.target) {
    if ('organisationId' in o.target) q = q.where('tasks.organisation_id', '=', o.target.organisationId)
    else if ('contactId' in o.target) q = q.where('tasks.contact_id', '=', o.target.contactId)
    else q = q.where('tasks.deal_id', '=', o.target.dealId)
  }
  const rows = await q
    .orderBy(sql`tasks.due_at asc nulls last`)
    .orderBy(sql`case tasks.priority when 'urgente' then 0 when 'haute' then 1 when 'normale' then 2 else 3 end`)
    .orderBy('tasks.created_at', 'desc')
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const links = await linkedNames(auth, page)
  return {
    capped: rows.length > limit,
    items: page.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      priority: r.priority,
      version: r.version,
      dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
      allDay: r.all_day,
      dueDay: r.due_at ? parisDay(new Date(r.due_at)) : null,
      overdue: isOverdue(r, now),
      recurring: !!r.rrule,
      assigneeId: r.assignee_id,
      assigneeName: r.assignee_name,
      completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
      canWrite: canWriteTask(auth.actor, r),
      ...links.get(r.id)!,
    })),
  }
}

export type TaskGroup = { key: string; label: string; items: TaskListItem[] }

/** The list's sections: by due date (En retard, Aujourd'hui, Cette semaine, Plus tard…), priority or person. */
export function groupTasks(items: TaskListItem[], view: TaskView, t: TFunction, now: Date = new Date()): TaskGroup[] {
  const groups = new Map<string, TaskGroup>()
  const add = (key: string, label: string, item: TaskListItem) => {
    if (!groups.has(key)) groups.set(key, { key, label, items: [] })
    groups.get(key)!.items.push(item)
  }
  const today = parisDay(now)
  const sunday = addDays(mondayOf(today), 6)
  const order: string[] = []
  if (view === 'priorite') {
    order.push(...TASK_PRIORITIES)
    for (const i of items) add(i.priority, t(`task.priority.${i.priority}`), i)
  } else if (view === 'personne') {
    const sorted = [...items].sort((a, b) => (a.assigneeName ?? '\uffff').localeCompare(b.assigneeName ?? '\uffff', 'fr'))
    for (const i of sorted) {
      const key = i.assigneeId ?? 'aucun'
      if (!order.includes(key)) order.push(key)
      add(key, i.assigneeName ?? t('task.group.unassigned'), i)
    }
  } else {
    order.push('overdue', 'today', 'week', 'later', 'noDue', 'closed')
    for (const i of items) {
      const key = !OPEN_STATUSES.includes(i.status)
        ? 'closed'
        : i.overdue
          ? 'overdue'
          : !i.dueDay
            ? 'noDue'
            : i.dueDay <= today
              ? 'today'
              : i.dueDay <= sunday
                ? 'week'
                : 'later'
      add(key, t(`task.group.${key}` as 'task.group.today'), i)
    }
  }
  return order.filter((k) => groups.has(k)).map((k) => groups.get(k)!)
}

// ---------------------------------------------------------------------------------------
// The form

export const isTaskStatus = (s: string): s is TaskStatus => (TASK_STATUSES as string[]).includes(s)

// ---------------------------------------------------------------------------------------
// Record pages

/**
 * The "Tâches" card of an organisation, contact or deal page: its open tasks this user
 * may see and the "Nouvelle tâche" link prefilled with the record.
 *
 * @example const tasks = await tasksSection(auth, request, { dealId: deal.id })
 */
export async function tasksSection(auth: Auth, request: Request, target: TaskTarget) {
  const { items } = await listTasks(auth, { filters: { scope: 'toutes', status: 'ouvertes' }, target, limit: 20 })
  const param =
    'organisationId' in target ? `organisation=${target.organisationId}` : 'contactId' in target ? `contact=${target.contactId}` : `deal=${target.dealId}`
  const url = new URL(request.url)
  return {
    items,
    newHref: `/tasks/new?${param}&redirectTo=${encodeURIComponent(url.pathname.replace(/\.data$/, ''))}`,
    redirectTo: url.pathname.replace(/\.data$/, ''),
    commandIds: commandIdsFor(items),
  }
}

/** One command id per task's quick form (a double submit then does nothing twice). */
export const commandIdsFor = (items: { id: string }[]) => Object.fromEntries(items.map((i) => [i.id, randomUUID()]))

/**
 * A status move posted by a task's quick form, the task page or the board: the task must
 * be visible (else 404) and changeable by this user (else 403). Returns the command's
 * result (with the next occurrence of a recurring task) or throws the domain's refusal.
 */
export async function moveTaskFromForm(auth: Auth, db: Db, form: FormData) {
  const task = await findVisibleTask(auth, text(form, 'taskId'))
  if (!task) throw new NotFoundError('task.not_found')
  if (!task.canWrite) throw new ForbiddenError()
  const to = text(form, 'to')
  if (!isTaskStatus(to)) throw new ValidationError({ status: 'status.unknown' })
  const version = text(form, 'version')
  const expectedVersion = version === '' ? undefined : Number(version)
  if (expectedVersion !== undefined && !Number.isSafeInteger(expectedVersion)) throw new ValidationError({ status: 'task.version.invalid' })
  const result = await moveTaskCommand(db, auth.ctx(commandIdOf(form)), { id: task.id, expectedVersion, to })
  return { task, to, result }
}

export const startOfToday = (now = new Date()) => startOfParisDay(parisDay(now))
