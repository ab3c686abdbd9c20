import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContactCommand, logActivityCommand } from '../domain/crm/contact.commands.js'
import type { ContactFields } from '../domain/crm/contact.js'
import { createOrganisationCommand } from '../domain/crm/crm.commands.js'
import { createTaskCommand } from '../domain/tasks/task.commands.js'
import { chQuery } from '../projections/clickhouse.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { waitUntil } from '../testing/wait.js'
import { startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'

// Merging duplicates: the screen (no JavaScript), the one-transaction move of every row
// to the kept record, the events, the redirect of the merged record, who may do it, and
// the ClickHouse read models following the moved rows.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient

const contactFields = (over: Partial<ContactFields> = {}): ContactFields => ({
  civility: null,
  first_name: 'Claire',
  last_name: 'Fontaine',
  job_title: null,
  emails: [],
  phones: [],
  organisation_id: null,
  owner_id: null,
  shared: false,
  gdpr_consent: false,
  consent_source: null,
  consent_date: null,
  marketing_opt_out: false,
  ...over,
})

async function givenContact(over: Partial<ContactFields> = {}) {
  const id = randomUUID()
  await createContactCommand(app.rt.db, w.ctx(), { id, fields: contactFields(over) })
  return id
}

async function givenActivity(refs: { organisation_id?: string | null; contact_id?: string | null }) {
  const id = randomUUID()
  await logActivityCommand(app.rt.db, w.ctx(), {
    id,
    fields: {
      kind: 'note',
      subject: 'Note de visite',
      body: null,
      occurred_at: w.ctx().now.toISOString(),
      duration_minutes: null,
      organisation_id: refs.organisation_id ?? null,
      contact_id: refs.contact_id ?? null,
      deal_id: null,
    },
  })
  return id
}

/** The value of the radio group `choice_<key>` that is checked. */
const checkedSide = (html: string, key: string) => new RegExp(`<input type="radio" name="choice_${key}"[^>]*checked=""[^>]*value="(\\w+)"`).exec(html)?.[1]

const chRow = async <T>(table: string, idColumn: string, id: string) =>
  (await chQuery<T>(app.rt.ch, `SELECT * FROM ${table} FINAL WHERE workspace_id = {ws:UUID} AND ${idColumn} = {id:UUID}`, { ws: w.workspaceId, id }))[0]

beforeAll(async () => {
  app = await startTestApp({ projector: true })
  w = await givenWorkspace(app.rt.db, 'Fusions SARL')
  admin = await app.login(w.emails.admin)
})
afterAll(async () => {
  await app?.stop()
})

describe('merging two organisations', () => {
  it('picks the duplicate by a plain search, merges field by field in one go, and the read models follow', async () => {
    const kept = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Boulangerie Roux' })
    const other = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Boulangerie Roux et Fils' })
    const deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: other, title: 'Fournil neuf' })
    const person = await givenContact({ organisation_id: other, first_name: 'Jules' })
    const note = await givenActivity({ organisation_id: other })
    const task = randomUUID()
    await createTaskCommand(app.rt.db, w.ctx(), {
      id: task,
      fields: {
        title: 'Rappeler',
        description: null,
        due_at: null,
        all_day: false,
        assignee_id: null,
        priority: 'normale',
        organisation_id: other,
        contact_id: null,
        deal_id: null,
        rrule: null,
      },
    })

    // The record's menu leads to the merge screen; a GET search finds the duplicate.
    expect((await admin.get(`/organisations/${kept}`)).html).toContain(`href="/organisations/${kept}/merge"`)
    const search = await admin.get(`/organisations/${kept}/merge?q=${encodeURIComponent('Roux et Fils')}`)
    expect(search.res.status).toBe(200)
    expect(search.html).toContain(`href="/organisations/${kept}/merge?with=${other}"`)

    // One radio per differing field: the name differs, the city does not.
    const compare = await admin.get(`/organisations/${kept}/merge?with=${other}`)
    const page = textOf(compare.html)
    expect(page).toContain('Choisir les valeurs à garder')
    expect(checkedSide(compare.html, 'name')).toBe('kept')
    expect(compare.html).not.toContain('name="choice_address"')
    expect(page).toContain('Affaires : 1')
    expect(page).toContain('Contacts : 1')

    const keptVersion = /name="kept_version" value="(\d+)"/.exec(compare.html)![1]
    const otherVersion = /name="other_version" value="(\d+)"/.exec(compare.html)![1]
    const { res } = await admin.post(`/organisations/${kept}/merge`, {
      with: other,
      kept_version: keptVersion,
      other_version: otherVersion,
      choice_name: 'other',
      commandId: randomUUID(),
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/organisations/${kept}?fusionne=1`)

    const db = app.rt.db
    expect((await db.selectFrom('organisations').select('name').where('id', '=', kept).executeTakeFirstOrThrow()).name).toBe('Boulangerie Roux et Fils')
    const gone = await db.selectFrom('organisations').select(['merged_into_id', 'deleted_at']).where('id', '=', other).executeTakeFirstOrThrow()
    expect(gone.merged_into_id).toBe(kept)
    expect(gone.deleted_at).not.toBeNull()
    expect((await db.selectFrom('deals').select('organisation_id').where('id', '=', deal).executeTakeFirstOrThrow()).organisation_id).toBe(kept)
    expect((await db.selectFrom('contacts').select('organisation_id').where('id', '=', person).executeTakeFirstOrThrow()).organisation_id).toBe(kept)
    expect((await db.selectFrom('activities').select('organisation_id').where('id', '=', note).executeTakeFirstOrThrow()).organisation_id).toBe(kept)
    expect((await db.selectFrom('tasks').select('organisation_id').where('id', '=', task).executeTakeFirstOrThrow()).organisation_id).toBe(kept)
    const types = (id: string) => db.selectFrom('events').select('type').where('stream_id', '=', id).orderBy('stream_version').execute()
    expect((await types(kept)).map((e) => e.type)).toContain('OrganisationsMerged')
    expect((await types(other)).at(-1)?.type).toBe('OrganisationMergedInto')
    expect((await types(deal)).at(-1)?.type).toBe('DealUpdated')

    // The merged record's links lead to the kept one, which says what happened and shows the moved rows.
    const old = await admin.get(`/organisations/${other}`)
    expect(old.res.status).toBe(302)
    expect(old.res.headers.get('location')).toBe(`/organisations/${kept}`)
    const after = textOf((await admin.get(`/organisations/${kept}?fusionne=1`)).html)
    expect(after).toContain('Les deux fiches ont été fusionnées.')
    expect(after).toContain('Fournil neuf')

    // The read models keyed on the organisation show the moved rows (chDB, through the projector).
    await waitUntil(
      'deal moved in deals_current',
      async () => (await chRow<{ organisation_id: string }>('deals_current', 'deal_id', deal))?.organisation_id === kept,
    )
    await waitUntil('activity moved', async () => (await chRow<{ organisation_id: string }>('activities', 'activity_id', note))?.organisation_id === kept)
    const merged = await waitUntil('merged organisation gone from analytics', async () => {
      const r = await chRow<{ deleted: unknown }>('organisations_current', 'organisation_id', other)
      return Number(r?.deleted) === 1 && r
    })
    expect(Number(merged.deleted)).toBe(1)
    const keptRow = await waitUntil('kept organisation renamed', async () => {
      const r = await chRow<{ name: string }>('organisations_current', 'organisation_id', kept)
      return r?.name === 'Boulangerie Roux et Fils' && r
    })
    expect(keptRow.name).toBe('Boulangerie Roux et Fils')
  })

  it('keeps a SIREN and its SIRET together, whichever side is chosen', async () => {
    const kept = randomUUID()
    const other = randomUUID()
    const base = {
      siret: null,
      vat_number: null,
      address: null,
      postal_code: null,
      city: null,
      sector: null,
      size: null,
      status: 'prospect' as const,
      owner_id: null,
    }
    await createOrganisationCommand(app.rt.db, w.ctx(), { id: kept, fields: { ...base, name: 'Garage Petit', siren: '552120222' } })
    await createOrganisationCommand(app.rt.db, w.ctx(), {
      id: other,
      fields: { ...base, name: 'Garage Petit SA', siren: '732829320', siret: '73282932000074' },
    })
    // Keeping the first SIREN with the second SIRET would be a SIRET of another company: the groups keep them together.
    const { res, html } = await admin.post(`/organisations/${kept}/merge`, {
      with: other,
      kept_version: '1',
      other_version: '1',
      choice_ids: 'other',
      choice_name: 'kept',
    })
    expect(res.status).toBe(302)
    expect(html).toBe('')
    const row = await app.rt.db.selectFrom('organisations').select(['siren', 'siret']).where('id', '=', kept).executeTakeFirstOrThrow()
    expect(row).toEqual({ siren: '732829320', siret: '73282932000074' })
  })

  it('says when a record changed meanwhile, and merges nothing', async () => {
    const kept = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Cave Lemoine' })
    const other = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Cave Lemoine SARL' })
    const { res, html } = await admin.post(`/organisations/${kept}/merge?with=${other}`, { with: other, kept_version: '1', other_version: '0' })
    expect(res.status).toBe(409)
    expect(textOf(html)).toContain('Fusionner les deux fiches')
    expect((await app.rt.db.selectFrom('organisations').select('merged_into_id').where('id', '=', other).executeTakeFirstOrThrow()).merged_into_id).toBeNull()
  })

  it('lets only admins, managers who may change both, or the owner of both merge; never across workspaces', async () => {
    const mine = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Atelier Blanc', ownerId: w.users.commercial })
    const notMine = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Atelier Blanc Frères', ownerId: w.users.admin })
    const alsoMine = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Atelier Blanc SAS', ownerId: w.users.commercial })
    const rep = await app.login(w.emails.commercial)
    const finance = await app.login(w.emails.finance)
    expect((await rep.get(`/organisations/${mine}/merge?with=${notMine}`)).res.status).toBe(404) // not even visible to them
    await app.rt.db.updateTable('organisations').set({ shared: true }).where('id', '=', notMine).execute()
    expect((await rep.get(`/organisations/${mine}/merge?with=${notMine}`)).res.status).toBe(403) // visible, not theirs
    expect((await rep.get(`/organisations/${mine}/merge?with=${alsoMine}`)).res.status).toBe(200)
    expect((await finance.get(`/organisations/${mine}/merge`)).res.status).toBe(403)
    const b = await givenWorkspace(app.rt.db, 'Autre espace')
    const foreign = await givenOrganisation(app.rt.db, b.ctx(), { name: 'Atelier Blanc' })
    expect((await admin.get(`/organisations/${mine}/merge?with=${foreign}`)).res.status).toBe(404)
    expect((await admin.post(`/organisations/${mine}/merge`, { with: foreign, kept_version: '1', other_version: '1' })).res.status).toBe(404)
    expect((await app.rt.db.selectFrom('organisations').select('merged_into_id').where('id', '=', foreign).executeTakeFirstOrThrow()).merged_into_id).toBeNull()
  })
})

describe('merging two contacts', () => {
  it('joins e-mails, moves the timeline and the deals, and keeps the refusal of marketing', async () => {
    const org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Imprimerie Vidal' })
    const kept = await givenContact({ organisation_id: org, emails: ['claire@vidal.fr'] })
    const other = await givenContact({ first_name: 'Clara', emails: ['c.fontaine@vidal.fr'], marketing_opt_out: true, job_title: 'Gérante' })
    const deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: org })
    await app.rt.db
      .updateTable('deals')
      .set({ contact_ids: [other] })
      .where('id', '=', deal)
      .execute()
    const call = await givenActivity({ contact_id: other })

    const flagged = await admin.get(`/contacts/${kept}/merge`)
    expect(flagged.res.status).toBe(200)
    const compare = await admin.get(`/contacts/${kept}/merge?with=${other}`)
    // The job title is empty on the kept contact: the other one's is preselected.
    expect(checkedSide(compare.html, 'job_title')).toBe('other')
    expect(checkedSide(compare.html, 'organisation_id')).toBe('kept')
    const { res } = await admin.post(`/contacts/${kept}/merge`, {
      with: other,
      kept_version: '1',
      other_version: '1',
      choice_job_title: 'other',
      choice_name: 'kept',
    })
    expect(res.status).toBe(302)

    const row = await app.rt.db.selectFrom('contacts').selectAll().where('id', '=', kept).executeTakeFirstOrThrow()
    expect(row.first_name).toBe('Claire')
    expect(row.job_title).toBe('Gérante')
    expect(row.organisation_id).toBe(org)
    expect([...row.emails].sort()).toEqual(['c.fontaine@vidal.fr', 'claire@vidal.fr'])
    expect(row.marketing_opt_out).toBe(true)
    expect((await app.rt.db.selectFrom('deals').select('contact_ids').where('id', '=', deal).executeTakeFirstOrThrow()).contact_ids).toEqual([kept])
    expect((await app.rt.db.selectFrom('activities').select('contact_id').where('id', '=', call).executeTakeFirstOrThrow()).contact_id).toBe(kept)
    const old = await admin.get(`/contacts/${other}`)
    expect(old.res.headers.get('location')).toBe(`/contacts/${kept}`)
    await waitUntil(
      'activity moved to the kept contact',
      async () => (await chRow<{ contact_id: string }>('activities', 'activity_id', call))?.contact_id === kept,
    )
  })
})
