import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../domain/identity/identity.commands.js'
import { decodeEntities, fieldError, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { activityForm, contactEntries, contactFingerprint, givenActivity, givenContact, postEntries } from './testing/contact-records.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'

// Contacts and activities over real HTTP, posted the way a browser without JavaScript does.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let rep: WebClient
let otherRep: string
let org: string

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  otherRep = await createUser(app.rt.db, {
    workspaceId: w.workspaceId,
    email: `autre-${w.workspaceId.slice(0, 8)}@exemple.fr`,
    fullName: 'Autre Commercial',
    password: TEST_PASSWORD,
    role: 'commercial',
  })
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Scierie Lambert' })
  admin = await app.login(w.emails.admin)
  rep = await app.login(w.emails.commercial)
})
afterAll(async () => {
  await app?.stop()
})

const count = async (table: 'contacts' | 'activities', workspaceId = w.workspaceId) =>
  Number(
    (
      await app.rt.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )
// What a reader sees: the page's text, without tags and without the data scripts.
const plain = (html: string) =>
  textOf(
    html
      .slice(html.indexOf('<body'))
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<[^>]+>/g, ''),
  )
// The timeline's activity headings, in page order.
const subjects = (html: string) => [...html.matchAll(/<span class="break-words">Note n°(\d\d)<\/span>/g)].map((m) => m[1])
const inputValues = (html: string, name: string) =>
  [...html.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))].map((m) => decodeEntities(/value="([^"]*)"/.exec(m[0])?.[1] ?? ''))

describe('creating a contact', () => {
  it('normalises phones to E.164 and shows them as tel: links', async () => {
    const { res } = await postEntries(
      admin,
      '/contacts/new',
      contactEntries({
        organisation_id: org,
        phones: ['06 12 34 56 78', '+32 2 511 22 33', ''],
        emails: ['Elodie.Fontaine@Exemple.FR', 'e.fontaine@scierie.fr'],
        gdpr_consent: 'on',
        consent_source: 'Salon Batimat',
        shared: 'on',
      }),
    )
    expect(res.status).toBe(302)
    const id = res.headers.get('Location')!.split('/').pop()!
    const row = await app.rt.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      workspace_id: w.workspaceId,
      phones: ['+33612345678', '+3225112233'],
      emails: ['elodie.fontaine@exemple.fr', 'e.fontaine@scierie.fr'],
      organisation_id: org,
      shared: true,
      gdpr_consent: true,
      consent_source: 'Salon Batimat',
      civility: 'Mme',
    })
    const page = await admin.get(`/contacts/${id}`)
    expect(page.res.status).toBe(200)
    expect(page.html).toContain('href="tel:+33612345678"')
    expect(page.html).toContain('href="tel:+3225112233"')
    expect(page.html).toContain('href="mailto:elodie.fontaine@exemple.fr"')
    expect(plain(page.html)).toContain('06 12 34 56 78')
    expect(plain(page.html)).toContain('Scierie Lambert')
    // The edit form offers the stored numbers the way people type them, plus an empty input.
    expect(inputValues(page.html, 'phones')).toEqual(['06 12 34 56 78', '+32 2 511 22 33', ''])
    expect(page.html).toMatch(/<input[^>]*type="tel"[^>]*inputMode="tel"|<input[^>]*inputMode="tel"[^>]*type="tel"/i)

    const list = await admin.get('/contacts?q=fontaine')
    expect(list.html).toContain(`href="/contacts/${id}"`)
    expect(list.html).toContain('href="tel:+33612345678"')
    expect(list.html).toContain('href="mailto:elodie.fontaine@exemple.fr"')
  })

  it('refuses a bad e-mail with a French error beside the field, keeps what was typed, creates nothing', async () => {
    const before = await count('contacts')
    const { res, html } = await postEntries(
      admin,
      '/contacts/new',
      contactEntries({ first_name: 'Paul', last_name: 'Girard', emails: ['paul.girard@', ''], phones: ['04 78 00 00 00'] }),
    )
    expect(res.status).toBe(422)
    expect(fieldError(html, 'emails')).toBe('Adresse e-mail invalide : paul.girard@')
    expect(html).toMatch(/<input[^>]*aria-invalid="true"[^>]*value="paul.girard@"|<input[^>]*value="paul.girard@"[^>]*aria-invalid="true"/)
    expect(inputValues(html, 'first_name')).toEqual(['Paul'])
    expect(inputValues(html, 'phones')[0]).toBe('04 78 00 00 00')
    expect(await count('contacts')).toBe(before)
  })

  it('refuses a phone number that is not one, beside the field', async () => {
    const { res, html } = await postEntries(admin, '/contacts/new', contactEntries({ phones: ['12'] }))
    expect(res.status).toBe(422)
    expect(fieldError(html, 'phones')).toBe('Numéro de téléphone invalide : 12')
  })

  it('prefills the organisation from ?organisation= and creates once on a double submit', async () => {
    const form = await admin.get(`/contacts/new?organisation=${org}`)
    expect(form.html).toMatch(new RegExp(`<option value="${org}" selected`))
    // Its own e-mail: the default one belongs to a contact made earlier (a duplicate notice, not this test's point).
    const entries = contactEntries({ first_name: 'Double', last_name: 'Clic', emails: ['double.clic@exemple.fr'] })
    const before = await count('contacts')
    const first = await postEntries(admin, '/contacts/new', entries)
    const second = await postEntries(admin, '/contacts/new', entries)
    expect(second.res.headers.get('Location')).toBe(first.res.headers.get('Location'))
    expect(await count('contacts')).toBe(before + 1)
  })
})

