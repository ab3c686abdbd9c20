import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fieldError, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { dealForm, fingerprint, givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// The domain refuses with codes; the web layer writes them in the reader's language. An
// English user reads English errors (French ones stay word for word: app/forms.test.ts).

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let english: WebClient
let org: string

// Letters and words only French sentences of ours use: none may reach an English page's errors.
const FRENCH = /[éèàùçêâôîû«»]|\b(le|la|les|des|est|une|doit|invalide|introuvable)\b/i

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db)
  await app.rt.db.updateTable('users').set({ locale: 'en' }).where('id', '=', w.users.admin).execute()
  english = await app.login(w.emails.admin)
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Scierie Lambert' })
})
afterAll(async () => {
  await app?.stop()
})

describe('an English user', () => {
  it('gets the domain’s refusal of a bad deal form in English', async () => {
    const { res, html } = await english.post('/deals/new', dealForm(org, { amount: '-1 500,00', title: 'Charpente' }))
    expect([400, 422]).toContain(res.status)
    expect(fieldError(html, 'amount')).toBe('The amount cannot be negative.')
    expect(fieldError(html, 'amount')).not.toMatch(FRENCH)
  })

  it('gets every field error of a form at once in English', async () => {
    const { html } = await english.post('/deals/new', dealForm(org, { amount: '-3', title: '' }))
    expect(fieldError(html, 'title')).toBe('The title is required.')
    expect(fieldError(html, 'amount')).toBe('The amount cannot be negative.')
  })

  it('is told in English that a lost deal needs a reason, and that the record changed', async () => {
    const id = await givenDeal(app.rt.db, w.ctx(), { organisationId: org })
    const before = await fingerprint(app.rt.db, 'deals', id)
    const refused = await english.post(`/deals/${id}`, {
      intent: 'stage',
      stage: 'PERDU',
      version: String(before.version),
      commandId: crypto.randomUUID(),
      lost_reason: ' ',
    })
    expect(refused.res.status).toBe(422)
    expect(fieldError(refused.html, 'lost_reason')).toBe('Give the reason for the loss.')
    const edit = await english.post(`/deals/${id}`, { ...dealForm(org, { amount: '2 000' }), intent: 'update', version: String(before.version) })
    expect(edit.res.status).toBe(302)
    const stale = await english.post(`/deals/${id}`, { ...dealForm(org, { amount: '3 000' }), intent: 'update', version: String(before.version) })
    expect(stale.res.status).toBe(409)
    expect(textOf(stale.html)).toContain('Someone else changed this record in the meantime.')
    expect(textOf(stale.html)).not.toContain('modifié par quelqu')
  })
})
