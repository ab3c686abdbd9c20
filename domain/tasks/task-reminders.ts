import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import type { TaskReminderKind } from '../../db/schema.js'
import { enqueueEmail, InvalidEmailError, type MailQueue } from '../mail/enqueue-email.js'
import type { NotificationKind } from '../notifications/kinds.js'
import { notify } from '../notifications/notify.js'
import { preferencesFor } from '../notifications/preferences.js'
import { addDays, parisDay, parisHour, startOfParisDay } from '../shared/paris-time.js'
import { formatDue } from './task-format.js'

// Task reminders: the day before (J-1), the day itself (J0) and, if the task is still
// open, the day after (J+1), from the morning pass at 08:00 Paris time on. Each one
// goes to the assignee (else the creator), in the app and by e-mail as their
// preferences say, ONCE: a pass claims (task, kind) by inserting into
// task_reminders_sent in the transaction that stores the notification and enqueues the
// e-mail, so a second pass — concurrent, replayed, after a crash — finds it taken.

/** Reminders go out from this Paris hour on (the morning pass). */
export const MORNING_HOUR = 8

export const NOTIFICATION_KIND_OF: Record<TaskReminderKind, NotificationKind> = {
  j1: 'task_reminder_j1',
  j0: 'task_reminder_j0',
  overdue_j1: 'task_overdue_j1',
}

/** Which reminder a task due at `dueAt` calls for on the Paris day of `now`, if any. */
export function reminderKindFor(dueAt: Date, now: Date): TaskReminderKind | null {
  const today = parisDay(now)
  const day = parisDay(dueAt)
  if (day === addDays(today, 1)) return 'j1'
  if (day === today) return 'j0'
  if (day === addDays(today, -1)) return 'overdue_j1'
  return null
}

const TITLES: Record<TaskReminderKind, (title: string) => string> = {
  j1: (t) => `À faire demain : ${t}`,
  j0: (t) => `À faire aujourd’hui : ${t}`,
  overdue_j1: (t) => `En retard : ${t}`,
}

export type ReminderPassResult = {
  sent: { taskId: string; kind: TaskReminderKind; email: boolean; inApp: boolean }[]
  failed: { taskId: string; error: string }[]
}

type Candidate = {
  id: string
  workspace_id: string
  title: string
  due_at: Date
  all_day: boolean
  recipient_id: string
  recipient_name: string
  recipient_email: string
  related: string | null
  claimed: TaskReminderKind[]
}

/** The reminder was claimed but the task changed meanwhile: roll the claim back. */
class StaleCandidate extends Error {}

/**
 * One reminder pass at `now`: every open task due yesterday, today or tomorrow (Paris)
 * whose reminder for that day was not sent yet. Safe to run twice at once. A task that
 * fails is reported (and left unclaimed, for the next pass) without stopping the others.
 *
 * @example await sendTaskReminders(db, runtime.jobs, new Date()) // { sent: [{ taskId, kind: 'j1', … }], failed: [] }
 */
