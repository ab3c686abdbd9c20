import { randomUUID } from 'node:crypto'
import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appUrl, appUrlWarning } from '../../domain/shared/app-url'
import { parisDateTime } from '../../domain/shared/paris-time'
import type { TaskFields } from '../../domain/tasks/task'
import { completeTaskCommand, createTaskCommand, deleteTaskCommand, reopenTaskCommand } from '../../domain/tasks/task.commands'
import { givenWorkspace } from '../../testing/fixtures'
import { startTestRuntime } from '../../testing/test-runtime'
import { calendarFeed, feedBaseUrl, feedRRule, regenerateCalendarToken } from './calendar-feed.server'

// The calendar feed read back by ical.js, as a calendar app would: recurring tasks as one
// series with RRULE and EXDATE, expanded; stable DTSTAMPs; tasks transparent to free/busy.

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime({ projector: false })
})
afterAll(async () => {
  await rt?.stop()
})

const paris = (day: string, time = '09:00') => parisDateTime(day, time)!
const fields = (over: Partial<TaskFields> = {}): TaskFields => ({
  title: 'Point hebdo',
  description: null,
  due_at: paris('2026-06-18').toISOString(),
  all_day: false,
  assignee_id: null,
  priority: 'normale',
  organisation_id: null,
  contact_id: null,
  deal_id: null,
  rrule: null,
  ...over,
})

async function feedOf(w: Awaited<ReturnType<typeof givenWorkspace>>, user: string) {
  const token = await regenerateCalendarToken(rt.db, { workspaceId: w.workspaceId, userId: user })
  const read = async () => (await calendarFeed(rt.db, token, 'https://crm.exemple.fr'))!
  const body = await read()
  const cal = new ICAL.Component(ICAL.parse(body))
  const events = cal.getAllSubcomponents('vevent')
  return { body, read, cal, events, bySummary: (s: string) => events.filter((v) => v.getFirstPropertyValue('summary') === s) }
}

/** Every occurrence ical.js expands from a VEVENT, as ISO instants (or dates for all-day). */
function expand(v: ICAL.Component, max = 50) {
  const ev = new ICAL.Event(v)
  const it = ev.iterator()
  const out: string[] = []
  for (let next = it.next(); next && out.length < max; next = it.next()) out.push(next.isDate ? next.toString() : next.toJSDate().toISOString())
  return out
}

