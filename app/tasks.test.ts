import { randomUUID } from 'node:crypto'
import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../domain/identity/identity.commands.js'
import { parisDateTime, toWallClock } from '../domain/shared/paris-time.js'
import type { TaskFields } from '../domain/tasks/task.js'
import { completeTaskCommand, createTaskCommand } from '../domain/tasks/task.commands.js'
import { decodeEntities, fieldError, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'

// Tasks over real HTTP: JS-off forms, quick moves, the board's move form, role
// visibility, tenancy, and the private iCalendar feed read back by a strict parser.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let b: Awaited<ReturnType<typeof givenWorkspace>>
let other: string // a commercial outside the team
let admin: WebClient
let rep: WebClient
let manager: WebClient
let outsider: WebClient
let org: string
let repDeal: string
let otherDeal: string

const paris = (day: string, time = '09:00') => parisDateTime(day, time)!
const fields = (over: Partial<TaskFields> = {}): TaskFields => ({
  title: 'Relancer le devis',
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
async function givenTask(actor: string, over: Partial<TaskFields> = {}, workspace = w) {
  const id = randomUUID()
  await createTaskCommand(app.rt.db, workspace.ctx(actor), { id, fields: fields(over) })
  return id
}
const taskRow = (id: string) => app.rt.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const taskForm = (over: Record<string, string> = {}) => ({
  title: 'Rappeler Mme Roche',
  description: 'Au sujet du devis de menuiserie.',
  due_date: '2027-03-25',
  due_time: '09:00',
  priority: 'haute',
  assignee_id: '',
  organisation_id: '',
  contact_id: '',
  deal_id: '',
  recurrence: 'none',
  recurrence_interval: '1',
  recurrence_end: 'never',
  recurrence_until: '',
  recurrence_count: '',
  commandId: randomUUID(),
  ...over,
})
async function postEntries(client: WebClient, path: string, entries: [string, string][]) {
  const body = new URLSearchParams(entries)
  body.set('csrf', client.csrf)
  const res = await client.request(path, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
  return { res, html: await res.text() }
}
async function fingerprint(id: string) {
  const row = await taskRow(id)
  const events = await app.rt.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('stream_id', '=', id)
    .executeTakeFirstOrThrow()
  return { version: row.version, status: row.status, title: row.title, events: Number(events.n) }
}

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  b = await givenWorkspace(app.rt.db, 'Autre Espace')
  other = await createUser(app.rt.db, {
    workspaceId: w.workspaceId,
    email: `autre-${randomUUID().slice(0, 8)}@exemple.fr`,
    fullName: 'Autre Commercial',
    password: TEST_PASSWORD,
    role: 'commercial',
  })
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Boulangerie Martin', ownerId: w.users.commercial })
  repDeal = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Four à sole', ownerId: w.users.commercial })
  otherDeal = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: "Pétrin de l'autre", ownerId: other })
  ;[admin, rep, manager] = await Promise.all([app.login(w.emails.admin), app.login(w.emails.commercial), app.login(w.emails.manager)])
  outsider = await app.login(b.emails.admin)
})
afterAll(async () => {
  await app?.stop()
})