describe('editing and deleting a contact', () => {
  it('saves with the version and says so when someone changed it meanwhile', async () => {
    const id = await givenContact(app.rt.db, w.ctx(), { first_name: 'Léa', last_name: 'Martin' })
    const ok = await postEntries(admin, `/contacts/${id}`, contactEntries({ intent: 'update', version: '1', first_name: 'Léa', last_name: 'Martin-Roux' }))
    expect(ok.res.status).toBe(302)
    const stale = await postEntries(admin, `/contacts/${id}`, contactEntries({ intent: 'update', version: '1', first_name: 'Léa', last_name: 'Perdu' }))
    expect(stale.res.status).toBe(409)
    expect(decodeEntities(stale.html)).toContain('modifié par quelqu’un d’autre')
    expect((await app.rt.db.selectFrom('contacts').select('last_name').where('id', '=', id).executeTakeFirstOrThrow()).last_name).toBe('Martin-Roux')
  })

  it('asks before deleting, then deletes on the POST', async () => {
    const id = await givenContact(app.rt.db, w.ctx(), { first_name: 'Jean', last_name: 'Supprimé' })
    const confirm = await admin.get(`/contacts/${id}?supprimer=1`)
    expect(plain(confirm.html)).toContain('Supprimer définitivement Jean Supprimé ?')
    const { res } = await admin.post(`/contacts/${id}`, { intent: 'delete', version: '1', commandId: crypto.randomUUID() })
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('/contacts?supprime=1')
    expect((await admin.get(`/contacts/${id}`)).res.status).toBe(404)
  })
})

