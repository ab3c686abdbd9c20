import { describe, expect, it } from 'vitest'
import { fromWallClock, parisDateTime, parisDay, toWallClock } from '../shared/paris-time.js'
import { describeRecurrence, parseRRule, recurrenceErrors, toRRule, type Recurrence } from './recurrence.js'
import { nextOccurrence } from './recurrence.next.js'

const paris = (day: string, time = '09:00') => parisDateTime(day, time)!
const weekly: Recurrence = { freq: 'weekly', interval: 1, byDay: ['MO', 'TH'], end: { kind: 'never' } }

describe('Paris wall clock', () => {
  it('maps 09:00 Paris to 08:00Z in winter and 07:00Z in summer', () => {
    expect(paris('2027-03-25').toISOString()).toBe('2027-03-25T08:00:00.000Z')
    expect(paris('2027-03-29').toISOString()).toBe('2027-03-29T07:00:00.000Z')
    expect(toWallClock(new Date('2027-03-29T07:00:00Z')).toISOString()).toBe('2027-03-29T09:00:00.000Z')
  })

  it('resolves the hour skipped by spring-forward to the hour after', () => {
    // 2027-03-28 02:30 does not exist in Paris.
    expect(fromWallClock(new Date('2027-03-28T02:30:00Z')).toISOString()).toBe('2027-03-28T01:30:00.000Z')
  })

  it('knows the Paris day of a late-evening UTC instant', () => {
    expect(parisDay(new Date('2026-11-27T23:30:00Z'))).toBe('2026-11-28')
  })

  it('refuses dates that are not on the calendar', () => {
    expect(parisDateTime('2027-02-30', '09:00')).toBeNull()
    expect(parisDateTime('2027-02-03', '24:00')).toBeNull()
  })
})

