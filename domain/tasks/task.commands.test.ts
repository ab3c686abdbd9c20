import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { readStream } from '../shared/run-command.js'
import { setPreferences } from '../notifications/preferences.js'
import { ConcurrencyError, ValidationError } from '../shared/errors.js'
import { parisDateTime, toWallClock } from '../shared/paris-time.js'
import type { TaskFields } from './task.js'
import { cancelTaskCommand, completeTaskCommand, createTaskCommand, reopenTaskCommand, updateTaskCommand } from './task.commands.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

const paris = (day: string, time = '09:00') => parisDateTime(day, time)!
const fields = (over: Partial<TaskFields> = {}): TaskFields => ({
  title: 'Point hebdo avec Mme Roche',
  description: null,
  due_at: paris('2027-03-25').toISOString(),
  all_day: false,
  assignee_id: null,
  priority: 'normale',
  organisation_id: null,
  contact_id: null,
  deal_id: null,
  rrule: null,
  ...over,
})
const series = (seriesId: string) => rt.db.selectFrom('tasks').selectAll().where('series_id', '=', seriesId).orderBy('occurrence_index').execute()

describe('recurring tasks', () => {
  it('completing a Monday/Thursday 09:00 task creates the next one on Monday at 09:00 Paris across the DST change, in the same transaction', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    // Thursday 25 March 2027, 09:00 (UTC+1). Clocks go forward on Sunday the 28th.
    await createTaskCommand(rt.db, w.ctx(w.users.commercial), {
      id,
      fields: fields({ assignee_id: w.users.commercial, rrule: 'FREQ=WEEKLY;BYDAY=MO,TH', priority: 'haute' }),
    })
    const r = await completeTaskCommand(rt.db, w.ctx(w.users.commercial, { now: paris('2027-03-25', '10:30') }), { id, expectedVersion: 1 })

    expect(r.next).not.toBeNull()
    const [first, next] = await series(id)
    expect(first).toMatchObject({ status: 'terminee', occurrence_index: 0 })
    expect(next).toMatchObject({
      id: r.next!.id,
      status: 'a_faire',
      occurrence_index: 1,
      series_id: id,
      title: 'Point hebdo avec Mme Roche',
      priority: 'haute',
      assignee_id: w.users.commercial,
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TH',
      created_by: w.users.commercial,
    })
    // Monday 29 March 09:00 Paris = 07:00 UTC (summer time).
    expect(new Date(next.due_at!).toISOString()).toBe('2027-03-29T07:00:00.000Z')
    expect(toWallClock(new Date(next.due_at!)).toISOString().slice(11, 16)).toBe('09:00')
    // Both changes were committed together: the completion and the creation are one transaction's events.
    const events = await rt.db.selectFrom('events').select(['type', 'stream_id', 'tx_id']).where('stream_id', 'in', [id, next.id]).orderBy('position').execute()
    expect(events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskCompleted', 'TaskCreated'])
    expect(events[1].tx_id).toBe(events[2].tx_id)

    // And the Monday one is followed by Thursday 1 April, still 09:00.
    const r2 = await completeTaskCommand(rt.db, w.ctx(w.users.commercial, { now: paris('2027-03-29', '09:15') }), { id: next.id })
    expect(new Date(r2.next!.due_at!).toISOString()).toBe('2027-04-01T07:00:00.000Z')
  })

  it('creates the next occurrence once, even when completed twice at once or reopened and completed again', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    await createTaskCommand(rt.db, w.ctx(), { id, fields: fields({ rrule: 'FREQ=DAILY' }) })
    const now = paris('2027-03-25', '10:00')
    await Promise.allSettled([
      completeTaskCommand(rt.db, w.ctx(w.users.admin, { now }), { id }),
      completeTaskCommand(rt.db, w.ctx(w.users.admin, { now }), { id }),
    ])
    expect((await series(id)).map((t) => t.occurrence_index)).toEqual([0, 1])
    await reopenTaskCommand(rt.db, w.ctx(w.users.admin, { now }), { id })
    await completeTaskCommand(rt.db, w.ctx(w.users.admin, { now }), { id })
    expect((await series(id)).map((t) => [t.occurrence_index, t.status])).toEqual([
      [0, 'terminee'],
      [1, 'a_faire'],
    ])
  })

  it('cancelling an occurrence skips it (the series goes on); a series with COUNT ends', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    await createTaskCommand(rt.db, w.ctx(), { id, fields: fields({ rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=2' }) })
    const r = await cancelTaskCommand(rt.db, w.ctx(w.users.admin, { now: paris('2027-03-20') }), { id })
    expect(new Date(r.next!.due_at!).toISOString()).toBe(paris('2027-04-01').toISOString())
    const last = await completeTaskCommand(rt.db, w.ctx(w.users.admin, { now: paris('2027-03-20') }), { id: r.next!.id })
    expect(last.next).toBeNull()
  })
})

describe('task commands', () => {
  it('refuses a link or an assignee from another workspace, changing nothing', async () => {
    const w = await givenWorkspace(rt.db)
    const other = await givenWorkspace(rt.db, 'Autre Atelier')
    const id = randomUUID()
    await expect(createTaskCommand(rt.db, w.ctx(), { id, fields: fields({ assignee_id: other.users.commercial }) })).rejects.toBeInstanceOf(ValidationError)
    expect(await rt.db.selectFrom('tasks').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined()
  })

  it('tells the new assignee, not someone who assigns a task to themselves', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    await createTaskCommand(rt.db, w.ctx(w.users.manager), { id, fields: fields({ assignee_id: w.users.manager }) })
    await updateTaskCommand(rt.db, w.ctx(w.users.manager), { id, expectedVersion: 1, fields: fields({ assignee_id: w.users.commercial }) })
    const notes = await rt.db.selectFrom('notifications').select(['user_id', 'kind', 'title', 'body', 'link']).where('link', '=', `/tasks/${id}`).execute()
    expect(notes).toEqual([
      {
        user_id: w.users.commercial,
        kind: 'task_assigned',
        title: 'Nouvelle tâche : Point hebdo avec Mme Roche',
        body: `manager ${w.emails.manager.slice(8, 16)} vous a confié cette tâche. Échéance : jeudi 25 mars 2027 à 09:00.`,
        link: `/tasks/${id}`,
      },
    ])
    const events = await readStream(rt.db, w.workspaceId, id)
    expect(events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskAssigned'])
    expect(events[1].data).toMatchObject({ from: w.users.manager, to: w.users.commercial })
  })

  it('e-mails the new assignee only when they asked for it', async () => {
    const w = await givenWorkspace(rt.db)
    const [quiet, keen] = [randomUUID(), randomUUID()]
    await createTaskCommand(rt.db, w.ctx(w.users.manager), { id: quiet, fields: fields({ assignee_id: w.users.commercial }) })
    await setPreferences(rt.db, { workspaceId: w.workspaceId, userId: w.users.commercial, preferences: { task_assigned: { email: true, in_app: true } } })
    await createTaskCommand(rt.db, w.ctx(w.users.manager), { id: keen, fields: fields({ assignee_id: w.users.commercial, title: 'Préparer la démo' }) })
    const emails = await rt.db.selectFrom('outbound_emails').select(['to', 'subject', 'template']).where('workspace_id', '=', w.workspaceId).execute()
    expect(emails).toEqual([{ to: w.emails.commercial, subject: 'Nouvelle tâche : Préparer la démo', template: 'task_assigned' }])
  })

  it('refuses a stale version instead of overwriting', async () => {
    const w = await givenWorkspace(rt.db)
    const id = randomUUID()
    await createTaskCommand(rt.db, w.ctx(), { id, fields: fields() })
    await updateTaskCommand(rt.db, w.ctx(), { id, expectedVersion: 1, fields: fields({ title: 'Premier' }) })
    await expect(updateTaskCommand(rt.db, w.ctx(), { id, expectedVersion: 1, fields: fields({ title: 'Second' }) })).rejects.toBeInstanceOf(ConcurrencyError)
  })
})