describe("a commercial and other reps' contacts", () => {
  it("gets 404 for another rep's private contact and cannot change it", async () => {
    const id = await givenContact(app.rt.db, w.ctx(), { first_name: 'Privé', last_name: 'Dautre', owner_id: otherRep })
    expect((await rep.get(`/contacts/${id}`)).res.status).toBe(404)
    const before = await contactFingerprint(app.rt.db, 'contacts', id)
    const edit = await postEntries(rep, `/contacts/${id}`, contactEntries({ intent: 'update', version: '1', last_name: 'Piraté' }))
    expect(edit.res.status).toBe(404)
    const del = await rep.post(`/contacts/${id}`, { intent: 'delete', version: '1', commandId: crypto.randomUUID() })
    expect(del.res.status).toBe(404)
    const log = await rep.post('/activities', activityForm({ contact_id: id }))
    expect(log.res.status).toBe(404)
    expect(await contactFingerprint(app.rt.db, 'contacts', id)).toEqual(before)
    expect(decodeEntities((await rep.get('/contacts?q=Dautre')).html)).not.toContain('Privé Dautre')
  })

  it("sees another rep's shared contact, in the list and on its page", async () => {
    const id = await givenContact(app.rt.db, w.ctx(), { first_name: 'Partagé', last_name: 'Commun', owner_id: otherRep, shared: true })
    const page = await rep.get(`/contacts/${id}`)
    expect(page.res.status).toBe(200)
    expect(plain(page.html)).toContain('Partagé Commun')
    expect(plain((await rep.get('/contacts?q=commun')).html)).toContain('Partagé Commun')
  })

  it('sees only the contacts it may see on an organisation page', async () => {
    const o = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Visibilité SA' })
    await givenContact(app.rt.db, w.ctx(), { first_name: 'Caché', last_name: 'Ailleurs', owner_id: otherRep, organisation_id: o })
    await givenContact(app.rt.db, w.ctx(), { first_name: 'Montré', last_name: 'Ici', owner_id: w.users.commercial, organisation_id: o })
    const text = plain((await rep.get(`/organisations/${o}`)).html)
    expect(text).toContain('Montré Ici')
    expect(text).not.toContain('Caché Ailleurs')
  })

  it('finance reads contacts but never writes nor logs', async () => {
    const finance = await app.login(w.emails.finance)
    const id = await givenContact(app.rt.db, w.ctx(), { first_name: 'Lu', last_name: 'Seulement' })
    const page = await finance.get(`/contacts/${id}`)
    expect(page.res.status).toBe(200)
    expect(page.html).toContain('Lecture seule')
    expect((await finance.get('/contacts/new')).res.status).toBe(403)
    expect((await finance.post('/activities', activityForm({ contact_id: id }))).res.status).toBe(403)
  })
})

