import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEntities, startTestApp, type TestApp, type WebClient } from './testing/app-server.js'
import { dealForm, fingerprint, givenDeal, givenOrganisation, organisationForm } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// Roles are enforced on the server, in every loader and action (domain/identity/roles.ts).

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let other: string // a second commercial, outside the team
let finance: WebClient
let rep: WebClient
let manager: WebClient
let org: string
const deals = {} as Record<'rep' | 'other' | 'unassigned' | 'admin', string>

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db)
  const { createUser } = await import('../domain/identity/identity.commands.js')
  other = await createUser(app.rt.db, {
    workspaceId: w.workspaceId,
    email: `autre-${w.workspaceId.slice(0, 8)}@exemple.fr`,
    fullName: 'Autre Commercial',
    password: 'motdepasse-de-test',
    role: 'commercial',
  })
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Tôlerie Bernard' })
  deals.rep = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Affaire du commercial', ownerId: w.users.commercial })
  deals.other = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: "Affaire d'un autre commercial", ownerId: other })
  deals.unassigned = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Affaire non attribuée', ownerId: null })
  deals.admin = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: "Affaire de l'administrateur", ownerId: w.users.admin })
  finance = await app.login(w.emails.finance)
  rep = await app.login(w.emails.commercial)
  manager = await app.login(w.emails.manager)
})
afterAll(async () => {
  await app?.stop()
})

const dealCount = async () =>
  Number(
    (
      await app.rt.db
        .selectFrom('deals')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', w.workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('finance', () => {
  it('cannot open the new deal or organisation forms (403)', async () => {
    expect((await finance.get('/deals/new')).res.status).toBe(403)
    expect((await finance.get('/organisations/new')).res.status).toBe(403)
  })

  it('cannot create a deal: 403 and nothing created', async () => {
    const before = await dealCount()
    const { res, html } = await finance.post('/deals/new', dealForm(org))
    expect(res.status).toBe(403)
    expect(decodeEntities(html)).toContain('Vous n’avez pas les droits pour cette action.')
    expect(await dealCount()).toBe(before)
  })

  it('reads deals but cannot change them', async () => {
    const page = await finance.get(`/deals/${deals.rep}`)
    expect(page.res.status).toBe(200)
    expect(page.html).toContain('Lecture seule')
    expect(page.html).not.toContain('name="intent"')
    const before = await fingerprint(app.rt.db, 'deals', deals.rep)
    const move = await finance.post(`/deals/${deals.rep}`, { intent: 'stage', stage: 'SIGNE', version: String(before.version), commandId: crypto.randomUUID() })
    expect(move.res.status).toBe(403)
    const edit = await finance.post(`/organisations/${org}`, organisationForm({ version: '1' }))
    expect(edit.res.status).toBe(403)
    expect(await fingerprint(app.rt.db, 'deals', deals.rep)).toEqual(before)
  })

  it('has no create buttons on the lists', async () => {
    const { html } = await finance.get('/deals')
    expect(html).not.toContain('href="/deals/new"')
  })
})

describe('commercial', () => {
  it("cannot see another rep's deal (404), sees their own and unassigned ones", async () => {
    expect((await rep.get(`/deals/${deals.other}`)).res.status).toBe(404)
    expect((await rep.get(`/deals/${deals.admin}`)).res.status).toBe(404)
    expect((await rep.get(`/deals/${deals.rep}`)).res.status).toBe(200)
    expect((await rep.get(`/deals/${deals.unassigned}`)).res.status).toBe(200)
    const list = decodeEntities((await rep.get('/deals')).html)
    expect(list).toContain('Affaire du commercial')
    expect(list).toContain('Affaire non attribuée')
    expect(list).not.toContain("Affaire d'un autre commercial")
    expect(list).not.toContain("Affaire de l'administrateur")
  })

  it("cannot change another rep's deal: 404 and nothing changed", async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.other)
    const { res } = await rep.post(`/deals/${deals.other}`, {
      intent: 'stage',
      stage: 'PERDU',
      lost_reason: 'x',
      version: String(before.version),
      commandId: crypto.randomUUID(),
    })
    expect(res.status).toBe(404)
    expect(await fingerprint(app.rt.db, 'deals', deals.other)).toEqual(before)
  })

  it('cannot hand a new deal to someone else', async () => {
    const before = await dealCount()
    const { res } = await rep.post('/deals/new', dealForm(org, { owner_id: other }))
    expect(res.status).toBe(400)
    expect(await dealCount()).toBe(before)
    const own = await rep.post('/deals/new', dealForm(org, { owner_id: w.users.commercial }))
    expect(own.res.status).toBe(302)
    expect(await dealCount()).toBe(before + 1)
  })
})

describe('manager', () => {
  it("sees the team's deals and unassigned ones, not those of people outside the team", async () => {
    expect((await manager.get(`/deals/${deals.rep}`)).res.status).toBe(200) // the commercial is in the manager's team
    expect((await manager.get(`/deals/${deals.unassigned}`)).res.status).toBe(200)
    expect((await manager.get(`/deals/${deals.other}`)).res.status).toBe(404)
    expect((await manager.get(`/deals/${deals.admin}`)).res.status).toBe(404)
  })

  it("may move a team member's deal", async () => {
    const before = await fingerprint(app.rt.db, 'deals', deals.rep)
    const { res } = await manager.post(`/deals/${deals.rep}`, {
      intent: 'stage',
      stage: 'QUALIFICATION',
      version: String(before.version),
      commandId: crypto.randomUUID(),
    })
    expect(res.status).toBe(302)
    const deal = await app.rt.db.selectFrom('deals').select(['stage', 'version']).where('id', '=', deals.rep).executeTakeFirstOrThrow()
    expect(deal).toEqual({ stage: 'QUALIFICATION', version: before.version + 1 })
  })
})

describe('admin', () => {
  it('sees every deal of the workspace', async () => {
    const admin = await app.login(w.emails.admin)
    for (const id of Object.values(deals)) expect((await admin.get(`/deals/${id}`)).res.status).toBe(200)
  })
})
