import { describe, expect, it } from 'vitest'
import { ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { createTask } from './task.decide.js'
import type { TaskFields } from './task.js'

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: new Date('2027-03-22T08:00:00Z') }
const OUT_OF_RANGE = { code: 'date.out_of_range', params: { min: '1900', max: '2100' } }
const fields: TaskFields = {
  title: 'Rappeler Mme Roche',
  description: null,
  due_at: '2027-03-25T08:00:00.000Z',
  all_day: false,
  assignee_id: 'u-1',
  priority: 'haute',
  organisation_id: null,
  contact_id: null,
  deal_id: null,
  rrule: null,
}
const newTask = (f: Partial<TaskFields>) => createTask(null, { id: 't-1', fields: { ...fields, ...f } }, ctx)

function refusal(run: () => unknown): FieldProblems {
  try {
    run()
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors
    throw e
  }
  throw new Error('accepted')
}

describe('a task', () => {
  it('is due between 1900 and 2100', () => {
    expect(refusal(() => newTask({ due_at: '2200-01-01T08:00:00.000Z' }))).toEqual({ due_date: OUT_OF_RANGE })
    expect(refusal(() => newTask({ due_at: 'demain' }))).toEqual({ due_date: 'task.due_date.invalid' })
  })

  it('recurs until a day between 1900 and 2100', () => {
    expect(refusal(() => newTask({ rrule: 'FREQ=DAILY;UNTIL=99991231T235959' }))).toEqual({ recurrence_until: OUT_OF_RANGE })
  })

  it('has a title without control characters and a bounded description that may span lines', () => {
    expect(refusal(() => newTask({ title: 'Rappeler\tMme Roche' }))).toEqual({ title: 'text.control_characters' })
    expect(refusal(() => newTask({ description: 'x'.repeat(5001) }))).toEqual({ description: { code: 'description.too_long', params: { max: 5000 } } })
    expect(newTask({ description: 'Points :\r\n\t- prix' })[0].data).toMatchObject({ description: 'Points :\n\t- prix' })
  })
})
