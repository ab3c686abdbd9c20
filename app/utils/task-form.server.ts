import { sql } from 'kysely'
import { z } from 'zod'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf, translateFieldProblems } from '../i18n/errors'
import { parisDateTime, parisDay, toWallClock } from '../../domain/shared/paris-time'
import {
  describeRecurrence,
  parseRRule,
  recurrenceErrors,
  toRRule,
  WEEKDAYS,
  weekdayOf,
  type Recurrence,
  type RecurrenceEnd,
} from '../../domain/tasks/recurrence'
import { TASK_PRIORITIES, type TaskFields } from '../../domain/tasks/task'
import { validateTaskFields } from '../../domain/tasks/task.decide'
import type { Locale, TFunction } from '../i18n/i18n'
import type { Auth } from './auth.server'
import { field } from './form-schema.server'
import { visibleTo } from './visibility.server'
import type { LinkedNames } from './linked-names.server'

// The task form: the choices it offers (assignees, linked records), its schema, the
// fields it yields for the commands (due date in Paris time, the recurrence editor),
// and its values shown again after an error.

export type TaskFormOptions = {
  assignees: { id: string; name: string }[]
  organisations: { id: string; name: string }[]
  contacts: { id: string; name: string }[]
  deals: { id: string; name: string }[]
}

/**
 * The form's choices: anyone active in the workspace as assignee (a task can be handed
 * to a colleague; its author keeps seeing it), and the records this user can see.
 */
export async function taskFormOptions(
  auth: Auth,
  keep: Partial<LinkedNames> & { assignee?: { id: string; name: string } | null } = {},
  limit = 1000,
): Promise<TaskFormOptions> {
  const [assignees, organisations, contacts, deals] = await Promise.all([
    auth.tenant.selectFrom('users').select(['users.id', 'users.full_name as name']).where('users.active', '=', true).orderBy('users.full_name').execute(),
    auth.tenant
      .selectFrom('organisations')
      .select(['organisations.id', 'organisations.name'])
      .where('organisations.deleted_at', 'is', null)
      .where(visibleTo(auth.actor, 'organisations'))
      .orderBy('organisations.name')
      .limit(limit)
      .execute(),
    auth.tenant
      .selectFrom('contacts')
      .select(['contacts.id', sql<string>`contacts.first_name || ' ' || contacts.last_name`.as('name')])
      .where('contacts.deleted_at', 'is', null)
      .where(visibleTo(auth.actor, 'contacts'))
      .orderBy('contacts.last_name')
      .orderBy('contacts.first_name')
      .limit(limit)
      .execute(),
    auth.tenant
      .selectFrom('deals')
      .select(['deals.id', 'deals.title as name'])
      .where('deals.deleted_at', 'is', null)
      .where(visibleTo(auth.actor, 'deals'))
      .orderBy('deals.title')
      .limit(limit)
      .execute(),
  ])
  // What the task already has stays selectable even beyond the caps.
  const ensure = (list: { id: string; name: string }[], v: { id: string; name: string } | null | undefined) => {
    if (v && !list.some((x) => x.id === v.id)) list.unshift(v)
  }
  ensure(assignees, keep.assignee)
  ensure(organisations, keep.organisation)
  ensure(contacts, keep.contact)
  ensure(deals, keep.deal)
  return { assignees, organisations, contacts, deals }
}

export type TaskTarget = { organisationId: string } | { contactId: string } | { dealId: string }

/** The task form's shape (parseForm): the priority one of the domain's, the rest text checked below and by the domain. */
export const taskFormSchema = z.object({
  title: field.text(),
  description: field.optionalText(),
  due_date: field.text(),
  due_time: field.text(),
  assignee_id: field.optionalText(),
  priority: field.oneOf(TASK_PRIORITIES, 'task.priority.unknown').default('normale'),
  organisation_id: field.optionalText(),
  contact_id: field.optionalText(),
  deal_id: field.optionalText(),
  recurrence: field.text(),
  recurrence_interval: field.text(),
  recurrence_days: field.someOf(WEEKDAYS),
  recurrence_end: field.text(),
  recurrence_count: field.text(),
  recurrence_until: field.text(),
})
export type TaskForm = z.output<typeof taskFormSchema>

/**
 * The form's fields as the command takes them, plus what only the web form can get wrong
 * (a date or time that is not one). Due dates are typed in Paris time; an empty time
 * makes an all-day task.
 */
