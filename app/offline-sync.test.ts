import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateDealCommand } from '../domain/crm/crm.commands.js'
import { addParisDays } from '../domain/shared/paris-time.js'
import { createTaskCommand, updateTaskCommand } from '../domain/tasks/task.commands.js'
import type { SyncAnswer, WorkingSet } from './offline/types.js'
import { givenActivity, givenContact } from './testing/contact-records.js'
import { startTestApp, type TestApp, type WebClient } from './testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { testNow } from '../testing/clock.js'
import { givenWorkspace } from '../testing/fixtures.js'

// The offline working set (GET /offline/working-set) and the queue's replay endpoint
// (POST /offline/sync) over real HTTP: scoping to the session's user and workspace,
// roles, de-duplication on the command id, and the version-conflict answer.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let rep: WebClient
let org: string
let otherOrg: string
let deal: string
let task: string
let contact: string

const taskFields = (over: { title: string; due: Date; assignee: string; organisation_id?: string | null }) => ({
  title: over.title,
  description: null,
  due_at: over.due.toISOString(),
  all_day: false,
  assignee_id: over.assignee,
  priority: 'normale' as const,
  organisation_id: over.organisation_id ?? null,
  contact_id: null,
  deal_id: null,
  rrule: null,
})

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Hors ligne SA')
  const repId = w.users.commercial
  org = await givenOrganisation(app.rt.db, w.ctx(repId), { name: 'Scierie du Jura', ownerId: repId })
  otherOrg = await givenOrganisation(app.rt.db, w.ctx(w.users.manager), { name: 'Compte du manager', ownerId: w.users.manager })
  deal = await givenDeal(app.rt.db, w.ctx(repId), { organisationId: org, ownerId: repId, title: 'Charpente atelier', amountCents: 1_200_000 })
  contact = await givenContact(app.rt.db, w.ctx(repId), { organisation_id: org, owner_id: repId, phones: ['+33 6 12 34 56 78'] })
  task = randomUUID()
  await createTaskCommand(app.rt.db, w.ctx(repId), {
    id: task,
    fields: taskFields({ title: 'Rappeler la scierie', due: addParisDays(testNow(), -1), assignee: repId, organisation_id: org }),
  })
  // Next week: not in today's set.
  await createTaskCommand(app.rt.db, w.ctx(repId), {
    id: randomUUID(),
    fields: taskFields({ title: 'Tâche de la semaine prochaine', due: addParisDays(testNow(), 7), assignee: repId }),
  })
  await givenActivity(app.rt.db, w.ctx(repId), { organisation_id: org }, { subject: 'Visite du site', occurredAt: testNow() })
  await givenActivity(app.rt.db, w.ctx(w.users.manager), { organisation_id: otherOrg }, { subject: 'Note du manager', occurredAt: testNow() })
  rep = await app.login(w.emails.commercial)
}, 120_000)

afterAll(async () => {
  await app?.stop()
})

async function workingSet(client: WebClient) {
  const res = await client.request('/offline/working-set')
  return { res, set: res.status === 200 ? ((await res.json()) as WorkingSet) : null }
}

async function sync(client: WebClient, change: unknown, commandId = randomUUID(), csrf?: string) {
  const { res, html } = await client.post('/offline/sync', { commandId, change: JSON.stringify(change) }, { csrf })
  return { status: res.status, body: JSON.parse(html) as SyncAnswer }
}

describe('GET /offline/working-set', () => {
  it('holds the rep’s own accounts, open deals, contacts, today’s and overdue tasks and their accounts’ activities — nothing else', async () => {
    const { res, set } = await workingSet(rep)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    expect(set!.key).toBe(`${w.workspaceId}:${w.users.commercial}`)
    expect(set!.organisations.map((o) => o.id)).toEqual([org])
    expect(set!.deals.map((d) => [d.id, d.amount_cents])).toEqual([[deal, 1_200_000]])
    expect(set!.contacts.map((c) => c.id)).toEqual([contact])
    expect(set!.tasks.map((t) => t.title)).toEqual(['Rappeler la scierie'])
    expect(set!.activities.map((a) => a.subject)).toEqual(['Visite du site'])
    expect(set!.csrf).toBe(rep.csrf)
    expect(new Date(set!.sessionExpiresAt).getTime()).toBeGreaterThan(Date.now())
  })

  it('is empty for a finance user (owns nothing) and refused signed out', async () => {
    const finance = await app.login(w.emails.finance)
    const { set } = await workingSet(finance)
    expect(set!.key).toBe(`${w.workspaceId}:${w.users.finance}`)
    expect([set!.organisations, set!.deals, set!.contacts, set!.tasks, set!.activities].map((l) => l.length)).toEqual([0, 0, 0, 0, 0])
    const res = await app.client().request('/offline/working-set')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(/^\/login/)
  })

  it('never carries another workspace’s rows', async () => {
    const other = await givenWorkspace(app.rt.db, 'Concurrent SARL')
    await givenOrganisation(app.rt.db, other.ctx(other.users.commercial), { name: 'Compte étranger', ownerId: other.users.commercial })
    const { set } = await workingSet(await app.login(other.emails.commercial))
    expect(set!.organisations.map((o) => o.name)).toEqual(['Compte étranger'])
    expect(set!.key.startsWith(other.workspaceId)).toBe(true)
  })
})