describe('recurring tasks in the calendar feed', () => {
  it('publishes the series from its open occurrence with RRULE, COUNT left and EXDATE for closed later occurrences', async () => {
    const w = await givenWorkspace(rt.db)
    const me = w.users.manager
    const ctx = w.ctx(me)
    const first = randomUUID()
    // Thursday 18 June 2026 at 09:00, Mondays and Thursdays, six times.
    await createTaskCommand(rt.db, ctx, { id: first, fields: fields({ assignee_id: me, rrule: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6' }) })
    const second = (await completeTaskCommand(rt.db, ctx, { id: first })).next!.id // Mon 22
    const third = (await completeTaskCommand(rt.db, ctx, { id: second })).next!.id // Thu 25
    const fourth = (await completeTaskCommand(rt.db, ctx, { id: third })).next!.id // Mon 29
    await reopenTaskCommand(rt.db, ctx, { id: second })
    await deleteTaskCommand(rt.db, ctx, { id: fourth })

    const { body, events, bySummary } = await feedOf(w, me)
    expect(events).toHaveLength(1)
    const [series] = bySummary('Point hebdo')
    expect(body).toContain('\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=5\r\n')
    expect(body).toContain('\r\nEXDATE;TZID=Europe/Paris:20260625T090000\r\n')
    expect(series.getAllProperties('exdate')).toHaveLength(2)
    const row = await rt.db.selectFrom('tasks').select('series_id').where('id', '=', first).executeTakeFirstOrThrow()
    expect(series.getFirstPropertyValue('uid')).toBe(`${row.series_id}@alforis-crm`)
    expect(series.getFirstPropertyValue('transp')).toBe('TRANSPARENT')
    // Monday 22 (reopened), Thursday 25 done and Monday 29 deleted left out, then the last two.
    expect(expand(series)).toEqual(['2026-06-22T07:00:00.000Z', '2026-07-02T07:00:00.000Z', '2026-07-06T07:00:00.000Z'])
    expect(series.getFirstPropertyValue('url')).toBe(`https://crm.exemple.fr/tasks/${second}`)
  })

  it('keeps 09:00 in Paris across the change to winter time, and expands all-day rules by date', async () => {
    const w = await givenWorkspace(rt.db)
    const me = w.users.commercial
    await createTaskCommand(rt.db, w.ctx(me), {
      id: randomUUID(),
      fields: fields({ title: 'Relevé quotidien', assignee_id: me, due_at: paris('2026-10-23').toISOString(), rrule: 'FREQ=DAILY;COUNT=4' }),
    })
    await createTaskCommand(rt.db, w.ctx(me), {
      id: randomUUID(),
      fields: fields({
        title: 'Clôture du mois',
        assignee_id: me,
        all_day: true,
        due_at: paris('2026-07-31', '00:00').toISOString(),
        rrule: 'FREQ=MONTHLY;UNTIL=20261130T235959',
      }),
    })
    const { bySummary } = await feedOf(w, me)
    expect(expand(bySummary('Relevé quotidien')[0])).toEqual([
      '2026-10-23T07:00:00.000Z',
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ])
    const monthly = bySummary('Clôture du mois')[0]
    expect(monthly.getFirstPropertyValue('rrule')!.toString()).toBe('FREQ=MONTHLY;UNTIL=20261130')
    // 31 July: months without a 31st have no occurrence (RFC 5545), as the task's own rule.
    expect(expand(monthly)).toEqual(['2026-07-31', '2026-08-31', '2026-10-31'])
  })

  it('stamps each event with its last revision, not the download time: an unchanged feed is byte-identical', async () => {
    const w = await givenWorkspace(rt.db)
    const me = w.users.admin
    const id = randomUUID()
    await createTaskCommand(rt.db, w.ctx(me), { id, fields: fields({ title: 'Appel unique', assignee_id: me }) })
    const { body, read, bySummary } = await feedOf(w, me)
    const [event] = bySummary('Appel unique')
    const row = await rt.db.selectFrom('tasks').select('updated_at').where('id', '=', id).executeTakeFirstOrThrow()
    expect(event.getFirstPropertyValue('dtstamp')!.toString()).toBe(ICAL.Time.fromJSDate(new Date(row.updated_at), true).toString())
    expect(event.getFirstPropertyValue('transp')).toBe('TRANSPARENT')
    expect(event.getFirstProperty('rrule')).toBeNull()
    expect(await read()).toBe(body)
    for (const line of body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75)
  })
})

describe('the rule as published', () => {
  it('counts down COUNT, writes UNTIL in UTC beside a Paris time and as a date for all-day tasks', () => {
    expect(feedRRule('FREQ=WEEKLY;BYDAY=MO;COUNT=10', { occurrence_index: 3, all_day: false })).toBe('FREQ=WEEKLY;BYDAY=MO;COUNT=7')
    expect(feedRRule('FREQ=WEEKLY;BYDAY=MO;COUNT=10', { occurrence_index: 9, all_day: false })).toBeNull()
    expect(feedRRule('FREQ=DAILY;UNTIL=20270115T235959', { occurrence_index: 0, all_day: false })).toBe('FREQ=DAILY;UNTIL=20270115T225959Z')
    expect(feedRRule('FREQ=DAILY;UNTIL=20270715T235959', { occurrence_index: 0, all_day: true })).toBe('FREQ=DAILY;UNTIL=20270715')
  })
})

describe('APP_URL', () => {
  it('is the one base of e-mail and feed links, with a warning when production lacks it', () => {
    expect(appUrl(undefined, { APP_URL: 'https://crm.mon-domaine.fr/' })).toBe('https://crm.mon-domaine.fr')
    expect(appUrl('http://10.0.0.5:3000', {})).toBe('http://10.0.0.5:3000')
    expect(appUrl(undefined, { PORT: '4000' })).toBe('http://localhost:4000')
    const before = process.env.APP_URL
    process.env.APP_URL = 'https://crm.mon-domaine.fr'
    try {
      expect(feedBaseUrl(new Request('http://127.0.0.1:3000/settings/calendar'))).toBe('https://crm.mon-domaine.fr')
    } finally {
      if (before === undefined) delete process.env.APP_URL
      else process.env.APP_URL = before
    }
    expect(appUrlWarning({ NODE_ENV: 'production' })).toContain('APP_URL n’est pas défini')
    expect(appUrlWarning({ NODE_ENV: 'production', APP_URL: 'https://crm.mon-domaine.fr' })).toBeNull()
    expect(appUrlWarning({ NODE_ENV: 'development' })).toBeNull()
  })
})
