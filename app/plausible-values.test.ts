import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fieldError, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { activityForm } from './testing/contact-records.js'
import { dealForm, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// Plausible values only (issue 12): what the domain refuses reaches the form as a French
// sentence beside its field, with what was typed kept, and nothing is stored.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let org: string

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db)
  admin = await app.login(w.emails.admin)
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Scierie Lambert' })
})
afterAll(async () => {
  await app?.stop()
})

const deals = async () =>
  (
    await app.rt.db
      .selectFrom('deals')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('workspace_id', '=', w.workspaceId)
      .executeTakeFirstOrThrow()
  ).n

describe('the deal form', () => {
  it('refuses a 1 000 milliards € deal beside the amount, keeping what was typed', async () => {
    const before = await deals()
    const { res, html } = await admin.post('/deals/new', dealForm(org, { amount: '1 000 000 000 000' }))
    expect(res.status).toBe(422)
    expect(fieldError(html, 'amount')).toBe('Montant trop élevé (maximum 100 000 000 000 €).')
    expect(textOf(html)).toContain('value="1 000 000 000 000"')
    expect(await deals()).toBe(before)
  })

  it('refuses a close date in the year 9999 beside the date', async () => {
    const { res, html } = await admin.post('/deals/new', dealForm(org, { expected_close_date: '9999-12-31' }))
    expect(res.status).toBe(422)
    expect(fieldError(html, 'expected_close_date')).toBe('Date hors limites : choisissez une date entre 1900 et 2100.')
  })
})

describe('the activity form', () => {
  it('refuses a subject over 200 characters and a note over 100 000 characters, each beside its field', async () => {
    const { res, html } = await admin.post('/activities', activityForm({ organisation_id: org }, { subject: 'x'.repeat(201), body: 'y'.repeat(100_001) }))
    expect(res.status).toBe(422)
    expect(fieldError(html, 'subject')).toBe('L’objet ne doit pas dépasser 200 caractères.')
    expect(fieldError(html, 'body')?.replace(/[\u202f\u00a0]/g, ' ')).toBe('Ce texte ne doit pas dépasser 100 000 caractères.')
  })

  it('refuses invisible control characters in the subject', async () => {
    const { res, html } = await admin.post('/activities', activityForm({ organisation_id: org }, { subject: 'Appel\u001b[2J' }))
    expect(res.status).toBe(422)
    expect(fieldError(html, 'subject')).toMatch(/^Ce texte contient des caractères invisibles non autorisés/)
  })

  it('limits the inputs themselves (maxLength), from the domain’s table', async () => {
    const { html } = await admin.get(`/activities?organisation=${org}`)
    expect(html).toMatch(/name="subject"[^>]*maxLength="200"|maxLength="200"[^>]*name="subject"/i)
    expect(html).toMatch(/name="body"[^>]*maxLength="100000"|maxLength="100000"[^>]*name="body"/i)
  })
})