describe('recurrence rules', () => {
  it('writes and reads back the RRULE of each editor choice', () => {
    const cases: [Recurrence, string][] = [
      [{ freq: 'daily', interval: 1, byDay: [], end: { kind: 'never' } }, 'FREQ=DAILY'],
      [{ ...weekly, byDay: ['TH', 'MO'] }, 'FREQ=WEEKLY;BYDAY=MO,TH'],
      [{ freq: 'weekly', interval: 2, byDay: ['FR'], end: { kind: 'count', count: 10 } }, 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;COUNT=10'],
      [{ freq: 'monthly', interval: 1, byDay: [], end: { kind: 'until', date: '2027-12-31' } }, 'FREQ=MONTHLY;UNTIL=20271231T235959'],
    ]
    for (const [r, text] of cases) {
      expect(toRRule(r)).toBe(text)
      expect(parseRRule(text)).toEqual({ ...r, byDay: [...r.byDay].sort((a, b) => 'MOTUWETHFRSASU'.indexOf(a) - 'MOTUWETHFRSASU'.indexOf(b)) })
    }
  })

  it('refuses what the editor cannot express', () => {
    for (const bad of [
      'FREQ=HOURLY',
      'FREQ=DAILY;BYDAY=MO',
      'FREQ=WEEKLY;BYDAY=XX',
      'FREQ=DAILY;COUNT=0',
      'FREQ=DAILY;COUNT=2;UNTIL=20270101',
      'FREQ=DAILY;BYHOUR=9',
      'n’importe quoi',
    ]) {
      expect(parseRRule(bad), bad).toBeNull()
    }
  })

  it('explains in French what is wrong with a recurrence', () => {
    expect(recurrenceErrors({ ...weekly, byDay: [] }, '2027-03-22')).toEqual({ recurrence_days: 'task.recurrence.days.required' })
    expect(recurrenceErrors({ ...weekly, end: { kind: 'until', date: '2027-03-01' } }, '2027-03-22')).toEqual({
      recurrence_until: 'task.recurrence.until.before_due',
    })
  })

  it('describes itself in French', () => {
    expect(describeRecurrence({ ...weekly, end: { kind: 'count', count: 10 } })).toBe('Chaque semaine le lundi et le jeudi, 10 fois')
    expect(describeRecurrence({ freq: 'monthly', interval: 3, byDay: [], end: { kind: 'until', date: '2027-12-31' } })).toBe(
      'Tous les 3 mois, jusqu’au 31/12/2027',
    )
  })
})

describe('the next occurrence', () => {
  const rule = 'FREQ=WEEKLY;BYDAY=MO,TH'

  it('follows Monday with Thursday and Thursday with Monday, at 09:00 Paris across the spring DST change', () => {
    // Thursday 25 March 2027 09:00 (UTC+1) → Monday 29 March 09:00 (UTC+2, clocks changed on the 28th).
    const thu = nextOccurrence({ rrule: rule, dueAt: paris('2027-03-22'), index: 0, now: paris('2027-03-22', '08:00') })
    expect(thu).toEqual({ dueAt: paris('2027-03-25'), index: 1 })
    const mon = nextOccurrence({ rrule: rule, dueAt: thu!.dueAt, index: 1, now: paris('2027-03-25', '10:00') })
    expect(mon!.dueAt.toISOString()).toBe('2027-03-29T07:00:00.000Z')
    expect(toWallClock(mon!.dueAt).toISOString()).toBe('2027-03-29T09:00:00.000Z')
    expect(mon!.index).toBe(2)
  })

  it('keeps 09:00 across the autumn change too', () => {
    const n = nextOccurrence({ rrule: rule, dueAt: paris('2027-10-28'), index: 5, now: paris('2027-10-28') })
    expect(n).toEqual({ dueAt: paris('2027-11-01'), index: 6 })
    expect(n!.dueAt.toISOString()).toBe('2027-11-01T08:00:00.000Z')
  })

  it('skips occurrences already past when closed late, counting them', () => {
    // Monday's task closed on Friday: Thursday is skipped, next Monday follows.
    const n = nextOccurrence({ rrule: rule, dueAt: paris('2027-03-22'), index: 0, now: paris('2027-03-26', '15:00') })
    expect(n).toEqual({ dueAt: paris('2027-03-29'), index: 2 })
  })

  it('ends after COUNT occurrences and after UNTIL', () => {
    expect(nextOccurrence({ rrule: 'FREQ=DAILY;COUNT=3', dueAt: paris('2027-01-01'), index: 1, now: paris('2027-01-01') })).toEqual({
      dueAt: paris('2027-01-02'),
      index: 2,
    })
    expect(nextOccurrence({ rrule: 'FREQ=DAILY;COUNT=3', dueAt: paris('2027-01-02'), index: 2, now: paris('2027-01-02') })).toBeNull()
    expect(nextOccurrence({ rrule: 'FREQ=DAILY;UNTIL=20270102T235959', dueAt: paris('2027-01-01'), index: 0, now: paris('2027-01-01') })).toEqual({
      dueAt: paris('2027-01-02'),
      index: 1,
    })
    expect(nextOccurrence({ rrule: 'FREQ=DAILY;UNTIL=20270102T235959', dueAt: paris('2027-01-02'), index: 1, now: paris('2027-01-02') })).toBeNull()
  })

  it('keeps all-day tasks at midnight Paris and monthly tasks on their day', () => {
    const n = nextOccurrence({ rrule: 'FREQ=MONTHLY', dueAt: paris('2027-03-15', '00:00'), index: 0, now: paris('2027-03-01') })
    expect(n!.dueAt.toISOString()).toBe(paris('2027-04-15', '00:00').toISOString())
    expect(parisDay(n!.dueAt)).toBe('2027-04-15')
  })

  it('honours an interval of two weeks', () => {
    const n = nextOccurrence({ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', dueAt: paris('2027-03-25'), index: 1, now: paris('2027-03-25') })
    expect(n!.dueAt.toISOString()).toBe(paris('2027-04-05').toISOString())
  })
})
