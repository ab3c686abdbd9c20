import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEntities, textOf, fieldError, startTestApp, type TestApp, type WebClient } from './testing/app-server.js'
import { dealForm, fingerprint, givenDeal, givenOrganisation, organisationForm } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// Forms as a browser without JavaScript posts them: bad input changes nothing and comes
// back with French errors beside the fields and what the user typed.

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

const count = async (table: 'organisations' | 'deals') =>
  Number(
    (
      await app.rt.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', w.workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )
const inputValue = (html: string, name: string) => decodeEntities(new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '')

describe('the organisation form', () => {
  it('refuses a bad SIRET with a French error beside the field, keeps the input, creates nothing', async () => {
    const before = await count('organisations')
    const { res, html } = await admin.post('/organisations/new', organisationForm({ name: 'Garage Petit', siret: '732 829 320 00075', city: 'Nantes' }))
    expect(res.status).toBe(422)
    expect(fieldError(html, 'siret')).toBe('SIRET invalide : 14 chiffres avec une clé de contrôle correcte.')
    expect(html).toMatch(/id="f-siret"[^>]*aria-invalid="true"/)
    expect(inputValue(html, 'name')).toBe('Garage Petit')
    expect(inputValue(html, 'siret')).toBe('732 829 320 00075')
    expect(inputValue(html, 'city')).toBe('Nantes')
    expect(await count('organisations')).toBe(before)
  })

  it("refuses a status that is not one of the domain's with a 422 beside the field, keeps the input, creates nothing", async () => {
    const before = await count('organisations')
    const { res, html } = await admin.post('/organisations/new', organisationForm({ name: 'Garage Petit', status: 'bogus' }))
    expect(res.status).toBe(422)
    expect(fieldError(html, 'status')).toBe('Statut inconnu.')
    expect(inputValue(html, 'name')).toBe('Garage Petit')
    expect(await count('organisations')).toBe(before)
  })

  it('creates an organisation and shows it', async () => {
    const { res } = await admin.post(
      '/organisations/new',
      organisationForm({ name: 'Boulangerie Martin', siren: '732 829 320', city: 'Lyon', postal_code: '69001' }),
    )
    expect(res.status).toBe(302)
    const page = await admin.get(res.headers.get('Location')!)
    expect(page.res.status).toBe(200)
    expect(page.html).toContain('Boulangerie Martin')
    expect(textOf(page.html)).toContain('SIREN 732829320')
  })

  it('creates once when the same form is submitted twice', async () => {
    const before = await count('organisations')
    const form = organisationForm({ name: 'Double Clic SARL' })
    const first = await admin.post('/organisations/new', form)
    const second = await admin.post('/organisations/new', form)
    expect(first.res.status).toBe(302)
    expect(second.res.status).toBe(302)
    expect(second.res.headers.get('Location')).toBe(first.res.headers.get('Location'))
    expect(await count('organisations')).toBe(before + 1)
  })

  it('shows the concurrency message when the record changed since the form was loaded', async () => {
    const id = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Version Un' })
    const saved = await admin.post(`/organisations/${id}`, organisationForm({ name: 'Version Deux', version: '1' }))
    expect(saved.res.status).toBe(302)
    const before = await fingerprint(app.rt.db, 'organisations', id)
    const stale = await admin.post(`/organisations/${id}`, organisationForm({ name: 'Version Trois', version: '1' }))
    expect(stale.res.status).toBe(409)
    expect(decodeEntities(stale.html)).toContain('Cet enregistrement a été modifié par quelqu’un d’autre entre-temps.')
    expect(inputValue(stale.html, 'name')).toBe('Version Trois')
    expect(await fingerprint(app.rt.db, 'organisations', id)).toEqual(before)
  })
})

describe('the deal form', () => {
  it('refuses a negative amount with a French error beside the field, creates nothing', async () => {
    const before = await count('deals')
    const { res, html } = await admin.post('/deals/new', dealForm(org, { amount: '-1 500,00', title: 'Charpente' }))
    expect([400, 422]).toContain(res.status)
    expect(fieldError(html, 'amount')).toBe('Le montant ne peut pas être négatif.')
    expect(inputValue(html, 'amount')).toBe('-1 500,00')
    expect(inputValue(html, 'title')).toBe('Charpente')
    expect(await count('deals')).toBe(before)
  })

  it('refuses an amount that is not a number, and reports the other bad fields at once', async () => {
    const { res, html } = await admin.post('/deals/new', dealForm(org, { amount: 'douze mille', title: '' }))
    expect(res.status).toBe(400)
    expect(fieldError(html, 'amount')).toBe('Montant invalide : saisissez un nombre comme 12 500,50.')
    expect(fieldError(html, 'title')).toBe('L’intitulé est obligatoire.')
  })

  it('stores a French amount exactly in cents', async () => {
    const { res } = await admin.post('/deals/new', dealForm(org, { amount: '12 500,50', title: 'Parquet chêne' }))
    expect(res.status).toBe(302)
    const id = res.headers.get('Location')!.split('/').pop()!
    const deal = await app.rt.db.selectFrom('deals').select(['amount_cents', 'stage', 'expected_close_date']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(deal).toEqual({ amount_cents: 1_250_050, stage: 'PROSPECT', expected_close_date: '2027-06-30' })
    const page = textOf((await admin.get(`/deals/${id}`)).html)
    expect(page).toContain('12 500,50 €')
    expect(page).toContain('30/06/2027')
  })

  it('requires a reason to mark a deal lost, then records it', async () => {
    const id = await givenDeal(app.rt.db, w.ctx(), { organisationId: org })
    const before = await fingerprint(app.rt.db, 'deals', id)
    const move = { intent: 'stage', stage: 'PERDU', version: String(before.version), commandId: crypto.randomUUID() }
    const refused = await admin.post(`/deals/${id}`, { ...move, lost_reason: '  ' })
    expect(refused.res.status).toBe(422)
    expect(fieldError(refused.html, 'lost_reason')).toBe('Indiquez la raison de la perte.')
    expect(await fingerprint(app.rt.db, 'deals', id)).toEqual(before)
    const lost = await admin.post(`/deals/${id}`, { ...move, commandId: crypto.randomUUID(), lost_reason: 'Budget gelé' })
    expect(lost.res.status).toBe(302)
    const deal = await app.rt.db.selectFrom('deals').select(['stage', 'lost_reason']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(deal).toEqual({ stage: 'PERDU', lost_reason: 'Budget gelé' })
  })

  it('edits a deal with its version, and refuses a stale one', async () => {
    const id = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, amountCents: 100_000 })
    const edit = await admin.post(`/deals/${id}`, { ...dealForm(org, { amount: '2 000' }), intent: 'update', version: '1' })
    expect(edit.res.status).toBe(302)
    const stale = await admin.post(`/deals/${id}`, { ...dealForm(org, { amount: '3 000' }), intent: 'update', version: '1' })
    expect(stale.res.status).toBe(409)
    const deal = await app.rt.db.selectFrom('deals').select(['amount_cents', 'version']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(deal).toEqual({ amount_cents: 200_000, version: 2 })
  })
})
