import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEntities, fieldError, startTestApp, type TestApp, type WebClient } from './testing/app-server.js'
import { activityForm, contactEntries, contactFingerprint, givenActivity, givenContact, postEntries } from './testing/contact-records.js'
import { fingerprint, givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { testNow } from '../testing/clock.js'
import { givenWorkspace } from '../testing/fixtures.js'

// Contacts and activities of workspace B are out of reach of workspace A's admin, by
// every route, even with B's ids in hand.

let app: TestApp
let a: Awaited<ReturnType<typeof givenWorkspace>>
let b: Awaited<ReturnType<typeof givenWorkspace>>
let adminA: WebClient
let orgA: string
let dealA: string
const B = {} as Record<'org' | 'deal' | 'contact' | 'activity', string>
const SECRET = 'Confidentielle Bérénice'

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  a = await givenWorkspace(app.rt.db, 'Atelier A')
  b = await givenWorkspace(app.rt.db, 'Atelier B')
  B.org = await givenOrganisation(app.rt.db, b.ctx(), { name: 'Société de B' })
  B.deal = await givenDeal(app.rt.db, b.ctx(), { organisationId: B.org, title: 'Affaire de B' })
  B.contact = await givenContact(app.rt.db, b.ctx(), { first_name: 'Confidentielle', last_name: 'Bérénice', organisation_id: B.org, emails: ['berenice@b.fr'] })
  B.activity = await givenActivity(app.rt.db, b.ctx(), { contact_id: B.contact }, { subject: 'Appel secret de B' })
  orgA = await givenOrganisation(app.rt.db, a.ctx(), { name: 'Société de A' })
  dealA = await givenDeal(app.rt.db, a.ctx(), { organisationId: orgA, title: 'Affaire de A' })
  adminA = await app.login(a.emails.admin)
})
afterAll(async () => {
  await app?.stop()
})

const count = async (table: 'contacts' | 'activities', workspaceId: string) =>
  Number(
    (
      await app.rt.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe("workspace A's admin and workspace B's contacts and activities", () => {
  it("gets 404 for B's contact and activity pages, and for ids that are not uuids", async () => {
    const page = await adminA.get(`/contacts/${B.contact}`)
    expect(page.res.status).toBe(404)
    expect(decodeEntities(page.html)).not.toContain(SECRET)
    expect((await adminA.get(`/activities/${B.activity}`)).res.status).toBe(404)
    for (const path of ['/contacts/pas-un-uuid', `/contacts/${crypto.randomUUID()}`, '/activities/1%27%20or%201=1']) {
      expect((await adminA.get(path)).res.status).toBe(404)
    }
  })

  it("cannot change or delete B's contact: 404 and nothing changed", async () => {
    const before = await contactFingerprint(app.rt.db, 'contacts', B.contact)
    const edit = await postEntries(adminA, `/contacts/${B.contact}`, contactEntries({ intent: 'update', version: '1', last_name: 'Piraté' }))
    expect(edit.res.status).toBe(404)
    const del = await adminA.post(`/contacts/${B.contact}`, { intent: 'delete', version: '1', commandId: crypto.randomUUID() })
    expect(del.res.status).toBe(404)
    expect(await contactFingerprint(app.rt.db, 'contacts', B.contact)).toEqual(before)
  })

  it("cannot change or delete B's activity: 404 and nothing changed", async () => {
    const before = await contactFingerprint(app.rt.db, 'activities', B.activity)
    const edit = await adminA.post(`/activities/${B.activity}`, { ...activityForm({}), intent: 'update', version: '1', subject: 'Piraté' })
    expect(edit.res.status).toBe(404)
    const del = await adminA.post(`/activities/${B.activity}`, { intent: 'delete', version: '1', commandId: crypto.randomUUID() })
    expect(del.res.status).toBe(404)
    expect(await contactFingerprint(app.rt.db, 'activities', B.activity)).toEqual(before)
  })

  it("cannot log an activity on B's organisation, contact or deal: 404 and nothing created", async () => {
    const before = [await count('activities', a.workspaceId), await count('activities', b.workspaceId)]
    const attempts: Record<string, string>[] = [
      { organisation_id: B.org },
      { contact_id: B.contact },
      { deal_id: B.deal },
      { organisation_id: orgA, contact_id: B.contact },
    ]
    for (const links of attempts) {
      const { res } = await adminA.post('/activities', activityForm(links, { redirectTo: `/organisations/${orgA}` }))
      expect({ links, status: res.status }).toEqual({ links, status: 404 })
    }
    expect((await adminA.get(`/activities?contact=${B.contact}`)).res.status).toBe(404)
    expect([await count('activities', a.workspaceId), await count('activities', b.workspaceId)]).toEqual(before)
  })

  it("cannot attach a new contact to B's organisation nor give it to B's users", async () => {
    const before = await count('contacts', a.workspaceId)
    const org = await postEntries(adminA, '/contacts/new', contactEntries({ organisation_id: B.org }))
    expect(org.res.status).toBe(400)
    expect(fieldError(org.html, 'organisation_id')).toBe('Organisation introuvable.')
    const owner = await postEntries(adminA, '/contacts/new', contactEntries({ owner_id: b.users.commercial }))
    expect(owner.res.status).toBe(400)
    expect(fieldError(owner.html, 'owner_id')).toMatch(/Vous ne pouvez pas attribuer/)
    expect(await count('contacts', a.workspaceId)).toBe(before)
    expect(await count('contacts', b.workspaceId)).toBe(1)
  })

  it("does not offer B's organisation on the new contact form, even asked by id", async () => {
    const { html } = await adminA.get(`/contacts/new?organisation=${B.org}`)
    // (The id is only echoed back in the form's action URL, the page's own address.)
    expect(html).not.toContain(`value="${B.org}"`)
    expect(decodeEntities(html)).not.toContain('Société de B')
  })

  it("never lists B's contacts, even when searching for them", async () => {
    for (const q of ['Bérénice', 'berenice@b.fr', 'confidentielle']) {
      const { res, html } = await adminA.get(`/contacts?q=${encodeURIComponent(q)}`)
      expect(res.status).toBe(200)
      expect(decodeEntities(html)).not.toContain(SECRET)
    }
  })

  it("cannot link B's contact to one of its deals", async () => {
    const before = await fingerprint(app.rt.db, 'deals', dealA)
    const { res } = await postEntries(adminA, `/deals/${dealA}`, [
      ['intent', 'contacts'],
      ['version', String(before.version)],
      ['commandId', crypto.randomUUID()],
      ['contact_ids', B.contact],
    ])
    expect(res.status).toBe(400)
    expect(await fingerprint(app.rt.db, 'deals', dealA)).toEqual(before)
  })

  it("does not show B's activities on its own timelines, whatever the cursor", async () => {
    await givenActivity(app.rt.db, a.ctx(), { organisation_id: orgA }, { subject: 'Note de A' })
    // A day after the app's clock (the tests' one), so the cursor lies after every activity.
    const cursor = `${new Date(testNow().getTime() + 86_400_000).toISOString()}_${B.activity}`
    for (const path of [
      `/organisations/${orgA}`,
      `/organisations/${orgA}?activites=${encodeURIComponent(cursor)}`,
      `/deals/${dealA}`,
      `/organisations/${orgA}?activites=n%27importe-quoi`,
    ]) {
      const { res, html } = await adminA.get(path)
      expect(res.status).toBe(200)
      expect(decodeEntities(html)).not.toContain('Appel secret de B')
    }
  })
})
