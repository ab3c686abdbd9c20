import { describe, expect, it } from 'vitest'
import { NotFoundError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { evolveTask, type TaskEvent, type TaskFields } from './task.js'
import { createTask, moveTask, updateTask } from './task.decide.js'

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: new Date('2027-03-22T08:00:00Z') }
const fields: TaskFields = {
  title: 'Rappeler Mme Roche',
  description: null,
  due_at: '2027-03-25T08:00:00.000Z',
  all_day: false,
  assignee_id: 'u-1',
  priority: 'haute',
  organisation_id: 'org-1',
  contact_id: null,
  deal_id: null,
  rrule: null,
}
const given = (events: TaskEvent[]) => events.reduce((s, e) => evolveTask(s, e), null as ReturnType<typeof evolveTask> | null)
const created = () => createTask(null, { id: 't-1', fields }, ctx)

describe('task decisions', () => {
  it('creates an open task, first of its own series', () => {
    const state = given(created())!
    expect(state).toMatchObject({ id: 't-1', status: 'a_faire', series_id: 't-1', occurrence_index: 0, created_by: 'u-1', priority: 'haute' })
    expect(state.due_at).toEqual(new Date('2027-03-25T08:00:00Z'))
  })

  it('refuses an empty title, an unknown priority and a recurrence without due date, in French', () => {
    try {
      createTask(null, { id: 't-1', fields: { ...fields, title: '  ', priority: 'vite' as never, due_at: null, rrule: 'FREQ=DAILY' } }, ctx)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError)
      expect((e as ValidationError).fieldErrors).toEqual({
        title: 'title.required',
        priority: 'task.priority.unknown',
        recurrence: 'task.recurrence.needs_due_date',
      })
    }
  })

  it('tells a reassignment apart from other changes', () => {
    const state = given(created())
    const events = updateTask(state, { fields: { ...fields, title: 'Rappeler Mme Roche (devis)', assignee_id: 'u-2' } }, ctx)
    expect(events.map((e) => e.type)).toEqual(['TaskUpdated', 'TaskAssigned'])
    expect(events[0].data).toMatchObject({ changes: { title: 'Rappeler Mme Roche (devis)' } })
    expect(events[1].data).toMatchObject({ from: 'u-1', to: 'u-2' })
    expect(updateTask(state, { fields }, ctx)).toEqual([])
  })

  it('completes, reopens and cancels with one event each; moving to the same status records nothing', () => {
    const start = created()
    const done = moveTask(given(start), { to: 'terminee' }, ctx)
    expect(done).toEqual([{ type: 'TaskCompleted', data: { id: 't-1', at: ctx.now.toISOString(), completed_by: 'u-1' } }])
    const doneState = given([...start, ...done])!
    expect(doneState).toMatchObject({ status: 'terminee', completed_at: ctx.now })
    expect(moveTask(doneState, { to: 'terminee' }, ctx)).toEqual([])
    const reopened = moveTask(doneState, { to: 'en_cours' }, ctx)
    expect(reopened.map((e) => e.type)).toEqual(['TaskReopened'])
    expect(given([...start, ...done, ...reopened])).toMatchObject({ status: 'en_cours', completed_at: null })
    expect(moveTask(given(start), { to: 'en_cours' }, ctx).map((e) => e.type)).toEqual(['TaskStatusChanged'])
    expect(moveTask(given(start), { to: 'annulee' }, ctx).map((e) => e.type)).toEqual(['TaskCancelled'])
  })

  it('reopens a cancelled task before completing it', () => {
    const start = created()
    const cancelled = given([...start, ...moveTask(given(start), { to: 'annulee' }, ctx)])
    expect(moveTask(cancelled, { to: 'terminee' }, ctx).map((e) => e.type)).toEqual(['TaskReopened', 'TaskCompleted'])
  })

  it('does not move a task that does not exist', () => {
    expect(() => moveTask(null, { to: 'terminee' }, ctx)).toThrow(NotFoundError)
    expect(() => moveTask(given(created()), { to: 'perdue' as never }, ctx)).toThrow(ValidationError)
  })
})