describe('activities', () => {
  it('logs a call from the organisation page and shows it first in its timeline', async () => {
    const o = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Chronologie SARL' })
    await givenActivity(app.rt.db, w.ctx(), { organisation_id: o }, { subject: 'Ancienne note', occurredAt: new Date('2026-01-05T09:00:00Z') })
    const { res } = await rep.post(
      '/activities',
      activityForm({ organisation_id: o }, { redirectTo: `/organisations/${o}`, subject: 'Appel de relance', occurred_at: '2026-11-27T14:05' }),
    )
    expect(res.status).toBe(302)
    const row = await app.rt.db.selectFrom('activities').selectAll().where('subject', '=', 'Appel de relance').executeTakeFirstOrThrow()
    expect(res.headers.get('Location')).toBe(`/organisations/${o}#activite-${row.id}`)
    // Typed in Paris time (UTC+1 in November), stored in UTC.
    expect(row).toMatchObject({ kind: 'call', organisation_id: o, author_id: w.users.commercial, duration_minutes: 15, workspace_id: w.workspaceId })
    expect(row.occurred_at.toISOString()).toBe('2026-11-27T13:05:00.000Z')
    const text = plain((await rep.get(`/organisations/${o}`)).html)
    const first = text.indexOf('Appel de relance')
    expect(first).toBeGreaterThan(-1)
    expect(first).toBeLessThan(text.indexOf('Ancienne note'))
    expect(text).toContain('27/11/2026 14:05')
    expect(text).toContain(`par commercial ${w.emails.commercial.split('-')[1].split('@')[0]}`)
  })

  it("shows on an organisation's timeline what was logged on its contacts and deals", async () => {
    const o = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Agrégation SAS' })
    const contact = await givenContact(app.rt.db, w.ctx(), { first_name: 'Marc', last_name: 'Rivière', organisation_id: o })
    const deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: o, title: 'Charpente 2027' })
    await givenActivity(app.rt.db, w.ctx(), { contact_id: contact }, { subject: 'Rendez-vous sur chantier', kind: 'meeting' })
    await givenActivity(app.rt.db, w.ctx(), { deal_id: deal }, { subject: 'Devis envoyé', kind: 'email' })
    const text = plain((await admin.get(`/organisations/${o}`)).html)
    expect(text).toContain('Rendez-vous sur chantier')
    expect(text).toContain('Contact : Marc Rivière')
    expect(text).toContain('Devis envoyé')
    expect(text).toContain('Affaire : Charpente 2027')
    // And each on its own record's page.
    expect(plain((await admin.get(`/contacts/${contact}`)).html)).toContain('Rendez-vous sur chantier')
    expect(plain((await admin.get(`/deals/${deal}`)).html)).toContain('Devis envoyé')
  })

  it('pages the timeline newest first with "Voir plus"', async () => {
    const o = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Pagination SA' })
    const base = Date.UTC(2026, 0, 1, 9)
    // 25 activities an hour apart, two at the same instant to exercise the (occurred_at, id) keyset.
    for (let i = 1; i <= 25; i++) {
      await givenActivity(
        app.rt.db,
        w.ctx(),
        { organisation_id: o },
        { subject: `Note n°${String(i).padStart(2, '0')}`, occurredAt: new Date(base + (i === 25 ? 24 : i) * 3_600_000) },
      )
    }
    const first = await admin.get(`/organisations/${o}`)
    const firstSubjects = subjects(first.html)
    expect(firstSubjects).toHaveLength(20)
    expect(firstSubjects.slice(2)).toEqual(['23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '09', '08', '07', '06'])
    expect(new Set(firstSubjects.slice(0, 2))).toEqual(new Set(['24', '25']))
    const more = /href="([^"]*activites=[^"#]*)#activites"[^>]*>Voir plus/.exec(first.html)
    expect(more).not.toBeNull()
    const second = await admin.get(decodeEntities(more![1]))
    const secondSubjects = subjects(second.html)
    expect(secondSubjects).toEqual(['05', '04', '03', '02', '01'])
    expect(second.html).not.toContain('>Voir plus<')
    expect(plain(second.html)).toContain('Revenir aux plus récentes')
  })

  it('re-renders the form on /activities with French errors and the typed values when refused', async () => {
    const before = await count('activities')
    const { res, html } = await rep.post('/activities', activityForm({ organisation_id: org }, { subject: '', occurred_at: '2026-02-30T10:00', body: 'Gardé' }))
    expect(res.status).toBe(400)
    expect(fieldError(html, 'subject')).toBe('L’objet est obligatoire.')
    expect(fieldError(html, 'occurred_at')).toBe('Date invalide.')
    expect(decodeEntities(html)).toContain('>Gardé</textarea>')
    expect(plain(html)).toContain('Scierie Lambert')
    expect(await count('activities')).toBe(before)
  })

  it("refuses an activity kind that is not one of the domain's with a 422 beside the field, logging nothing", async () => {
    const before = await count('activities')
    const { res, html } = await rep.post('/activities', activityForm({ organisation_id: org }, { kind: 'bogus', body: 'Gardé' }))
    expect(res.status).toBe(422)
    expect(fieldError(html, 'kind')).toBe('Type d’activité inconnu.')
    expect(decodeEntities(html)).toContain('>Gardé</textarea>')
    expect(await count('activities')).toBe(before)
  })

  it('never redirects to another site after logging', async () => {
    const { res } = await rep.post('/activities', activityForm({ organisation_id: org }, { redirectTo: '//evil.example/x' }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toMatch(new RegExp(`^/organisations/${org}#activite-[0-9a-f-]{36}$`))
  })

  it('lets its author, a manager of the record and admins change it, no other rep', async () => {
    const o = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Droits SARL', ownerId: w.users.commercial })
    const id = await givenActivity(app.rt.db, w.ctx(w.users.commercial), { organisation_id: o }, { subject: 'Écrit par le commercial' })
    const other = await app.login(`autre-${w.workspaceId.slice(0, 8)}@exemple.fr`)
    const manager = await app.login(w.emails.manager)
    // The other rep cannot see the organisation: not found.
    expect((await other.get(`/activities/${id}`)).res.status).toBe(404)
    expect((await rep.get(`/activities/${id}`)).res.status).toBe(200)
    expect((await manager.get(`/activities/${id}`)).res.status).toBe(200)
    const edit = await manager.post(`/activities/${id}`, {
      ...activityForm({}, { subject: 'Corrigé par le manager' }),
      intent: 'update',
      version: '1',
      redirectTo: `/organisations/${o}`,
    })
    expect(edit.res.status).toBe(302)
    expect(edit.res.headers.get('Location')).toBe(`/organisations/${o}#activite-${id}`)
    const row = await app.rt.db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ subject: 'Corrigé par le manager', organisation_id: o, author_id: w.users.commercial, version: 2 })

    // An unassigned organisation: a rep sees it, but may not change someone else's note on it.
    const open = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Ouverte SA' })
    const byAdmin = await givenActivity(app.rt.db, w.ctx(), { organisation_id: open }, { subject: "Note de l'admin" })
    expect((await rep.get(`/activities/${byAdmin}`)).res.status).toBe(403)
    const before = await contactFingerprint(app.rt.db, 'activities', byAdmin)
    expect((await rep.post(`/activities/${byAdmin}`, { intent: 'delete', version: '1', commandId: crypto.randomUUID() })).res.status).toBe(403)
    expect(await contactFingerprint(app.rt.db, 'activities', byAdmin)).toEqual(before)
    expect((await rep.get(`/organisations/${open}`)).html).not.toContain(`/activities/${byAdmin}`)

    const del = await rep.post(`/activities/${id}`, { intent: 'delete', version: '2', commandId: crypto.randomUUID(), redirectTo: `/organisations/${o}` })
    expect(del.res.status).toBe(302)
    expect(plain((await rep.get(`/organisations/${o}`)).html)).not.toContain('Corrigé par le manager')
  })
})

