import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { setPreferences } from '../domain/notifications/preferences.js'
import { parisDateTime } from '../domain/shared/paris-time.js'
import type { TaskFields } from '../domain/tasks/task.js'
import { completeTaskCommand, createTaskCommand, updateTaskCommand } from '../domain/tasks/task.commands.js'
import { sendTaskReminders } from '../domain/tasks/task-reminders.js'
import type { JobDeps } from './job.js'
import { SEND_TASK_REMINDERS, taskRemindersJob } from './task-reminders.job.js'
import { FINISHED_JOB_STATES, waitUntil } from '../testing/wait.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime({ jobs: 'work' })
})
afterAll(async () => {
  await rt?.stop()
})

const paris = (day: string, time: string) => parisDateTime(day, time)!
// Wednesday 24 March 2027, 08:00 Paris: the morning pass.
const MORNING = paris('2027-03-24', '08:00')

const fields = (over: Partial<TaskFields> = {}): TaskFields => ({
  title: 'Relancer le devis Roche',
  description: null,
  due_at: paris('2027-03-25', '10:00').toISOString(),
  all_day: false,
  assignee_id: null,
  priority: 'normale',
  organisation_id: null,
  contact_id: null,
  deal_id: null,
  rrule: null,
  ...over,
})

async function givenTask(w: Awaited<ReturnType<typeof givenWorkspace>>, over: Partial<TaskFields> = {}) {
  const id = randomUUID()
  await createTaskCommand(rt.db, w.ctx(w.users.manager), { id, fields: fields({ assignee_id: w.users.commercial, ...over }) })
  return id
}

const deps = (): JobDeps => ({ db: rt.db, ch: rt.ch, log: () => {}, send: rt.jobs!.send })
const run = (data: { workspaceId?: string; now?: string }) =>
  taskRemindersJob.handle(data, deps(), { id: randomUUID(), name: SEND_TASK_REMINDERS, data } as never)

async function reminders(taskId: string) {
  const [emails, notifications, claims] = await Promise.all([
    rt.db.selectFrom('outbound_emails').select(['to', 'subject', 'template', 'status']).where('idempotency_key', 'like', `%:${taskId}:%`).execute(),
    rt.db
      .selectFrom('notifications')
      .select(['user_id', 'kind', 'title', 'body', 'link'])
      .where('link', '=', `/tasks/${taskId}`)
      .where('kind', '!=', 'task_assigned')
      .execute(),
    rt.db.selectFrom('task_reminders_sent').select(['kind']).where('task_id', '=', taskId).execute(),
  ])
  return { emails, notifications, claims: claims.map((c) => c.kind) }
}

async function waitForJob(queue: string, id: string) {
  let state: string | undefined
  return waitUntil(
    `job ${queue} ${id} finished`,
    async () => {
      const job = await rt.jobs!.boss.getJobById(queue, id, { includeArchive: true })
      state = job?.state
      return job && FINISHED_JOB_STATES.includes(job.state) && job
    },
    { last: () => state },
  )
}

