import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../domain/identity/identity.commands.js'
import { insertMany } from '../seed/bulk-insert.js'
import { decodeEntities, fieldError, startTestApp, type TestApp, type WebClient } from './testing/app-server.js'
import { contactEntries, givenContact, postEntries } from './testing/contact-records.js'
import { dealForm, givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'

// The deal and contact forms' organisation picker: thousands of organisations, reachable without
// JavaScript through a search that reloads the form, and as JSON for the combobox.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let rep: WebClient
let zoe: string
let hidden: string

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Mille Clients')
  const now = new Date()
  // 1,500 organisations, as in the demo: far more than a select can list.
  const rows = Array.from({ length: 1500 }, (_, i) => ({
    id: randomUUID(),
    workspace_id: w.workspaceId,
    name: `Client ${String(i).padStart(4, '0')}`,
    siren: null,
    siret: null,
    vat_number: null,
    address: null,
    postal_code: null,
    city: 'Lyon',
    sector: null,
    size: null,
    status: 'prospect' as const,
    owner_id: null,
    shared: false,
    tags: [],
    notes: null,
    version: 1,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  }))
  await insertMany(app.rt.db, 'organisations', rows)
  zoe = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Zoé Menuiserie' })
  const other = await createUser(app.rt.db, {
    workspaceId: w.workspaceId,
    email: `autre-${randomUUID().slice(0, 8)}@exemple.fr`,
    fullName: 'Autre',
    password: TEST_PASSWORD,
    role: 'commercial',
  })
  hidden = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Zoé Secrète', ownerId: other })
  admin = await app.login(w.emails.admin)
  rep = await app.login(w.emails.commercial)
})
afterAll(async () => {
  await app?.stop()
})

const options = (page: string) =>
  [
    ...(/<select id="f-organisation_id"(?:(?!<\/select>).)*<\/select>/s.exec(page)?.[0] ?? '').matchAll(
      /<option value="([0-9a-f-]{36})"[^>]*>([^<]*)<\/option>/g,
    ),
  ].map((m) => ({ id: m[1], name: decodeEntities(m[2]) }))

describe('the organisation picker without JavaScript', () => {
  it('lists the first 100 by name and explains how to find the others', async () => {
    const { html } = await admin.get('/deals/new')
    const opts = options(html)
    expect(opts).toHaveLength(100)
    expect(opts[0].name).toBe('Client 0000')
    expect(opts.map((o) => o.id)).not.toContain(zoe)
    expect(decodeEntities(html)).toContain('La liste montre 100 organisations ; utilisez « Chercher » pour trouver les autres.')
    // The search posts the page's own form (its button's intent), so nothing typed is lost.
    expect(html).not.toContain('form="organisation-picker-search"')
    expect(html).toMatch(/<button type="submit" name="intent" value="org_search" formnovalidate=""/)
    // Enter in a field still creates: the form's first submit button is the hidden default one.
    const firstSubmit = /<form method="post" action="\/deals\/new"(?:(?!<\/form>).)*?(<button type="submit"[^>]*>)/s.exec(html)?.[1]
    expect(firstSubmit).toBe('<button type="submit" hidden="" tabindex="-1">')
  })

  it('"Chercher" brings back every field typed, with the matches, and creates nothing', async () => {
    const typed = dealForm('', {
      title: 'Cuisine sur mesure',
      amount: '8 400,00',
      expected_close_date: '2027-03-15',
      stage: 'QUALIFICATION',
      owner_id: w.users.commercial,
      intent: 'org_search',
      org_q: 'zoe menuiseri',
    })
    const { res, html } = await admin.post('/deals/new', typed)
    expect(res.status).toBe(200)
    expect(options(html).map((o) => o.id)).toEqual([zoe])
    expect(decodeEntities(html)).toContain('Organisations trouvées pour « zoe menuiseri »')
    expect(html).toMatch(/<input[^>]*name="org_q"[^>]*value="zoe menuiseri"/)
    expect(html).toMatch(/name="title"[^>]*value="Cuisine sur mesure"/)
    expect(html).toMatch(/name="amount"[^>]*value="8 400,00"/)
    expect(html).toMatch(/name="expected_close_date"[^>]*value="2027-03-15"/)
    expect(html).toMatch(/<option value="QUALIFICATION" selected="">/)
    expect(html).toMatch(new RegExp(`<option value="${w.users.commercial}" selected="">`))
    expect(html).not.toContain('role="alert"')
    const made = await app.rt.db.selectFrom('deals').select('id').where('title', '=', 'Cuisine sur mesure').execute()
    expect(made).toEqual([])
  })

  it('reloads the form with the matches of a (misspelt) search, and the deal is created with one of them', async () => {
    const { html } = await admin.get('/deals/new?org_q=zoe menuiseri')
    const opts = options(html)
    expect(opts.map((o) => o.id)).toEqual([zoe])
    expect(decodeEntities(html)).toContain('Organisations trouvées pour « zoe menuiseri »')
    // The POST form keeps the search in its action, so a refused submit shows the same choices.
    expect(html).toMatch(/<form method="post" action="\/deals\/new\?org_q=zoe(\+|%20)menuiseri"/)
    const refused = await admin.post('/deals/new?org_q=zoe+menuiseri', dealForm(zoe, { amount: 'abc' }))
    expect(refused.res.status).toBe(400)
    expect(refused.html).toMatch(new RegExp(`<option value="${zoe}" selected="">`))
    const created = await admin.post('/deals/new?org_q=zoe+menuiseri', dealForm(zoe, { title: 'Escalier' }))
    expect(created.res.status).toBe(302)
    const deal = await app.rt.db
      .selectFrom('deals')
      .select('organisation_id')
      .where('title', '=', 'Escalier')
      .where('workspace_id', '=', w.workspaceId)
      .executeTakeFirstOrThrow()
    expect(deal.organisation_id).toBe(zoe)
  })

  it('keeps an organisation preselected from its page even beyond the first 100', async () => {
    const { html } = await admin.get(`/deals/new?organisation=${zoe}`)
    expect(html).toMatch(new RegExp(`<option value="${zoe}" selected="">Zoé Menuiserie</option>`))
  })

  it('says so when nothing matches, without sending to "create an organisation first"', async () => {
    const { html } = await admin.get('/deals/new?org_q=qqqqzzzz')
    expect(decodeEntities(html)).toContain('Aucune organisation trouvée pour « qqqqzzzz ».')
    expect(html).toContain('name="title"')
  })

  it('never offers an organisation the user may not see', async () => {
    const { html } = await rep.get('/deals/new?org_q=zoe')
    expect(options(html).map((o) => o.id)).toEqual([zoe])
    expect(options((await rep.get(`/deals/new?organisation=${hidden}`)).html).map((o) => o.id)).not.toContain(hidden)
  })
})