export async function sendTaskReminders(db: Db, mail: MailQueue | null, now: Date, opts: { workspaceId?: string } = {}): Promise<ReminderPassResult> {
  const result: ReminderPassResult = { sent: [], failed: [] }
  if (parisHour(now) < MORNING_HOUR) return result
  const today = parisDay(now)
  let q = db
    .selectFrom('tasks')
    .innerJoin('users as recipient', (j) =>
      j.on((eb) => eb('recipient.id', '=', eb.fn.coalesce('tasks.assignee_id', 'tasks.created_by'))).onRef('recipient.workspace_id', '=', 'tasks.workspace_id'),
    )
    .leftJoin('organisations', 'organisations.id', 'tasks.organisation_id')
    .leftJoin('deals', 'deals.id', 'tasks.deal_id')
    .leftJoin('contacts', 'contacts.id', 'tasks.contact_id')
    .select([
      'tasks.id',
      'tasks.workspace_id',
      'tasks.title',
      'tasks.due_at',
      'tasks.all_day',
      'recipient.id as recipient_id',
      'recipient.full_name as recipient_name',
      'recipient.email as recipient_email',
    ])
    .select(sql<string | null>`coalesce(deals.title, nullif(concat_ws(' ', contacts.first_name, contacts.last_name), ''), organisations.name)`.as('related'))
    .select(sql<TaskReminderKind[]>`coalesce((select array_agg(s.kind) from task_reminders_sent s where s.task_id = tasks.id), '{}')`.as('claimed'))
    .where('tasks.deleted_at', 'is', null)
    .where('tasks.status', 'in', ['a_faire', 'en_cours'])
    .where('tasks.due_at', '>=', startOfParisDay(addDays(today, -1)))
    .where('tasks.due_at', '<', startOfParisDay(addDays(today, 2)))
    .where('recipient.active', '=', true)
  if (opts.workspaceId) q = q.where('tasks.workspace_id', '=', opts.workspaceId)
  const candidates = (await q.orderBy('tasks.due_at').execute()) as Candidate[]

  for (const c of candidates) {
    const kind = reminderKindFor(new Date(c.due_at), now)
    if (!kind || c.claimed.includes(kind)) continue
    try {
      const sent = await remindOnce(db, mail, c, kind, now)
      if (sent) result.sent.push({ taskId: c.id, kind, ...sent })
    } catch (e) {
      if (e instanceof StaleCandidate) continue
      result.failed.push({ taskId: c.id, error: e instanceof Error ? e.message : String(e) })
    }
  }
  return result
}

async function remindOnce(db: Db, mail: MailQueue | null, c: Candidate, kind: TaskReminderKind, now: Date) {
  return db
    .transaction()
    .execute(async (trx) => {
      const claim = await trx
        .insertInto('task_reminders_sent')
        .values({ task_id: c.id, workspace_id: c.workspace_id, kind, sent_at: now })
        .onConflict((oc) => oc.columns(['task_id', 'kind']).doNothing())
        .returning('task_id')
        .executeTakeFirst()
      if (!claim) return null
      // Between the candidates' read and the claim the task may have been completed or moved.
      const current = await trx.selectFrom('tasks').select(['status', 'due_at', 'deleted_at']).where('id', '=', c.id).executeTakeFirst()
      if (
        !current ||
        current.deleted_at ||
        !['a_faire', 'en_cours'].includes(current.status) ||
        !current.due_at ||
        reminderKindFor(new Date(current.due_at), now) !== kind
      ) {
        throw new StaleCandidate()
      }
      const dueAt = new Date(current.due_at)
      const dueLabel = formatDue(dueAt, c.all_day)
      const notificationKind = NOTIFICATION_KIND_OF[kind]
      const link = `/tasks/${c.id}`
      // Keys carry the due day: a task moved to another day is reminded again for that day.
      const key = `${notificationKind}:${c.id}:${parisDay(dueAt)}`
      const prefs = await preferencesFor(trx, c.recipient_id)
      const inApp = await notify(trx, {
        workspaceId: c.workspace_id,
        userId: c.recipient_id,
        kind: notificationKind,
        title: TITLES[kind](c.title),
        body: [
          kind === 'overdue_j1' ? `Cette tâche était à faire pour le ${dueLabel}.` : `Échéance : ${dueLabel}.`,
          c.related ? `Concerne : ${c.related}.` : null,
        ]
          .filter(Boolean)
          .join(' '),
        link,
        dedupKey: key,
        now,
      })
      let email = false
      if (prefs[notificationKind].email) {
        try {
          const r = await enqueueEmail(trx, mail, {
            workspaceId: c.workspace_id,
            to: c.recipient_email,
            template: 'task_reminder',
            props: { when: kind, recipientName: c.recipient_name, taskTitle: c.title, dueLabel, relatedLabel: c.related, link },
            idempotencyKey: `${key}:${c.recipient_id}`,
          })
          email = r.created
        } catch (e) {
          // A user without a usable address still gets the in-app reminder.
          if (!(e instanceof InvalidEmailError)) throw e
        }
      }
      return { email, inApp: inApp.created }
    })
    .catch((e) => {
      if (e instanceof StaleCandidate) return null
      throw e
    })
}
