import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { changeDealStageCommand } from '../domain/crm/crm.commands.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenSecondTeam, givenWorkspace } from '../testing/fixtures.js'
import { startTestApp, textOf, type TestApp } from './testing/app-server.js'

// /reports over real HTTP, as a browser without JavaScript uses it: build (GET form),
// save and share, open as another role (their scope only), export.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let south: Awaited<ReturnType<typeof givenSecondTeam>>

beforeAll(async () => {
  app = await startTestApp()
  w = await givenWorkspace(app.rt.db, 'Rapports SA')
  south = await givenSecondTeam(app.rt.db, w.workspaceId)
  const org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Client Rapports' })
  // Won deals: 12 000 € + 8 000 € for the rep, 50 000 € for the south rep; one lost.
  const plan: [string, number, string][] = [
    [w.users.commercial, 1_200_000, 'SIGNE'],
    [w.users.commercial, 800_000, 'SIGNE'],
    [w.users.commercial, 300_000, 'PERDU'],
    [south.users.commercial, 5_000_000, 'SIGNE'],
    [south.users.commercial, 700_000, 'PROPOSITION'],
  ]
  for (const [i, [owner, amount, stage]] of plan.entries()) {
    const id = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: `Affaire ${i}`, amountCents: amount, ownerId: owner })
    await changeDealStageCommand(app.rt.db, w.ctx(), { id, to: stage, ...(stage === 'PERDU' ? { lostReason: 'prix' } : {}) })
  }
  await app.rt.projector!.waitForCatchUp(30_000)
}, 120_000)
afterAll(async () => {
  await app?.stop()
})

const byOwner = '/reports/nouveau?indicateur=ca_signe&indicateur=affaires_gagnees&indicateur=taux_conversion&par1=commercial&graphique=tableau'

describe('the report builder', () => {
  it('shows the figures grouped as asked, without JavaScript', async () => {
    const admin = await app.login(w.emails.admin)
    const { res, html } = await admin.get(byOwner)
    expect(res.status).toBe(200)
    const text = textOf(html)
    expect(text).toContain('CA signé')
    expect(text).toContain('20 000,00 €')
    expect(text).toContain('50 000,00 €')
    expect(text).toMatch(/66,7 %/)
  })

  it('says in French what cannot be combined, beside the field', async () => {
    const admin = await app.login(w.emails.admin)
    const text = textOf((await admin.get('/reports/nouveau?indicateur=pipeline_brut&par1=mois')).html)
    expect(text).toContain('« Mois » ne s’applique pas à : Pipeline brut (à ce jour).')
    expect(textOf((await admin.get('/reports/nouveau?par1=mois&indicateur=')).html)).toContain('Choisissez au moins un indicateur.')
  })

  it('saves a report shared with the workspace; a rep opens it read-only and sees only their own figures', async () => {
    const admin = await app.login(w.emails.admin)
    await admin.get(byOwner)
    const save = await admin.post(`/reports/nouveau`, {
      nom: 'CA par commercial',
      partage: 'espace',
      indicateur: 'ca_signe',
      par1: 'commercial',
      graphique: 'barres',
      du: '2000-01-01',
      au: '2100-12-31',
    })
    expect(save.res.status).toBe(302)
    const location = save.res.headers.get('location')!
    expect(location).toMatch(/^\/reports\/[0-9a-f-]{36}\?enregistre=1$/)
    expect(textOf((await admin.get(location)).html)).toContain('Rapport enregistré.')

    const rep = await app.login(w.emails.commercial)
    expect(textOf((await rep.get('/reports')).html)).toContain('CA par commercial')
    const seen = textOf((await rep.get(location.split('?')[0])).html)
    expect(seen).toContain('Rapport partagé par')
    expect(seen).toContain('20 000,00 €')
    expect(seen).not.toContain('50 000,00 €')
    // Read-only: the rep cannot overwrite or delete it.
    const id = location.split('/')[2].split('?')[0]
    expect((await rep.post(`/reports/${id}`, { nom: 'Piraté', indicateur: 'ca_signe' })).res.status).toBe(404)
    expect((await rep.post(`/reports/${id}`, { intent: 'supprimer' })).res.status).toBe(404)
    const row = await app.rt.db.selectFrom('reports').select(['name', 'deleted_at']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toEqual({ name: 'CA par commercial', deleted_at: null })

    // Another workspace does not see it at all.
    const other = await givenWorkspace(app.rt.db, 'Autre SA')
    const stranger = await app.login(other.emails.admin)
    expect((await stranger.get(`/reports/${id}`)).res.status).toBe(404)
    expect(textOf((await stranger.get('/reports')).html)).not.toContain('CA par commercial')
  })

  it('keeps a private report to its owner', async () => {
    const manager = await app.login(w.emails.manager)
    await manager.get(byOwner)
    const { res } = await manager.post('/reports/nouveau', { nom: 'Mon suivi', partage: 'prive', indicateur: 'affaires_gagnees' })
    const id = res.headers.get('location')!.split('/')[2].split('?')[0]
    const rep = await app.login(w.emails.commercial)
    expect((await rep.get(`/reports/${id}`)).res.status).toBe(404)
  })

  it('exports CSV for French Excel and XLSX with numbers as numbers', async () => {
    const admin = await app.login(w.emails.admin)
    const csv = await admin.request(
      `/reports/nouveau/export?indicateur=ca_signe&indicateur=taux_conversion&par1=commercial&format=csv&du=2000-01-01&au=2100-12-31`,
    )
    expect(csv.status).toBe(200)
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n')
    expect(lines[0]).toBe('Commercial;CA signé;Taux de conversion (%)')
    expect(lines.some((l) => /;20000,00;66,7$/.test(l))).toBe(true)

    const xlsx = await admin.request(`/reports/nouveau/export?indicateur=ca_signe&par1=commercial&format=xlsx&du=2000-01-01&au=2100-12-31`)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await xlsx.arrayBuffer()) as never)
    const values = wb.worksheets[0].getColumn(2).values.slice(2)
    expect(values).toEqual(expect.arrayContaining([20_000, 50_000]))
    expect(values.every((v) => typeof v === 'number')).toBe(true)
  })
})