const contactCount = async () =>
  Number(
    (
      await app.rt.db
        .selectFrom('contacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', w.workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('the contact forms, without JavaScript', () => {
  it('creates a contact linked to an organisation beyond the first 100 by name, found through the search', async () => {
    const first = await admin.get('/contacts/new')
    expect(options(first.html)).toHaveLength(100)
    expect(options(first.html).map((o) => o.id)).not.toContain(zoe)
    expect(first.html).toMatch(/<button type="submit" name="intent" value="org_search" formnovalidate=""/)

    const found = await admin.get('/contacts/new?org_q=zoe menuiseri')
    expect(options(found.html).map((o) => o.id)).toEqual([zoe])
    expect(found.html).toMatch(/<form method="post" action="\/contacts\/new\?org_q=zoe(\+|%20)menuiseri"/)
    const { res } = await postEntries(
      admin,
      '/contacts/new?org_q=zoe+menuiseri',
      contactEntries({ first_name: 'Inès', last_name: 'Zoé-Picker', organisation_id: zoe }),
    )
    expect(res.status).toBe(302)
    const row = await app.rt.db
      .selectFrom('contacts')
      .select(['id', 'organisation_id'])
      .where('last_name', '=', 'Zoé-Picker')
      .where('workspace_id', '=', w.workspaceId)
      .executeTakeFirstOrThrow()
    expect(row.organisation_id).toBe(zoe)
    expect(res.headers.get('Location')).toBe(`/contacts/${row.id}`)
  })

  it('"Chercher" brings back every field typed (repeated e-mails and phones too), with the matches, and creates nothing', async () => {
    const before = await contactCount()
    const { res, html } = await postEntries(admin, '/contacts/new', [
      ...contactEntries({
        civility: 'M.',
        first_name: 'Hugo',
        last_name: 'Cherche-Tout',
        job_title: 'Gérant',
        emails: ['hugo@exemple.fr', 'h.perso@exemple.fr'],
        phones: ['06 11 22 33 44', '01 23 45 67 89'],
        owner_id: w.users.commercial,
      }),
      ['intent', 'org_search'],
      ['org_q', 'zoe menuiseri'],
    ])
    expect(res.status).toBe(200)
    expect(options(html).map((o) => o.id)).toEqual([zoe])
    const page = decodeEntities(html)
    for (const v of ['Hugo', 'Cherche-Tout', 'Gérant', 'hugo@exemple.fr', 'h.perso@exemple.fr', '06 11 22 33 44', '01 23 45 67 89', 'zoe menuiseri']) {
      expect(page).toContain(`value="${v}"`)
    }
    expect(html).toMatch(/<option value="M." selected="">/)
    expect(html).toMatch(new RegExp(`<option value="${w.users.commercial}" selected="">`))
    expect(await contactCount()).toBe(before)
  })

  it('refuses an organisation id that is malformed, unknown or not visible, in French beside the field, and creates nothing', async () => {
    const before = await contactCount()
    for (const [client, bad] of [
      [admin, 'pas-un-identifiant'],
      [admin, randomUUID()],
      [rep, hidden],
    ] as const) {
      const { res, html } = await postEntries(client, '/contacts/new', contactEntries({ first_name: 'Refusé', organisation_id: bad }))
      expect(res.status).toBe(400)
      expect(fieldError(html, 'organisation_id')).toBe('Organisation introuvable.')
      expect(html).toContain('value="Refusé"')
    }
    expect(await contactCount()).toBe(before)
  })

  it('keeps the current organisation on the edit form and moves the contact to one found by search', async () => {
    const id = await givenContact(app.rt.db, w.ctx(), { last_name: 'Déménage', organisation_id: zoe })
    const page = await admin.get(`/contacts/${id}`)
    expect(page.html).toMatch(new RegExp(`<option value="${zoe}" selected="">Zoé Menuiserie</option>`))
    const vauban = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Ébénisterie Vauban' })
    const target = options((await admin.get(`/contacts/${id}?org_q=ebenisterie vaubna`)).html).find((o) => o.id === vauban)
    expect(target).toBeDefined()
    // The current organisation stays offered beside the matches.
    expect(options((await admin.get(`/contacts/${id}?org_q=vauban`)).html).map((o) => o.id)).toEqual([zoe, vauban])
    const moved = await postEntries(admin, `/contacts/${id}?org_q=vauban`, [
      ...contactEntries({ last_name: 'Déménage', organisation_id: target!.id }),
      ['intent', 'update'],
      ['version', '1'],
    ])
    expect(moved.res.status).toBe(302)
    expect((await app.rt.db.selectFrom('contacts').select('organisation_id').where('id', '=', id).executeTakeFirstOrThrow()).organisation_id).toBe(target!.id)
    const refused = await postEntries(admin, `/contacts/${id}`, [
      ...contactEntries({ last_name: 'Déménage', organisation_id: randomUUID() }),
      ['intent', 'update'],
      ['version', '2'],
    ])
    expect(refused.res.status).toBe(400)
    expect(fieldError(refused.html, 'organisation_id')).toBe('Organisation introuvable.')
    expect((await app.rt.db.selectFrom('contacts').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version).toBe(2)
  })
  it('"Chercher" on the edit forms of a contact and of a deal keeps what was typed, and saves nothing', async () => {
    const id = await givenContact(app.rt.db, w.ctx(), { last_name: 'Garde-Tout', organisation_id: zoe })
    // The edit form carries a hidden intent=update before the search button's own intent.
    const contact = await postEntries(admin, `/contacts/${id}`, [
      ['intent', 'update'],
      ['version', '1'],
      ...contactEntries({ last_name: 'Garde-Tout', first_name: 'Renée', job_title: 'Acheteuse', emails: ['renee@exemple.fr'], organisation_id: zoe }),
      ['intent', 'org_search'],
      ['org_q', 'zoe menuiseri'],
    ])
    expect(contact.res.status).toBe(200)
    const page = decodeEntities(contact.html)
    for (const v of ['Renée', 'Garde-Tout', 'Acheteuse', 'renee@exemple.fr', 'zoe menuiseri']) expect(page).toContain(`value="${v}"`)
    expect(options(contact.html).map((o) => o.id)).toContain(zoe)
    expect((await app.rt.db.selectFrom('contacts').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version).toBe(1)

    const deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: zoe, title: 'Escalier' })
    const typed = dealForm(zoe, { title: 'Escalier en chêne', amount: '12 500,00', expected_close_date: '2027-05-31', version: '1', org_q: 'zoe menuiseri' })
    const edited = await postEntries(admin, `/deals/${deal}`, [['intent', 'update'], ...Object.entries(typed), ['intent', 'org_search']])
    expect(edited.res.status).toBe(200)
    expect(edited.html).toMatch(/name="title"[^>]*value="Escalier en chêne"/)
    expect(edited.html).toMatch(/name="amount"[^>]*value="12 500,00"/)
    expect(edited.html).toMatch(/name="expected_close_date"[^>]*value="2027-05-31"/)
    expect(decodeEntities(edited.html)).toContain('Organisations trouvées pour « zoe menuiseri »')
    expect((await app.rt.db.selectFrom('deals').select(['title', 'version']).where('id', '=', deal).executeTakeFirstOrThrow()).title).toBe('Escalier')
  })
})

describe('/organisations/lookup (the combobox with JavaScript)', () => {
  it('answers JSON matches, typo-tolerant, role-filtered', async () => {
    const res = await admin.request('/organisations/lookup?q=zoe')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    const body = (await res.json()) as { items: { id: string; name: string }[] }
    expect(body.items.map((i) => i.id).sort()).toEqual([zoe, hidden].sort())
    const repBody = (await (await rep.request('/organisations/lookup?q=zoé')).json()) as { items: { id: string }[] }
    expect(repBody.items.map((i) => i.id)).toEqual([zoe])
    const first = (await (await admin.request('/organisations/lookup')).json()) as { items: { name: string }[] }
    expect(first.items).toHaveLength(20)
    expect(first.items[0].name).toBe('Client 0000')
  })

  it('is behind the login', async () => {
    const res = await app.client().request('/organisations/lookup?q=zoe')
    expect(res.status).toBe(302)
  })
})