describe('POST /offline/sync', () => {
  it('logs a note once, however many times the same command is replayed', async () => {
    const id = randomUUID()
    const commandId = randomUUID()
    const note = {
      kind: 'activity',
      payload: {
        id,
        kind: 'note',
        subject: 'Écrit dans le train',
        body: 'Écrit dans le train',
        occurred_at: testNow().toISOString(),
        organisation_id: org,
        deal_id: null,
        contact_id: null,
      },
    }
    expect(await sync(rep, note, commandId)).toEqual({ status: 200, body: { status: 'ok', duplicate: false } })
    expect(await sync(rep, note, commandId)).toEqual({ status: 200, body: { status: 'ok', duplicate: true } })
    const rows = await app.rt.db.selectFrom('activities').select(['id', 'author_id']).where('subject', '=', 'Écrit dans le train').execute()
    expect(rows).toEqual([{ id, author_id: w.users.commercial }])
  })

  it('completes a task once', async () => {
    const commandId = randomUUID()
    expect((await sync(rep, { kind: 'task-complete', payload: { id: task } }, commandId)).body).toMatchObject({ status: 'ok' })
    expect((await sync(rep, { kind: 'task-complete', payload: { id: task } }, commandId)).body).toMatchObject({ status: 'ok', duplicate: true })
    const row = await app.rt.db.selectFrom('tasks').select(['status', 'version']).where('id', '=', task).executeTakeFirstOrThrow()
    expect(row.status).toBe('terminee')
    const events = await app.rt.db.selectFrom('events').select('type').where('stream_id', '=', task).where('type', '=', 'TaskCompleted').execute()
    expect(events).toHaveLength(1)
  })

  it('answers a stale deal change with 409 and the deal as it is now, field by field; the current version then goes through', async () => {
    const before = await app.rt.db.selectFrom('deals').select('version').where('id', '=', deal).executeTakeFirstOrThrow()
    // Meanwhile, someone changes the amount on the server.
    await updateDealCommand(app.rt.db, w.ctx(w.users.manager), {
      id: deal,
      expectedVersion: before.version,
      fields: {
        title: 'Charpente atelier',
        organisation_id: org,
        amount_cents: 1_500_000,
        expected_close_date: '2027-03-31',
        owner_id: w.users.commercial,
        category: null,
        source: null,
        region: null,
      },
    })
    const mine = { kind: 'deal-update', payload: { id: deal, version: before.version, fields: { amount_cents: 1_350_000 } } }
    const commandId = randomUUID()
    const answer = await sync(rep, mine, commandId)
    expect(answer.status).toBe(409)
    expect(answer.body).toMatchObject({
      status: 'conflict',
      current: { version: before.version + 1, fields: { title: 'Charpente atelier', amount_cents: 1_500_000, expected_close_date: '2027-03-31' } },
    })
    expect((answer.body as { message: string }).message).toMatch(/modifi/i)
    expect((await app.rt.db.selectFrom('deals').select('amount_cents').where('id', '=', deal).executeTakeFirstOrThrow()).amount_cents).toBe(1_500_000)
    // "Keep mine": the same command on the version now shown.
    const kept = await sync(rep, { ...mine, payload: { ...mine.payload, version: before.version + 1 } }, commandId)
    expect(kept).toEqual({ status: 200, body: { status: 'ok', duplicate: false } })
    expect((await app.rt.db.selectFrom('deals').select('amount_cents').where('id', '=', deal).executeTakeFirstOrThrow()).amount_cents).toBe(1_350_000)
  })

  it('creates a contact written offline once, phones normalised as the form does, and refuses an invalid phone with the French reason', async () => {
    const id = randomUUID()
    const commandId = randomUUID()
    const change = {
      kind: 'contact-create',
      payload: { id, first_name: 'Léon', last_name: 'Carton', job_title: null, emails: ['leon@scierie.fr'], phones: ['06 11 22 33 44'], organisation_id: org },
    }
    expect(await sync(rep, change, commandId)).toEqual({ status: 200, body: { status: 'ok', duplicate: false } })
    expect(await sync(rep, change, commandId)).toEqual({ status: 200, body: { status: 'ok', duplicate: true } })
    const rows = await app.rt.db.selectFrom('contacts').select(['id', 'phones', 'owner_id']).where('last_name', '=', 'Carton').execute()
    expect(rows).toEqual([{ id, phones: ['+33611223344'], owner_id: w.users.commercial }])
    const bad = await sync(rep, { ...change, payload: { ...change.payload, id: randomUUID(), phones: ['12'] } })
    expect(bad.status).toBe(422)
    expect(bad.body).toMatchObject({ status: 'rejected', message: expect.stringMatching(/téléphone/i) })
  })

  it('reschedules a task once; a date someone else changed meanwhile is a conflict with their date, and "keep mine" goes through', async () => {
    const id = randomUUID()
    const seen = addParisDays(testNow(), -1)
    await createTaskCommand(app.rt.db, w.ctx(w.users.commercial), {
      id,
      fields: taskFields({ title: 'Passer au dépôt', due: seen, assignee: w.users.commercial }),
    })
    const mine = addParisDays(testNow(), 2).toISOString()
    const change = { kind: 'task-reschedule', payload: { id, version: 1, due_at: mine, from_due_at: seen.toISOString() } }
    const commandId = randomUUID()
    expect(await sync(rep, change, commandId)).toEqual({ status: 200, body: { status: 'ok', duplicate: false } })
    expect(await sync(rep, change, commandId)).toEqual({ status: 200, body: { status: 'ok', duplicate: true } })
    // Another device moves it meanwhile; this one still believes the first date.
    const theirs = addParisDays(testNow(), 5)
    const row = await app.rt.db.selectFrom('tasks').select('version').where('id', '=', id).executeTakeFirstOrThrow()
    await updateTaskCommand(app.rt.db, w.ctx(w.users.commercial), {
      id,
      expectedVersion: row.version,
      fields: taskFields({ title: 'Passer au dépôt', due: theirs, assignee: w.users.commercial }),
    })
    const stale = { kind: 'task-reschedule', payload: { id, version: 1, due_at: addParisDays(testNow(), 1).toISOString(), from_due_at: seen.toISOString() } }
    const again = randomUUID()
    const answer = await sync(rep, stale, again)
    expect(answer.status).toBe(409)
    expect(answer.body).toMatchObject({ status: 'conflict', current: { fields: { due_at: theirs.toISOString() } } })
    // "Keep mine": the date they set becomes the one this change replaces.
    const kept = await sync(rep, { ...stale, payload: { ...stale.payload, from_due_at: theirs.toISOString() } }, again)
    expect(kept).toEqual({ status: 200, body: { status: 'ok', duplicate: false } })
    const after = await app.rt.db.selectFrom('tasks').select('due_at').where('id', '=', id).executeTakeFirstOrThrow()
    expect(new Date(after.due_at!).toISOString()).toBe(stale.payload.due_at)
  })

  it('rejects with a French reason what the rep may not touch, and refuses a bad token or a malformed change', async () => {
    const managerDeal = await givenDeal(app.rt.db, w.ctx(w.users.manager), { organisationId: otherOrg, ownerId: w.users.manager })
    const denied = await sync(rep, { kind: 'deal-stage', payload: { id: managerDeal, version: 1, stage: 'QUALIFICATION' } })
    expect(denied.status).toBe(404)
    expect(denied.body).toEqual({ status: 'rejected', message: 'Cette fiche n’existe plus ou ne vous est plus accessible.' })
    const finance = await app.login(w.emails.finance)
    const note = {
      kind: 'activity',
      payload: {
        id: randomUUID(),
        kind: 'note',
        subject: 'x',
        body: null,
        occurred_at: testNow().toISOString(),
        organisation_id: org,
        deal_id: null,
        contact_id: null,
      },
    }
    expect((await sync(finance, note)).status).toBe(403)
    expect((await sync(rep, { kind: 'deal-update', payload: { id: deal } })).status).toBe(400)
    const { res } = await rep.post('/offline/sync', { commandId: randomUUID(), change: JSON.stringify(note) }, { csrf: 'faux-jeton' })
    expect(res.status).toBe(403)
  })
})