describe('creating a task without JavaScript', () => {
  it('creates it from the plain form, due 09:00 Paris, and shows it in "Mes tâches"', async () => {
    const form = taskForm()
    const { res } = await rep.post('/tasks/new', form)
    expect(res.status).toBe(302)
    const id = res.headers.get('location')!.match(/\/tasks\/([0-9a-f-]{36})/)![1]
    const task = await taskRow(id)
    expect(task).toMatchObject({
      title: 'Rappeler Mme Roche',
      priority: 'haute',
      status: 'a_faire',
      all_day: false,
      created_by: w.users.commercial,
      workspace_id: w.workspaceId,
      rrule: null,
    })
    expect(new Date(task.due_at!).toISOString()).toBe('2027-03-25T08:00:00.000Z')
    // The same command id again (a double submit) creates nothing more.
    const again = await rep.post('/tasks/new', form)
    expect(again.res.headers.get('location')).toContain(id)
    expect(
      await app.rt.db.selectFrom('tasks').select('id').where('title', '=', 'Rappeler Mme Roche').where('workspace_id', '=', w.workspaceId).execute(),
    ).toHaveLength(1)
    const list = textOf((await rep.get('/tasks')).html)
    expect(list).toContain('Rappeler Mme Roche')
    expect(list).toContain('25/03/2027 09:00')
  })

  it('refuses bad input beside the fields, in French, keeping what was typed and creating nothing', async () => {
    const before = await app.rt.db.selectFrom('tasks').select('id').where('workspace_id', '=', w.workspaceId).execute()
    const { res, html } = await postEntries(
      rep,
      '/tasks/new',
      Object.entries(taskForm({ title: '  ', due_time: '25:00', recurrence: 'weekly', recurrence_end: 'count', recurrence_count: '0' })),
    )
    expect(res.status).toBe(400)
    expect(fieldError(html, 'title')).toBe('L’intitulé est obligatoire.')
    expect(fieldError(html, 'due_time')).toBe('Heure invalide (HH:MM).')
    expect(fieldError(html, 'recurrence_count')).toBe('Indiquez un nombre d’occurrences entre 1 et 500.')
    expect(decodeEntities(html)).toContain('Au sujet du devis de menuiserie.')
    expect(await app.rt.db.selectFrom('tasks').select('id').where('workspace_id', '=', w.workspaceId).execute()).toHaveLength(before.length)
  })

  it("refuses a priority that is not one of the domain's (priority=bogus) with a 422 beside the field, keeping what was typed", async () => {
    const before = await app.rt.db.selectFrom('tasks').select('id').where('workspace_id', '=', w.workspaceId).execute()
    const { res, html } = await rep.post('/tasks/new', taskForm({ priority: 'bogus' }))
    expect(res.status).toBe(422)
    expect(fieldError(html, 'priority')).toBe('Priorité inconnue.')
    expect(decodeEntities(html)).toContain('Au sujet du devis de menuiserie.')
    expect(await app.rt.db.selectFrom('tasks').select('id').where('workspace_id', '=', w.workspaceId).execute()).toHaveLength(before.length)

    const id = await givenTask(w.users.commercial, { assignee_id: w.users.commercial })
    const unchanged = await fingerprint(id)
    const update = await rep.post(`/tasks/${id}`, { ...taskForm({ title: 'Nouveau titre', priority: 'bogus' }), intent: 'update', version: '1' })
    expect(update.res.status).toBe(422)
    expect(fieldError(update.html, 'priority')).toBe('Priorité inconnue.')
    expect(await fingerprint(id)).toEqual(unchanged)
  })

  it('stores the recurrence editor choices as an RRULE, and an empty time as an all-day task', async () => {
    const { res } = await postEntries(rep, '/tasks/new', [
      ...Object.entries(
        taskForm({ title: 'Point hebdo', due_time: '', due_date: '2027-03-22', recurrence: 'weekly', recurrence_end: 'count', recurrence_count: '10' }),
      ),
      ['recurrence_days', 'TH'],
      ['recurrence_days', 'MO'],
    ])
    expect(res.status).toBe(302)
    const id = res.headers.get('location')!.match(/\/tasks\/([0-9a-f-]{36})/)![1]
    const task = await taskRow(id)
    expect(task).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10', all_day: true })
    expect(toWallClock(new Date(task.due_at!)).toISOString()).toBe('2027-03-22T00:00:00.000Z')
    const page = textOf((await rep.get(`/tasks/${id}`)).html)
    expect(page).toContain('Chaque semaine le lundi et le jeudi, 10 fois')
  })

  it('prefills the links from a deal page and comes back to it', async () => {
    const deal = textOf((await rep.get(`/deals/${repDeal}`)).html)
    expect(deal).toContain('Tâches')
    const href = `/tasks/new?deal=${repDeal}&amp;redirectTo=${encodeURIComponent(`/deals/${repDeal}`)}`
    expect((await rep.get(`/deals/${repDeal}`)).html).toContain(href)
    const { html } = await rep.get(`/tasks/new?deal=${repDeal}&redirectTo=/deals/${repDeal}`)
    expect(html).toMatch(new RegExp(`<option value="${repDeal}" selected`))
    expect(html).toMatch(new RegExp(`<option value="${org}" selected`))
    const { res } = await rep.post(
      '/tasks/new',
      taskForm({ title: 'Envoyer la fiche technique du four', deal_id: repDeal, organisation_id: org, redirectTo: `/deals/${repDeal}` }),
    )
    expect(res.headers.get('location')).toBe(`/deals/${repDeal}#taches`)
    expect(textOf((await rep.get(`/deals/${repDeal}`)).html)).toContain('Envoyer la fiche technique du four')
    expect(textOf((await rep.get(`/organisations/${org}`)).html)).toContain('Envoyer la fiche technique du four')
  })

  it('refuses to link a deal the user cannot see', async () => {
    const { res, html } = await rep.post('/tasks/new', taskForm({ title: 'Espionner', deal_id: otherDeal }))
    expect(res.status).toBe(400)
    expect(fieldError(html, 'deal_id')).toBe('Introuvable ou non visible pour vous.')
  })
})

