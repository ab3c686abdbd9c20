import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEntities, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db)
  admin = await app.login(w.emails.admin)
})
afterAll(async () => {
  await app?.stop()
})

describe('the organisation list', () => {
  it('finds names whatever the accents and case', async () => {
    await givenOrganisation(app.rt.db, w.ctx(), { name: 'Énergies Picard' })
    await givenOrganisation(app.rt.db, w.ctx(), { name: 'Société Générale de Chauffage' })
    const text = textOf((await admin.get('/organisations?q=ENERGIES')).html)
    expect(text).toContain('Énergies Picard')
    expect(text).not.toContain('Société Générale')
    expect(textOf((await admin.get(`/organisations?q=${encodeURIComponent('societe generale')}`)).html)).toContain('Société Générale de Chauffage')
  })

  it('treats % and _ in a search as plain characters', async () => {
    expect(textOf((await admin.get(`/organisations?q=${encodeURIComponent('%')}`)).html)).toContain('Aucune organisation trouvée.')
  })

  it('pages through 25 at a time', async () => {
    const ws = await givenWorkspace(app.rt.db)
    for (let i = 1; i <= 30; i++) await givenOrganisation(app.rt.db, ws.ctx(), { name: `Client ${String(i).padStart(2, '0')}` })
    const viewer = await app.login(ws.emails.admin)
    const firstHtml = (await viewer.get('/organisations')).html
    const first = textOf(firstHtml)
    expect(first).toContain('Client 25')
    expect(first).not.toContain('Client 26')
    expect(first).toContain('Suivant')
    // Keyset pages: the "Suivant" link carries the cursor.
    const next = decodeEntities(/href="([^"]+)"/.exec(/<a [^>]*rel="next"[^>]*>/.exec(firstHtml)![0])![1])
    const second = textOf((await viewer.get(next)).html)
    expect(second).toContain('Client 26')
    expect(second).toContain('Client 30')
    expect(second).not.toContain('Client 25')
    expect(second).toContain('Précédent')
  })
})

describe('the deal list', () => {
  it('filters by stage and searches titles', async () => {
    const org = await givenOrganisation(app.rt.db, w.ctx())
    await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Chaudière à condensation', stage: 'QUALIFICATION' })
    await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Pompe à chaleur', stage: 'PROSPECT' })
    const qualified = textOf((await admin.get('/deals?etape=QUALIFICATION')).html)
    expect(qualified).toContain('Chaudière à condensation')
    expect(qualified).not.toContain('Pompe à chaleur')
    const searched = textOf((await admin.get(`/deals?q=${encodeURIComponent('chaudiere')}`)).html)
    expect(searched).toContain('Chaudière à condensation')
    expect(searched).not.toContain('Pompe à chaleur')
  })
})