describe("a deal's contacts", () => {
  it("links the organisation's contacts to a deal, and refuses anything else", async () => {
    const o = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Liens SAS' })
    const c1 = await givenContact(app.rt.db, w.ctx(), { first_name: 'Anne', last_name: 'Liée', organisation_id: o })
    const deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: o, title: 'Affaire liée' })
    const page = await admin.get(`/deals/${deal}`)
    expect(page.html).toContain(`value="${c1}"`)
    const ok = await postEntries(admin, `/deals/${deal}`, [
      ['intent', 'contacts'],
      ['version', '1'],
      ['commandId', crypto.randomUUID()],
      ['contact_ids', c1],
    ])
    expect(ok.res.status).toBe(302)
    expect((await app.rt.db.selectFrom('deals').select('contact_ids').where('id', '=', deal).executeTakeFirstOrThrow()).contact_ids).toEqual([c1])
    expect(plain((await admin.get(`/deals/${deal}`)).html)).toContain('Anne Liée')
    expect(plain((await admin.get(`/contacts/${c1}`)).html)).toContain('Affaire liée')

    const stranger = crypto.randomUUID()
    const bad = await postEntries(admin, `/deals/${deal}`, [
      ['intent', 'contacts'],
      ['version', '2'],
      ['commandId', crypto.randomUUID()],
      ['contact_ids', stranger],
    ])
    expect(bad.res.status).toBe(400)
    expect(plain(bad.html)).toContain('Contact introuvable.')
    expect(await app.rt.db.selectFrom('deals').select(['contact_ids', 'version']).where('id', '=', deal).executeTakeFirstOrThrow()).toEqual({
      contact_ids: [c1],
      version: 2,
    })
  })
})
