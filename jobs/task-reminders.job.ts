import type { MailQueue } from '../domain/mail/enqueue-email.js'
import { sendTaskReminders } from '../domain/tasks/task-reminders.js'
import type { JobDefinition } from './job.js'

// tasks.send-reminders: one reminder pass (J-1, J0, J+1) over every workspace, or one.
// The claims in task_reminders_sent make it safe to run twice at once or again after a
// crash. A task that failed is left unclaimed and the job fails, so pg-boss retries it
// (the tasks already reminded stay claimed and are not reminded again).

export const SEND_TASK_REMINDERS = 'tasks.send-reminders' as const

/** `now` (ISO) only for tests and replays: the pass as if run at that instant. */
export type TaskRemindersData = { workspaceId?: string; now?: string }

export const taskRemindersJob: JobDefinition<TaskRemindersData> = {
  queue: SEND_TASK_REMINDERS,
  async handle(data, deps) {
    const now = data.now ? new Date(data.now) : new Date()
    if (Number.isNaN(now.getTime())) throw new Error(`tasks.send-reminders: invalid now ${data.now}`)
    const mail: MailQueue = { send: (queue, job, opts) => deps.send(queue, job, opts as never) }
    const result = await sendTaskReminders(deps.db, mail, now, { workspaceId: data.workspaceId })
    if (result.failed.length) {
      throw new Error(`rappels de tâches non envoyés (${result.failed.length}) : ${result.failed.map((f) => `${f.taskId} ${f.error}`).join(' ; ')}`)
    }
    return { sent: result.sent.length }
  },
}