describe('completing without JavaScript', () => {
  it('completes from the list (quick form) and comes back with a message', async () => {
    const id = await givenTask(w.users.commercial, { title: 'Appeler le comptable', assignee_id: w.users.commercial })
    const { html } = await rep.get('/tasks')
    expect(decodeEntities(html)).toContain('aria-label="Terminer « Appeler le comptable »"')
    const { res } = await rep.post('/tasks?index', { intent: 'move', taskId: id, to: 'terminee', version: '1', commandId: randomUUID(), redirectTo: '/tasks' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/tasks?deplace=${id}`)
    expect(await taskRow(id)).toMatchObject({ status: 'terminee' })
    expect(textOf((await rep.get(res.headers.get('location')!)).html)).toContain('« Appeler le comptable » : Terminée.')
  })

  it('completes a recurring occurrence from its page and links to the next one', async () => {
    const id = await givenTask(w.users.commercial, {
      title: 'Point hebdo équipe',
      assignee_id: w.users.commercial,
      due_at: paris('2099-03-23').toISOString(),
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TH',
    })
    const { res } = await rep.post(`/tasks/${id}`, { intent: 'move', to: 'terminee', version: '1', commandId: randomUUID() })
    expect(res.status).toBe(302)
    const next = new URL(res.headers.get('location')!, app.url).searchParams.get('suivante')!
    expect(await taskRow(next)).toMatchObject({ series_id: id, occurrence_index: 1, status: 'a_faire' })
    expect(textOf((await rep.get(res.headers.get('location')!)).html)).toContain('Prochaine occurrence : 26/03/2099 09:00')
  })

  it('says the task changed meanwhile instead of overwriting', async () => {
    const id = await givenTask(w.users.commercial, { assignee_id: w.users.commercial })
    const before = await fingerprint(id)
    const { res, html } = await rep.post(`/tasks/${id}`, { ...taskForm({ title: 'Nouveau titre' }), intent: 'update', version: '0' })
    expect(res.status).toBe(409)
    expect(decodeEntities(html)).toContain('modifié par quelqu’un d’autre')
    expect(await fingerprint(id)).toEqual(before)
  })
})

describe('the board without JavaScript', () => {
  it('moves a card with its form and redirects back to the board', async () => {
    const id = await givenTask(w.users.commercial, { title: 'Préparer la démo', assignee_id: w.users.commercial })
    const board = await rep.get('/tasks/board')
    expect(board.html).toContain(`id="statut-${id}"`)
    const { res } = await rep.post('/tasks/board', { intent: 'move', taskId: id, to: 'en_cours', version: '1', commandId: randomUUID() })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/tasks/board?deplace=${id}#carte-${id}`)
    expect(await taskRow(id)).toMatchObject({ status: 'en_cours' })
    const events = await app.rt.db.selectFrom('events').select('type').where('stream_id', '=', id).orderBy('stream_version').execute()
    expect(events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskStatusChanged'])
  })

  it('answers a drag (js=1) with JSON, and a refusal without changing anything', async () => {
    const id = await givenTask(w.users.commercial, { assignee_id: w.users.commercial })
    const ok = await rep.post('/tasks/board', { intent: 'move', js: '1', taskId: id, to: 'terminee', version: '1', commandId: randomUUID() })
    expect(ok.res.status).toBe(200)
    const stale = await rep.post('/tasks/board', { intent: 'move', js: '1', taskId: id, to: 'a_faire', version: '1', commandId: randomUUID() })
    expect(stale.res.status).toBe(409)
    expect(await taskRow(id)).toMatchObject({ status: 'terminee', version: 2 })
  })
})

describe('who sees which task', () => {
  let tasks: Record<'repOwn' | 'repCreated' | 'other' | 'onRepDeal' | 'onOtherDeal' | 'adminPrivate', string>
  beforeAll(async () => {
    tasks = {
      repOwn: await givenTask(w.users.admin, { title: 'Tâche attribuée au commercial', assignee_id: w.users.commercial }),
      repCreated: await givenTask(w.users.commercial, { title: 'Créée par le commercial pour un autre', assignee_id: other }),
      other: await givenTask(other, { title: "Tâche privée de l'autre", assignee_id: other }),
      onRepDeal: await givenTask(other, { title: "Sur l'affaire du commercial", assignee_id: other, deal_id: repDeal }),
      onOtherDeal: await givenTask(other, { title: "Sur l'affaire de l'autre", assignee_id: other, deal_id: otherDeal }),
      adminPrivate: await givenTask(w.users.admin, { title: "Tâche de l'administrateur", assignee_id: w.users.admin }),
    }
  })

  it('a commercial: assigned to them, created by them, or linked to a record they can see — nothing else (404)', async () => {
    for (const k of ['repOwn', 'repCreated', 'onRepDeal'] as const) expect((await rep.get(`/tasks/${tasks[k]}`)).res.status, k).toBe(200)
    for (const k of ['other', 'onOtherDeal', 'adminPrivate'] as const) expect((await rep.get(`/tasks/${tasks[k]}`)).res.status, k).toBe(404)
    const all = textOf((await rep.get('/tasks?qui=toutes')).html)
    expect(all).toContain('Tâche attribuée au commercial')
    expect(all).toContain("Sur l'affaire du commercial")
    expect(all).not.toContain("Tâche privée de l'autre")
    expect(all).not.toContain("Tâche de l'administrateur")
    const mine = textOf((await rep.get('/tasks')).html)
    expect(mine).toContain('Tâche attribuée au commercial')
    expect(mine).not.toContain("Sur l'affaire du commercial")
  })

  it('reads a task seen through a linked record but cannot change it (403, nothing changed)', async () => {
    const page = textOf((await rep.get(`/tasks/${tasks.onRepDeal}`)).html)
    expect(page).toContain('Lecture seule')
    const before = await fingerprint(tasks.onRepDeal)
    expect((await rep.post(`/tasks/${tasks.onRepDeal}`, { intent: 'move', to: 'terminee', version: '1', commandId: randomUUID() })).res.status).toBe(403)
    expect(
      (await rep.post('/tasks?index', { intent: 'move', taskId: tasks.onRepDeal, to: 'terminee', version: '1', commandId: randomUUID() })).res.status,
    ).toBe(403)
    expect(await fingerprint(tasks.onRepDeal)).toEqual(before)
  })

  it("a manager: their team's tasks, not those of people outside it", async () => {
    expect((await manager.get(`/tasks/${tasks.repOwn}`)).res.status).toBe(200)
    expect((await manager.get(`/tasks/${tasks.repCreated}`)).res.status).toBe(200) // created by a team member
    expect((await manager.get(`/tasks/${tasks.other}`)).res.status).toBe(404)
    expect((await manager.get(`/tasks/${tasks.adminPrivate}`)).res.status).toBe(404)
    const team = textOf((await manager.get('/tasks?qui=equipe')).html)
    expect(team).toContain('Tâche attribuée au commercial')
    expect(team).not.toContain("Tâche privée de l'autre")
    // A team member's task is the manager's to change.
    expect((await manager.post(`/tasks/${tasks.repOwn}`, { intent: 'move', to: 'en_cours', version: '1', commandId: randomUUID() })).res.status).toBe(302)
  })

  it('an admin: every task of the workspace', async () => {
    for (const id of Object.values(tasks)) expect((await admin.get(`/tasks/${id}`)).res.status).toBe(200)
  })
})

describe('tenancy', () => {
  it("another workspace's task ids are 404 on every task route, and nothing changes", async () => {
    const id = await givenTask(w.users.admin, { title: 'Tâche du premier espace', assignee_id: w.users.admin })
    const before = await fingerprint(id)
    expect((await outsider.get(`/tasks/${id}`)).res.status).toBe(404)
    expect((await outsider.post(`/tasks/${id}`, { ...taskForm(), intent: 'update', version: '1' })).res.status).toBe(404)
    expect((await outsider.post(`/tasks/${id}`, { intent: 'move', to: 'terminee', version: '1', commandId: randomUUID() })).res.status).toBe(404)
    expect((await outsider.post('/tasks?index', { intent: 'move', taskId: id, to: 'terminee', version: '1', commandId: randomUUID() })).res.status).toBe(404)
    expect((await outsider.post('/tasks/board', { intent: 'move', taskId: id, to: 'annulee', version: '1', commandId: randomUUID() })).res.status).toBe(404)
    expect(textOf((await outsider.get('/tasks?qui=toutes')).html)).not.toContain('Tâche du premier espace')
    expect(textOf((await outsider.get('/tasks/calendar?qui=toutes&mois=2027-03')).html)).not.toContain('Tâche du premier espace')
    expect(await fingerprint(id)).toEqual(before)
  })

  it("refuses to link another workspace's records or people, creating nothing", async () => {
    const before = await app.rt.db.selectFrom('tasks').select('id').where('workspace_id', '=', b.workspaceId).execute()
    const r1 = await outsider.post('/tasks/new', taskForm({ organisation_id: org }))
    expect(r1.res.status).toBe(400)
    expect(fieldError(r1.html, 'organisation_id')).toBe('Introuvable ou non visible pour vous.')
    const r2 = await outsider.post('/tasks/new', taskForm({ assignee_id: w.users.commercial }))
    expect(r2.res.status).toBe(400)
    expect(fieldError(r2.html, 'assignee_id')).toBe('Personne introuvable.')
    expect(await app.rt.db.selectFrom('tasks').select('id').where('workspace_id', '=', b.workspaceId).execute()).toHaveLength(before.length)
  })
})

describe('calendar views', () => {
  it('shows the month grid and the phone week with the task on its day', async () => {
    await givenTask(w.users.commercial, { title: 'Visite chantier', assignee_id: w.users.commercial, due_at: paris('2027-03-24', '14:30').toISOString() })
    const { res, html } = await rep.get('/tasks/calendar?mois=2027-03&semaine=2027-03-22')
    expect(res.status).toBe(200)
    const text = textOf(html)
    expect(text).toContain('mars 2027')
    expect(text).toContain('14:30 </span>Visite chantier')
    expect(text).toContain('Semaine du lundi 22 mars')
    expect(html).toContain('href="/tasks/new?date=2027-03-24"')
  })
})

describe('the private calendar feed', () => {
  it('lists only the owner’s open tasks with a due date, and parses in a strict iCalendar parser', async () => {
    const client = await app.login(w.emails.manager)
    const open = await givenTask(w.users.admin, {
      title: 'Réunion, bilan; trimestre',
      assignee_id: w.users.manager,
      description: 'Ordre du jour :\n- chiffres\n- objectifs',
      deal_id: repDeal,
    })
    const allDay = await givenTask(w.users.manager, { title: 'Salon Batimat', all_day: true, due_at: paris('2027-03-28', '00:00').toISOString() })
    const done = await givenTask(w.users.manager, { title: 'Déjà faite', assignee_id: w.users.manager })
    await completeTaskCommand(app.rt.db, w.ctx(w.users.manager), { id: done })
    await givenTask(w.users.manager, { title: 'Sans échéance', assignee_id: w.users.manager, due_at: null })
    await givenTask(w.users.manager, { title: "Pour quelqu'un d'autre", assignee_id: w.users.commercial })

    const page = await client.get('/settings/calendar')
    expect(page.res.status).toBe(200)
    const created = await client.post('/settings/calendar', { intent: 'generate' })
    expect(created.res.status).toBe(200)
    const url = /value="(http:\/\/[^"]+\/calendar\/[A-Za-z0-9_-]{43}\.ics)"/.exec(created.html)![1]
    const token = url.match(/calendar\/(.+)\.ics$/)![1]
    // Only its hash is stored.
    const stored = await app.rt.db.selectFrom('calendar_tokens').selectAll().where('user_id', '=', w.users.manager).executeTakeFirstOrThrow()
    expect(stored.token_hash).not.toContain(token)
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/)

    const res = await fetch(url) // no cookie: calendar apps have none
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8')
    const body = await res.text()
    // RFC 5545: CRLF line ends, lines folded at 75 octets.
    expect(body.endsWith('END:VCALENDAR\r\n')).toBe(true)
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/)
    for (const line of body.split('\r\n')) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75)

    const cal = new ICAL.Component(ICAL.parse(body))
    expect(cal.name).toBe('vcalendar')
    expect(cal.getFirstPropertyValue('version')).toBe('2.0')
    expect(cal.getFirstPropertyValue('prodid')).toBeTruthy()
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v))
    expect(events.map((e) => e.summary).sort()).toEqual(['Réunion, bilan; trimestre', 'Salon Batimat'])
    for (const v of cal.getAllSubcomponents('vevent')) {
      expect(v.getFirstPropertyValue('uid')).toBeTruthy()
      expect(v.getFirstPropertyValue('dtstamp')).toBeTruthy()
    }
    const meeting = events.find((e) => e.summary.startsWith('Réunion'))!
    expect(meeting.uid).toBe(`${open}@alforis-crm`)
    expect(meeting.startDate.toJSDate().toISOString()).toBe('2027-03-25T08:00:00.000Z')
    expect(meeting.description).toContain('Affaire : Four à sole')
    expect(meeting.description).toContain('- chiffres')
    const salon = events.find((e) => e.summary === 'Salon Batimat')!
    expect(salon.startDate.isDate).toBe(true)
    expect(salon.startDate.toString()).toBe('2027-03-28')
    expect(salon.uid).toBe(`${allDay}@alforis-crm`)

    // A new link replaces the old one; a revoked link is gone.
    const again = await client.post('/settings/calendar', { intent: 'generate' })
    const url2 = /value="(http:\/\/[^"]+\.ics)"/.exec(again.html)![1]
    expect((await fetch(url)).status).toBe(404)
    expect((await fetch(url2)).status).toBe(200)
    await client.post('/settings/calendar', { intent: 'revoke' })
    expect((await fetch(url2)).status).toBe(404)
  })

  it('answers 404 to a wrong token', async () => {
    for (const token of ['x', 'A'.repeat(43), '../../etc/passwd']) {
      expect((await fetch(`${app.url}/calendar/${encodeURIComponent(token)}.ics`)).status).toBe(404)
    }
  })
})
