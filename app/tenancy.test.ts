import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEntities, textOf, fieldError, startTestApp, type TestApp, type WebClient } from './testing/app-server.js'
import { dealForm, fingerprint, givenDeal, givenOrganisation, organisationForm } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// A user of workspace A reaches nothing of workspace B, by any route, even with B's ids.

let app: TestApp
let a: Awaited<ReturnType<typeof givenWorkspace>>
let b: Awaited<ReturnType<typeof givenWorkspace>>
let adminA: WebClient
let orgB: string
let dealB: string
const ORG_B_NAME = 'Confidentiel Frères SAS'
const DEAL_B_TITLE = 'Contrat secret de B'

beforeAll(async () => {
  app = await startTestApp()
  a = await givenWorkspace(app.rt.db, 'Atelier A')
  b = await givenWorkspace(app.rt.db, 'Atelier B')
  orgB = await givenOrganisation(app.rt.db, b.ctx(), { name: ORG_B_NAME })
  dealB = await givenDeal(app.rt.db, b.ctx(), { organisationId: orgB, title: DEAL_B_TITLE, amountCents: 98_765_400 })
  adminA = await app.login(a.emails.admin)
})
afterAll(async () => {
  await app?.stop()
})

const count = async (table: 'organisations' | 'deals', workspaceId: string) =>
  Number(
    (
      await app.rt.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe("workspace A's admin and workspace B's records", () => {
  it("gets 404 for B's organisation and deal pages", async () => {
    expect((await adminA.get(`/organisations/${orgB}`)).res.status).toBe(404)
    const deal = await adminA.get(`/deals/${dealB}`)
    expect(deal.res.status).toBe(404)
    expect(deal.html).toContain('Page introuvable')
    expect(deal.html).not.toContain(DEAL_B_TITLE)
  })

  it('gets 404, not an error, for ids that are not uuids or do not exist', async () => {
    for (const path of ['/organisations/not-a-uuid', '/deals/1%27%20or%201=1', `/deals/${crypto.randomUUID()}`]) {
      expect((await adminA.get(path)).res.status).toBe(404)
    }
  })

  it("cannot change B's organisation: 404 and nothing changed", async () => {
    const before = await fingerprint(app.rt.db, 'organisations', orgB)
    const { res } = await adminA.post(`/organisations/${orgB}`, organisationForm({ name: 'Piraté', version: String(before.version) }))
    expect(res.status).toBe(404)
    expect(await fingerprint(app.rt.db, 'organisations', orgB)).toEqual(before)
  })

  it("cannot edit or move B's deal: 404 and nothing changed", async () => {
    const before = await fingerprint(app.rt.db, 'deals', dealB)
    const edit = await adminA.post(`/deals/${dealB}`, { ...dealForm(orgB, { title: 'Piraté' }), intent: 'update', version: String(before.version) })
    expect(edit.res.status).toBe(404)
    const move = await adminA.post(`/deals/${dealB}`, {
      intent: 'stage',
      stage: 'PERDU',
      lost_reason: 'sabotage',
      version: String(before.version),
      commandId: crypto.randomUUID(),
    })
    expect(move.res.status).toBe(404)
    expect(await fingerprint(app.rt.db, 'deals', dealB)).toEqual(before)
  })

  it("never lists B's records, even when searching for them", async () => {
    const orgs = await adminA.get(`/organisations?q=${encodeURIComponent('Confidentiel')}`)
    expect(orgs.res.status).toBe(200)
    expect(decodeEntities(orgs.html)).not.toContain(ORG_B_NAME)
    const deals = await adminA.get(`/deals?q=${encodeURIComponent('secret')}`)
    expect(decodeEntities(deals.html)).not.toContain(DEAL_B_TITLE)
    const all = await adminA.get('/deals')
    expect(decodeEntities(all.html)).not.toContain(DEAL_B_TITLE)
  })

  it("does not offer B's organisation on the new deal form, even asked by id", async () => {
    const { html } = await adminA.get(`/deals/new?organisation=${orgB}`)
    expect(decodeEntities(html)).not.toContain(ORG_B_NAME)
    expect(html).not.toContain(orgB)
  })

  it("cannot attach a deal to B's organisation", async () => {
    const before = await count('deals', a.workspaceId)
    const { res, html } = await adminA.post('/deals/new', dealForm(orgB))
    expect(res.status).toBe(400)
    expect(fieldError(html, 'organisation_id')).toBe('Organisation introuvable.')
    expect(await count('deals', a.workspaceId)).toBe(before)
    expect(await count('deals', b.workspaceId)).toBe(1)
  })

  it("cannot make one of B's users the owner of its records", async () => {
    const before = await count('organisations', a.workspaceId)
    const { res, html } = await adminA.post('/organisations/new', organisationForm({ owner_id: b.users.commercial }))
    expect(res.status).toBe(403)
    expect(fieldError(html, 'owner_id')).toMatch(/Vous ne pouvez pas attribuer/)
    expect(await count('organisations', a.workspaceId)).toBe(before)
  })

  it("does not see B's figures on the dashboard", async () => {
    const orgA = await givenOrganisation(app.rt.db, a.ctx())
    await givenDeal(app.rt.db, a.ctx(), { organisationId: orgA, amountCents: 1_234_500 })
    await app.rt.projector!.waitForCatchUp(30_000)
    const { res, html } = await adminA.get('/')
    expect(res.status).toBe(200)
    const text = textOf(html)
    expect(text).toContain('12 345,00 €')
    expect(text).not.toContain('987 654') // B's deal, in the table or anywhere
  })

  it("does not replay B's command ids as its own (idempotency is per workspace)", async () => {
    const commandId = crypto.randomUUID()
    await app.rt.db
      .insertInto('processed_commands')
      .values({ workspace_id: b.workspaceId, command_id: commandId, command_type: 'CreateOrganisation', result: { streamId: orgB } })
      .execute()
    const { res } = await adminA.post('/organisations/new', organisationForm({ commandId, name: 'Nouvelle chez A' }))
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).not.toContain(orgB)
  })
})
