import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fieldError, startTestApp, textOf, type TestApp } from '~/testing/app-server'
import { givenContract } from '../testing/contract-records'
import { givenOrganisation } from '../testing/crm-records'
import { givenWorkspace } from '../testing/fixtures'

// Contract screens over real HTTP (built app), as a browser without JavaScript posts
// them: create, amend, terminate; French errors that change nothing; roles and
// workspaces.

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

const form = (organisationId: string, over: Record<string, string> = {}) => ({
  title: 'Infogérance serveurs',
  organisation_id: organisationId,
  type: 'abonnement',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  amount: '1 200,00',
  quantity: '1',
  amount_period: 'annuel',
  billing_frequency: 'trimestriel',
  payment_terms_days: '30',
  tacit_renewal: 'on',
  renewal_months: '12',
  notice_months: '3',
  indexation: '2,5',
  activate: 'on',
  ...over,
})

describe('contract screens', () => {
  it('creates, amends and terminates a contract through plain form posts', async () => {
    const w = await givenWorkspace(app.rt.db)
    const org = await givenOrganisation(app.rt.db, w.ctx(w.users.commercial), { name: 'Imprimerie Vauban', ownerId: w.users.commercial })
    const rep = await app.login(w.emails.commercial)
    await rep.get('/contracts/new')
    const created = await rep.post('/contracts/new', form(org, { owner_id: w.users.commercial }))
    expect(created.res.status).toBe(302)
    const path = new URL(created.res.headers.get('Location')!, 'http://x').pathname
    const page = textOf((await rep.get(path)).html)
    expect(page).toContain('Infogérance serveurs')
    expect(page).toContain('Actif')
    expect(page).toContain('100,00 € / mois')
    // Billed quarterly: the item of each started quarter is written at once.
    expect(page).toContain('300,00 €')

    await rep.get(`${path}/amend`)
    const amended = await rep.post(`${path}/amend`, {
      version: '1',
      effective_date: '2026-06-01',
      amount: '2 400,00',
      quantity: '1',
      end_date: '2026-12-31',
      reason: 'Deux serveurs de plus',
    })
    expect(amended.res.status).toBe(302)
    const after = textOf((await rep.get(path)).html)
    expect(after).toContain('Version 1')
    expect(after).toContain('Deux serveurs de plus')

    const terminate = textOf((await rep.get(`${path}/terminate`)).html)
    expect(terminate).toContain('Impact sur le MRR : −200,00 €')
    const refused = await rep.post(`${path}/terminate`, { version: '2', reason: '', effective_date: '2026-12-31' })
    expect(refused.res.status).toBe(422)
    expect(fieldError(refused.html, 'reason')).toBe('Choisissez le motif de résiliation.')
    const done = await rep.post(`${path}/terminate`, { version: '2', reason: 'prix', effective_date: '2026-12-31', comment: '' })
    expect(done.res.status).toBe(302)
    expect(textOf((await rep.get(path)).html)).toContain('Résilié')
    expect(textOf((await rep.get('/contracts?status=resilie')).html)).toContain('Infogérance serveurs')
  })

  it('refuses bad input with French messages beside the fields and creates nothing', async () => {
    const w = await givenWorkspace(app.rt.db)
    const org = await givenOrganisation(app.rt.db, w.ctx())
    const admin = await app.login(w.emails.admin)
    await admin.get('/contracts/new')
    const r = await admin.post('/contracts/new', form(org, { end_date: '2025-12-31', quantity: '0', title: '' }))
    expect(r.res.status).toBe(422)
    expect(fieldError(r.html, 'end_date')).toBe('La date de fin doit suivre la date de début.')
    expect(fieldError(r.html, 'title')).toBe('L’intitulé est obligatoire.')
    const n = await app.rt.db.selectFrom('contracts').select('id').where('workspace_id', '=', w.workspaceId).execute()
    expect(n).toEqual([])
  })

  it('keeps contracts to their workspace and their owners; finance reads but does not create', async () => {
    const w = await givenWorkspace(app.rt.db)
    const other = await givenWorkspace(app.rt.db)
    const c = await givenContract(app.rt.db, w.ctx(w.users.manager), { owner_id: w.users.manager, title: 'Contrat du manager' })
    const stranger = await app.login(other.emails.admin)
    expect((await stranger.get(`/contracts/${c.id}`)).res.status).toBe(404)
    expect(textOf((await stranger.get('/contracts')).html)).not.toContain('Contrat du manager')
    const finance = await app.login(w.emails.finance)
    expect((await finance.get(`/contracts/${c.id}`)).res.status).toBe(200)
    expect((await finance.get('/contracts/new')).res.status).toBe(403)
    expect((await finance.get(`/contracts/${c.id}/terminate`)).res.status).toBe(403)
    const rep = await app.login(w.emails.commercial)
    expect((await rep.get(`/contracts/${c.id}`)).res.status).toBe(404)
    const renewals = await (await app.login(w.emails.manager)).get('/contracts/renewals')
    expect(renewals.res.status).toBe(200)
  })

  it('stores the signed PDF through the file store and serves it back; refuses another file type', async () => {
    const w = await givenWorkspace(app.rt.db)
    const c = await givenContract(app.rt.db, w.ctx())
    const admin = await app.login(w.emails.admin)
    await admin.get(`/contracts/${c.id}`)
    const upload = async (bytes: string, type: string) => {
      const body = new FormData()
      body.set('csrf', admin.csrf)
      body.set('intent', 'upload')
      body.set('file', new Blob([bytes], { type }), 'contrat signé.pdf')
      return admin.request(`/contracts/${c.id}`, { method: 'POST', body })
    }
    const bad = await upload('pas un pdf', 'text/plain')
    expect(bad.status).toBe(422)
    expect(fieldError(await bad.text(), 'file')).toBe('Le contrat signé doit être un fichier PDF.')
    const pdf = '%PDF-1.4\n% contrat\n%%EOF\n'
    expect((await upload(pdf, 'application/pdf')).status).toBe(302)
    const res = await admin.request(`/contracts/${c.id}/signed.pdf`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(pdf)
  })
})