export function readTaskFields(form: TaskForm, { t, locale }: { t: TFunction; locale: Locale }): { fields: TaskFields; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const date = form.due_date
  const time = form.due_time
  let dueAt: Date | null = null
  if (!date && time) errors.due_date = t('task.timeWithoutDate')
  if (date) {
    if (time && !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) errors.due_time = t('task.timeInvalid')
    else {
      dueAt = time ? parisDateTime(date, time) : parisDateTime(date, '00:00')
      if (!dueAt) errors.due_date = t('date.invalid')
    }
  }
  const recurrence = readRecurrence(form)
  let rrule: string | null = null
  // Weekly without a ticked day: the due date's weekday, as RFC 5545 reads it.
  if (recurrence?.freq === 'weekly' && recurrence.byDay.length === 0 && dueAt) recurrence.byDay = [weekdayOf(parisDay(dueAt))]
  if (recurrence) {
    Object.assign(errors, translateFieldProblems(locale, recurrenceErrors(recurrence, dueAt ? parisDay(dueAt) : null)))
    // With bad numbers the rule is not written: the errors above stop the command.
    if (!Object.keys(errors).some((k) => k.startsWith('recurrence_'))) rrule = toRRule(recurrence)
  }
  return {
    fields: {
      title: form.title,
      description: form.description,
      due_at: dueAt ? dueAt.toISOString() : null,
      all_day: !!dueAt && !time,
      assignee_id: form.assignee_id,
      priority: form.priority,
      organisation_id: form.organisation_id,
      contact_id: form.contact_id,
      deal_id: form.deal_id,
      rrule,
    },
    errors,
  }
}

function readRecurrence(form: TaskForm): Recurrence | null {
  const freq = form.recurrence
  if (freq !== 'daily' && freq !== 'weekly' && freq !== 'monthly') return null
  const interval = form.recurrence_interval
  const days = form.recurrence_days
  const endKind = form.recurrence_end
  const count = form.recurrence_count
  const end: RecurrenceEnd =
    endKind === 'until'
      ? { kind: 'until', date: form.recurrence_until }
      : endKind === 'count'
        ? { kind: 'count', count: /^\d+$/.test(count) ? Number(count) : Number.NaN }
        : { kind: 'never' }
  return { freq, interval: interval === '' ? 1 : /^\d+$/.test(interval) ? Number(interval) : Number.NaN, byDay: freq === 'weekly' ? days : [], end }
}

/** A task as the form's values (Paris date and time, the recurrence editor's fields). */
export function taskFormValues(task: {
  title: string
  description: string | null
  due_at: Date | string | null
  all_day: boolean
  assignee_id: string | null
  priority: string
  organisation_id: string | null
  contact_id: string | null
  deal_id: string | null
  rrule: string | null
}): Record<string, string> {
  const wall = task.due_at ? toWallClock(new Date(task.due_at)).toISOString() : null
  const r = parseRRule(task.rrule)
  return {
    title: task.title,
    description: task.description ?? '',
    priority: task.priority,
    assignee_id: task.assignee_id ?? '',
    organisation_id: task.organisation_id ?? '',
    contact_id: task.contact_id ?? '',
    deal_id: task.deal_id ?? '',
    due_date: wall ? wall.slice(0, 10) : '',
    due_time: wall && !task.all_day ? wall.slice(11, 16) : '',
    recurrence: r?.freq ?? 'none',
    recurrence_interval: String(r?.interval ?? 1),
    recurrence_days: (r?.byDay ?? []).join(','),
    recurrence_end: r?.end.kind ?? 'never',
    recurrence_until: r?.end.kind === 'until' ? r.end.date : '',
    recurrence_count: r?.end.kind === 'count' ? String(r.end.count) : '',
  }
}

/** The values of a failed post, with the ticked weekdays joined like taskFormValues does. */
export function postedTaskValues(form: FormData, values: Record<string, string>): Record<string, string> {
  return {
    ...values,
    recurrence_days: form
      .getAll('recurrence_days')
      .filter((d) => typeof d === 'string')
      .join(','),
  }
}

/**
 * Checks what only the route knows: linked records must be visible to this user, the
 * assignee a user of the workspace. Unchanged links of an existing task are kept as is.
 */
export function linkErrors(fields: TaskFields, options: TaskFormOptions, t: TFunction): Record<string, string> {
  const errors: Record<string, string> = {}
  const has = (list: { id: string }[], id: string | null) => !id || list.some((x) => x.id === id)
  if (!has(options.organisations, fields.organisation_id)) errors.organisation_id = t('task.notFoundLink')
  if (!has(options.contacts, fields.contact_id)) errors.contact_id = t('task.notFoundLink')
  if (!has(options.deals, fields.deal_id)) errors.deal_id = t('task.notFoundLink')
  if (!has(options.assignees, fields.assignee_id)) errors.assignee_id = t('task.assigneeNotFound')
  return errors
}

/** Web errors plus the domain's own messages for the other fields, in one round trip. */
export function allTaskErrors(fields: TaskFields, errors: Record<string, string>, locale: Locale): Record<string, string> {
  try {
    validateTaskFields({ ...fields, due_at: errors.due_date || errors.due_time ? null : fields.due_at, rrule: null, all_day: false })
  } catch (e) {
    if (e instanceof ValidationError) return { ...fieldErrorsOf(locale, e), ...errors }
  }
  return errors
}

export const recurrenceLabel = (rrule: string | null, locale: Locale) => {
  const r = parseRRule(rrule)
  return r ? describeRecurrence(r, locale) : null
}