describe('task reminders', () => {
  it('are scheduled every quarter hour from 08:00 to 19:45 Paris time on a queue with a dead-letter twin', async () => {
    const schedule = (await rt.jobs!.boss.getSchedules()).find((s) => s.name === SEND_TASK_REMINDERS)
    expect(schedule).toMatchObject({ cron: '0,15,30,45 8-19 * * *', timezone: 'Europe/Paris' })
    expect(await rt.jobs!.boss.getQueue(SEND_TASK_REMINDERS)).toMatchObject({ policy: 'stately', deadLetter: `${SEND_TASK_REMINDERS}-dlq` })
  })

  it('send exactly one J-1 e-mail and one notification when the job runs twice at once', async () => {
    const w = await givenWorkspace(rt.db)
    const taskId = await givenTask(w)
    const results = await Promise.all([
      run({ workspaceId: w.workspaceId, now: MORNING.toISOString() }),
      run({ workspaceId: w.workspaceId, now: MORNING.toISOString() }),
    ])
    expect(results.map((r) => (r as { sent: number }).sent).sort()).toEqual([0, 1])

    const { emails, notifications, claims } = await reminders(taskId)
    expect(claims).toEqual(['j1'])
    expect(emails).toHaveLength(1)
    expect(emails[0]).toMatchObject({ to: w.emails.commercial, template: 'task_reminder', subject: 'À faire demain : Relancer le devis Roche' })
    expect(notifications).toEqual([
      {
        user_id: w.users.commercial,
        kind: 'task_reminder_j1',
        title: 'À faire demain : Relancer le devis Roche',
        body: 'Échéance : jeudi 25 mars 2027 à 10:00.',
        link: `/tasks/${taskId}`,
      },
    ])
    // A later pass the same day finds it sent.
    await run({ workspaceId: w.workspaceId, now: paris('2027-03-24', '11:15').toISOString() })
    expect((await reminders(taskId)).emails).toHaveLength(1)
  })

  it('send one reminder when two jobs go through pg-boss, and the e-mail reaches the mailbox', async () => {
    const w = await givenWorkspace(rt.db)
    const taskId = await givenTask(w)
    const data = { workspaceId: w.workspaceId, now: MORNING.toISOString() }
    // Two distinct singleton keys, so pg-boss keeps both jobs.
    const ids = await Promise.all(['a', 'b'].map((k) => rt.jobs!.send(SEND_TASK_REMINDERS, data, { singletonKey: `${w.workspaceId}:${k}` })))
    expect(ids.every(Boolean)).toBe(true)
    for (const id of ids) expect((await waitForJob(SEND_TASK_REMINDERS, id!)).state).toBe('completed')

    const { emails, notifications, claims } = await reminders(taskId)
    expect(claims).toEqual(['j1'])
    expect(notifications).toHaveLength(1)
    expect(emails).toHaveLength(1)
    // The mail.send job delivers it (local mailbox: no RESEND_API_KEY in tests).
    for (let i = 0; i < 100 && (await reminders(taskId)).emails[0].status === 'queued'; i++) await new Promise((r) => setTimeout(r, 100))
    expect((await reminders(taskId)).emails[0].status).toBe('sent')
  })

  it('send J0 on the day and J+1 the day after if the task is still open, each once', async () => {
    const w = await givenWorkspace(rt.db)
    const open = await givenTask(w, { title: 'Envoyer la proposition', due_at: paris('2027-03-24', '16:00').toISOString() })
    const done = await givenTask(w, { title: 'Appeler Mme Roche', due_at: paris('2027-03-24', '16:00').toISOString() })
    await sendTaskReminders(rt.db, rt.jobs, MORNING, { workspaceId: w.workspaceId })
    expect((await reminders(open)).notifications.map((n) => n.kind)).toEqual(['task_reminder_j0'])
    await completeTaskCommand(rt.db, w.ctx(w.users.commercial), { id: done })

    const nextMorning = paris('2027-03-25', '08:00')
    await sendTaskReminders(rt.db, rt.jobs, nextMorning, { workspaceId: w.workspaceId })
    await sendTaskReminders(rt.db, rt.jobs, nextMorning, { workspaceId: w.workspaceId })
    const r = await reminders(open)
    expect(r.claims.sort()).toEqual(['j0', 'overdue_j1'])
    expect(r.notifications.find((n) => n.kind === 'task_overdue_j1')).toMatchObject({
      title: 'En retard : Envoyer la proposition',
      body: 'Cette tâche était à faire pour le mercredi 24 mars 2027 à 16:00.',
    })
    expect(r.emails.map((e) => e.subject).sort()).toEqual(['En retard depuis hier : Envoyer la proposition', 'À faire aujourd’hui : Envoyer la proposition'])
    expect((await reminders(done)).claims).toEqual(['j0'])
  })

  it('wait for the morning: nothing before 08:00 Paris', async () => {
    const w = await givenWorkspace(rt.db)
    const taskId = await givenTask(w)
    const r = await sendTaskReminders(rt.db, rt.jobs, paris('2027-03-24', '07:45'), { workspaceId: w.workspaceId })
    expect(r.sent).toEqual([])
    expect((await reminders(taskId)).claims).toEqual([])
  })

  it('follow the preferences: e-mail off means in-app only', async () => {
    const w = await givenWorkspace(rt.db)
    await setPreferences(rt.db, { workspaceId: w.workspaceId, userId: w.users.commercial, preferences: { task_reminder_j1: { email: false, in_app: true } } })
    const taskId = await givenTask(w)
    await sendTaskReminders(rt.db, rt.jobs, MORNING, { workspaceId: w.workspaceId })
    const r = await reminders(taskId)
    expect(r.notifications).toHaveLength(1)
    expect(r.emails).toHaveLength(0)
  })

  it('go to the creator when nobody is assigned, and again after the task is moved to another day', async () => {
    const w = await givenWorkspace(rt.db)
    const taskId = randomUUID()
    await createTaskCommand(rt.db, w.ctx(w.users.manager), { id: taskId, fields: fields() })
    await sendTaskReminders(rt.db, rt.jobs, MORNING, { workspaceId: w.workspaceId })
    expect((await reminders(taskId)).notifications.map((n) => n.user_id)).toEqual([w.users.manager])

    await updateTaskCommand(rt.db, w.ctx(w.users.manager), {
      id: taskId,
      expectedVersion: 1,
      fields: fields({ due_at: paris('2027-03-30', '10:00').toISOString() }),
    })
    expect((await reminders(taskId)).claims).toEqual([])
    await sendTaskReminders(rt.db, rt.jobs, paris('2027-03-29', '08:00'), { workspaceId: w.workspaceId })
    const r = await reminders(taskId)
    expect(r.claims).toEqual(['j1'])
    expect(r.notifications).toHaveLength(2)
    expect(r.emails).toHaveLength(2)
  })

  it('never remind anyone of another workspace', async () => {
    const w = await givenWorkspace(rt.db)
    const other = await givenWorkspace(rt.db, 'Autre Atelier')
    const theirs = await givenTask(other)
    await sendTaskReminders(rt.db, rt.jobs, MORNING, { workspaceId: w.workspaceId })
    expect((await reminders(theirs)).claims).toEqual([])
  })
})
