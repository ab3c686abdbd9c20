import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../domain/identity/identity.commands.js'
import { createContactCommand } from '../domain/crm/contact.commands.js'
import { createProductCommand } from '../domain/sales/product.commands.js'
import { createQuoteCommand, sendQuoteCommand } from '../domain/sales/quote.commands.js'
import { computeTotals } from '../domain/sales/quote-totals.js'
import type { QuoteLine } from '../domain/sales/quote.js'
import { formatEuros } from './utils/format.js'
import { decodeEntities, fieldError, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { TEST_NOW } from '../testing/clock.js'

// The quote editor and the catalogue over real HTTP, posted like a browser without
// JavaScript: creating a quote from a deal, catalogue and free lines, totals on the page
// against computeTotals, field errors that change nothing, status actions, versions,
// roles and the catalogue's admin screens and CSV import.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let rep: WebClient
let otherRep: WebClient
let finance: WebClient
let org: string
let deal: string
let contact: string
let conseil: string // product: Journée de conseil, 850 € HT / jour, 20 %
let guide: string // product: Guide pratique, 23,45 €, 5,5 %

const quoteRow = (id: string) => app.rt.db.selectFrom('quotes').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
async function fingerprint(id: string) {
  const row = await quoteRow(id)
  const events = await app.rt.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('stream_id', '=', id)
    .executeTakeFirstOrThrow()
  return { version: row.version, lines: JSON.stringify(row.lines), events: Number(events.n) }
}
/** The editor's hidden fields and every line input, as the page renders them (what a no-JS browser posts back). */
function formOf(html: string): Record<string, string> {
  const form = /<form[^>]*id="quote-form"[\s\S]*?<\/form>/.exec(html)![0]
  const values: Record<string, string> = {}
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const name = /name="([^"]+)"/.exec(m[1])?.[1]
    if (!name) continue
    values[decodeEntities(name)] = decodeEntities(/value="([^"]*)"/.exec(m[1])?.[1] ?? '')
  }
  for (const m of form.matchAll(/<textarea([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = /name="([^"]+)"/.exec(m[1])?.[1]
    if (name) values[decodeEntities(name)] = decodeEntities(m[2])
  }
  for (const m of form.matchAll(/<select([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = /name="([^"]+)"/.exec(m[1])?.[1]
    if (!name) continue
    const selected = /<option[^>]*value="([^"]*)"[^>]*selected/.exec(m[2])?.[1] ?? /<option[^>]*value="([^"]*)"/.exec(m[2])?.[1] ?? ''
    values[decodeEntities(name)] = decodeEntities(selected)
  }
  delete values.csrf
  return values
}
const idFrom = (res: Response) => res.headers.get('location')!.match(/\/quotes\/([0-9a-f-]{36})/)![1]
const line = (over: Partial<QuoteLine> = {}): QuoteLine => ({
  product_id: null,
  code: null,
  description: 'Journée de conseil',
  unit: 'jour',
  quantity: '3',
  unit_price_cents: 85_000,
  discount: null,
  vat_rate: 2000,
  vat_exemption: null,
  ...over,
})
async function givenQuote(lines: QuoteLine[], opts: { sent?: boolean; dealId?: string | null; by?: string } = {}) {
  const id = randomUUID()
  const ctx = w.ctx(opts.by ?? w.users.commercial)
  await createQuoteCommand(app.rt.db, ctx, {
    id,
    fields: {
      organisation_id: org,
      contact_id: contact,
      deal_id: opts.dealId === undefined ? deal : opts.dealId,
      title: 'Fours 2027',
      validity_days: 30,
      payment_terms: null,
      notes: null,
    },
    lines,
  })
  if (opts.sent) await sendQuoteCommand(app.rt.db, ctx, { id })
  return id
}

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Boulangeries Martin')
  const outsider = await createUser(app.rt.db, {
    workspaceId: w.workspaceId,
    email: `autre-${randomUUID().slice(0, 8)}@exemple.fr`,
    fullName: 'Autre Commercial',
    password: TEST_PASSWORD,
    role: 'commercial',
  })
  void outsider
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Boulangerie Martin', ownerId: w.users.commercial })
  deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Fours 2027', ownerId: w.users.commercial, amountCents: 1_000_000 })
  contact = randomUUID()
  await createContactCommand(app.rt.db, w.ctx(), {
    id: contact,
    fields: {
      civility: 'Mme',
      first_name: 'Claire',
      last_name: 'Martin',
      job_title: 'Gérante',
      emails: ['claire@martin.fr'],
      phones: [],
      organisation_id: org,
      owner_id: w.users.commercial,
      shared: false,
      gdpr_consent: false,
      consent_source: null,
      consent_date: null,
      marketing_opt_out: false,
    },
  })
  conseil = randomUUID()
  await createProductCommand(app.rt.db, w.ctx(), {
    id: conseil,
    fields: {
      code: 'CONS-J',
      name: 'Journée de conseil',
      description: null,
      unit: 'jour',
      unit_price_cents: 85_000,
      vat_rate: 2000,
      vat_exemption: null,
      category: 'Prestations',
    },
  })
  guide = randomUUID()
  await createProductCommand(app.rt.db, w.ctx(), {
    id: guide,
    fields: {
      code: null,
      name: 'Guide pratique',
      description: 'Édition 2027',
      unit: 'unité',
      unit_price_cents: 2_345,
      vat_rate: 550,
      vat_exemption: null,
      category: 'Livres',
    },
  })
  const otherEmail = (
    await app.rt.db
      .selectFrom('users')
      .select('email')
      .where('full_name', '=', 'Autre Commercial')
      .where('workspace_id', '=', w.workspaceId)
      .executeTakeFirstOrThrow()
  ).email
  ;[admin, rep, otherRep, finance] = await Promise.all([
    app.login(w.emails.admin),
    app.login(w.emails.commercial),
    app.login(otherEmail),
    app.login(w.emails.finance),
  ])
})
afterAll(async () => {
  await app?.stop()
})

describe('creating a quote without JavaScript', () => {
  it('starts from the deal page, prefilled with its organisation and deal, and numbers it DEV-YYYY-NNNN', async () => {
    const dealPage = await rep.get(`/deals/${deal}`)
    expect(dealPage.html).toContain(`href="/quotes/new?deal=${deal}"`)
    const { res, html } = await rep.get(`/quotes/new?deal=${deal}`)
    expect(res.status).toBe(200)
    expect(html).toContain(`name="organisation_id" value="${org}"`)
    expect(html).toMatch(new RegExp(`<option value="${deal}" selected=""`))
    const commandId = /name="commandId" value="([^"]+)"/.exec(html)![1]
    const post = await rep.post('/quotes/new', {
      commandId,
      organisation_id: org,
      contact_id: contact,
      deal_id: deal,
      title: 'Four à sole et formation',
      validity_days: '30',
      payment_terms: '30 jours fin de mois',
      notes: '',
    })
    expect(post.res.status).toBe(302)
    const id = idFrom(post.res)
    const q = await quoteRow(id)
    expect(q).toMatchObject({
      organisation_id: org,
      contact_id: contact,
      deal_id: deal,
      status: 'brouillon',
      revision: 1,
      created_by: w.users.commercial,
      validity_days: 30,
    })
    // The Paris year of the tests' clock (testing/clock.ts), not of today.
    expect(q.number).toMatch(new RegExp(`^DEV-${new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' }).format(TEST_NOW)}-\\d{4}$`))
    // The same form again (double submit): the same quote, no second number.
    const again = await rep.post('/quotes/new', {
      commandId,
      organisation_id: org,
      contact_id: contact,
      deal_id: deal,
      title: 'Four à sole et formation',
      validity_days: '30',
      payment_terms: '',
      notes: '',
    })
    expect(idFrom(again.res)).toBe(id)
    // The deal page lists it.
    expect(textOf((await rep.get(`/deals/${deal}`)).html)).toContain(q.number)
  })

  it('refuses a validity that is not a number of days, beside the field', async () => {
    const { html } = await rep.get(`/quotes/new?organisation=${org}`)
    const commandId = /name="commandId" value="([^"]+)"/.exec(html)![1]
    const before = await app.rt.db.selectFrom('quotes').select('id').where('workspace_id', '=', w.workspaceId).execute()
    const post = await rep.post(`/quotes/new?organisation=${org}`, {
      commandId,
      organisation_id: org,
      contact_id: '',
      deal_id: '',
      title: '',
      validity_days: 'trente',
      payment_terms: '',
      notes: '',
    })
    expect(post.res.status).toBe(400)
    expect(fieldError(post.html, 'validity_days')).toBe('La durée de validité doit être un nombre de jours entier.')
    expect(await app.rt.db.selectFrom('quotes').select('id').where('workspace_id', '=', w.workspaceId).execute()).toHaveLength(before.length)
  })
})

describe('editing the lines without JavaScript', () => {
  it('adds a catalogue line, then a free line typed in the spare row, and the page shows computeTotals', async () => {
    const id = await givenQuote([])
    const page = await rep.get(`/quotes/${id}`)
    expect(page.res.status).toBe(200)
    // Catalogue: 2,5 days of consulting.
    const add = await rep.post(`/quotes/${id}`, { ...formOf(page.html), add_product_id: conseil, add_product_quantity: '2,5', intent: 'add_product' })
    expect(add.res.status).toBe(302)
    expect(add.res.headers.get('location')).toBe(`/quotes/${id}?enregistre=1#lignes`)
    expect((await quoteRow(id)).lines).toEqual([
      {
        product_id: conseil,
        code: 'CONS-J',
        description: 'Journée de conseil',
        unit: 'jour',
        quantity: '2.5',
        unit_price_cents: 85_000,
        discount: null,
        vat_rate: 2000,
        vat_exemption: null,
      },
    ])

    // A free line at 5,5 % with an odd quantity and a 10 % discount, typed in the spare row; a 5 % global discount.
    const second = await rep.get(`/quotes/${id}`)
    const values = formOf(second.html)
    expect(values.line_count).toBe('2')
    Object.assign(values, {
      'lines.1.description': 'Livres — lot découverte',
      'lines.1.quantity': '0,333',
      'lines.1.unit': 'lot',
      'lines.1.unit_price': '75,50',
      'lines.1.discount': '10',
      'lines.1.discount_kind': 'percent',
      'lines.1.vat_rate': '550',
      global_discount: '5',
      global_discount_kind: 'percent',
      intent: 'add_line',
    })
    expect((await rep.post(`/quotes/${id}`, values)).res.status).toBe(302)
    const q = await quoteRow(id)
    expect((q.lines as QuoteLine[]).map((l) => [l.description, l.quantity, l.unit_price_cents, l.vat_rate, l.discount])).toEqual([
      ['Journée de conseil', '2.5', 85_000, 2000, null],
      ['Livres — lot découverte', '0.333', 7_550, 550, { kind: 'percent', bps: 1000 }],
    ])
    // By hand: 2,5 × 850 = 2 125,00 ; 0,333 × 75,50 = 25,1415 → 25,14, −10 % = 2,514 → 2,51 → 22,63.
    // Σ = 2 147,63 ; −5 % = 107,3815 → 107,38, spread 106,25 at 20 % / 1,13 at 5,5 % (largest remainder).
    // Bases 2 018,75 and 21,50; VAT 403,75 and 1,1825 → 1,18 (once per rate); TTC 2 040,25 + 404,93 = 2 445,18.
    const expected = computeTotals(q.lines as QuoteLine[], { kind: 'percent', bps: 500 })
    expect(expected).toMatchObject({ lines_net_cents: 214_763, global_discount_cents: 10_738, total_ht_cents: 204_025 })
    expect(Number(q.total_ttc_cents)).toBe(expected.total_ttc_cents)
    const html = (await rep.get(`/quotes/${id}`)).html
    const shown = (testid: string) => textOf(new RegExp(`data-testid="${testid}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '')
    const euros = (c: number) => textOf(formatEuros(c))
    expect(shown('total-ht')).toBe(euros(expected.total_ht_cents))
    expect(shown('total-vat-2000')).toBe(euros(expected.vat.find((g) => g.rate === 2000)!.vat_cents))
    expect(shown('total-vat-550')).toBe(euros(expected.vat.find((g) => g.rate === 550)!.vat_cents))
    expect(shown('total-ttc')).toBe(euros(expected.total_ttc_cents))
    expect(shown('total-ttc')).toBe('2 445,18 €')
    // Part B's pages: the draft's PDF preview and "Envoyer au client"; the workspace's legal mentions under the conditions.
    expect(html).toMatch(/<button[^>]*form="quote-form"[^>]*name="intent"[^>]*value="send"/)
    // Sending saves what is on screen, then opens the send page.
    const send = await rep.post(`/quotes/${id}`, { ...formOf(html), 'lines.0.quantity': '3', intent: 'send' })
    expect(send.res.headers.get('location')).toBe(`/quotes/${id}/send`)
    expect(((await quoteRow(id)).lines as QuoteLine[])[0].quantity).toBe('3')
    expect(html).toContain(`href="/quotes/${id}/v/brouillon.pdf"`)
    expect(textOf(html)).toContain("Devis reçu avant l'exécution des travaux")
    expect(shown('total-vat-550')).toBe('1,18 €')
  })

  it('moves and removes lines with the row buttons', async () => {
    const id = await givenQuote([line({ description: 'A' }), line({ description: 'B' }), line({ description: 'C' })])
    const page = await rep.get(`/quotes/${id}`)
    await rep.post(`/quotes/${id}`, { ...formOf(page.html), intent: 'down:0' })
    expect(((await quoteRow(id)).lines as QuoteLine[]).map((l) => l.description)).toEqual(['B', 'A', 'C'])
    const again = await rep.get(`/quotes/${id}`)
    await rep.post(`/quotes/${id}`, { ...formOf(again.html), intent: 'remove:2' })
    expect(((await quoteRow(id)).lines as QuoteLine[]).map((l) => l.description)).toEqual(['B', 'A'])
  })

  it('puts a bad quantity, price or discount beside its field in French and saves nothing', async () => {
    const id = await givenQuote([line(), line({ description: 'Livraison', quantity: '1', unit_price_cents: 15_000 })])
    const before = await fingerprint(id)
    const page = await rep.get(`/quotes/${id}`)
    const values = {
      ...formOf(page.html),
      'lines.0.quantity': '2,5555',
      'lines.1.unit_price': 'douze euros',
      'lines.1.discount': '120',
      'lines.1.discount_kind': 'percent',
      intent: 'save',
    }
    const { res, html } = await rep.post(`/quotes/${id}`, values)
    expect(res.status).toBe(400)
    expect(fieldError(html, 'lines.0.quantity')).toBe('Quantité invalide : un nombre positif avec au plus 3 décimales (ex. 2,5 ou 0,333).')
    expect(fieldError(html, 'lines.1.unit_price')).toBe('Prix unitaire invalide : saisissez un montant comme 1 250,50.')
    expect(fieldError(html, 'lines.1.discount')).toBe('Remise invalide : un pourcentage entre 0 et 100, comme 12,5.')
    // What was typed stays in the form.
    expect(decodeEntities(html)).toContain('value="douze euros"')
    // A discount above the line's amount: the domain's message, on the right row.
    const over = await rep.post(`/quotes/${id}`, { ...formOf(page.html), 'lines.1.discount': '200', 'lines.1.discount_kind': 'amount', intent: 'save' })
    expect(fieldError(over.html, 'lines.1.discount')).toBe('La remise dépasse le montant de la ligne.')
    expect(await fingerprint(id)).toEqual(before)
  })

  it('editing a sent quote opens version 2; version 1 stays readable as sent', async () => {
    const id = await givenQuote([line()], { sent: true })
    const page = await rep.get(`/quotes/${id}`)
    expect(textOf(page.html)).toContain('vos modifications créeront la version 2')
    await rep.post(`/quotes/${id}`, { ...formOf(page.html), 'lines.0.quantity': '4', intent: 'save' })
    expect(await quoteRow(id)).toMatchObject({ revision: 2, status: 'brouillon' })
    const after = await rep.get(`/quotes/${id}`)
    expect(after.html).toContain(`href="/quotes/${id}/v/1"`)
    expect(after.html).toContain(`href="/quotes/${id}/v/1.pdf"`)
    const v1 = await rep.get(`/quotes/${id}/v/1`)
    expect(v1.res.status).toBe(200)
    expect(textOf(v1.html)).toContain(textOf(formatEuros(306_000))) // 3 × 850 € + 20 %
    expect((await rep.get(`/quotes/${id}/v/2`)).res.status).toBe(404)
  })
})

describe('the client answers', () => {
  it('marking a sent quote accepted moves its deal to SIGNE at the quote HT amount', async () => {
    const d = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Vitrine réfrigérée', ownerId: w.users.commercial, amountCents: 500_000 })
    const id = await givenQuote([line({ quantity: '2' })], { sent: true, dealId: d })
    const page = await rep.get(`/quotes/${id}`)
    expect(textOf(page.html)).toContain('passera à l’étape Signé avec le montant HT du devis : 1 700,00 € HT')
    const q = await quoteRow(id)
    const { res } = await rep.post(`/quotes/${id}`, { intent: 'accept', version: String(q.version), commandId: randomUUID(), signed_by: 'Claire Martin' })
    expect(res.status).toBe(302)
    expect(await quoteRow(id)).toMatchObject({ status: 'accepte', signed_by: 'Claire Martin' })
    expect(await app.rt.db.selectFrom('deals').select(['stage', 'amount_cents']).where('id', '=', d).executeTakeFirst()).toEqual({
      stage: 'SIGNE',
      amount_cents: 170_000,
    })
    // An accepted quote is read-only; a forged save is refused and changes nothing.
    const after = await rep.get(`/quotes/${id}`)
    expect(after.html).not.toContain('id="quote-form"')
    expect(textOf(after.html)).toContain('Version 1 acceptée, signée par Claire Martin')
    const before = await fingerprint(id)
    const forged = await rep.post(`/quotes/${id}`, { ...formOf(page.html), 'lines.0.quantity': '9', intent: 'save' })
    expect(forged.res.status).toBe(409)
    expect(await fingerprint(id)).toEqual(before)
  })

  it('refusing can mark the deal PERDU with the reason', async () => {
    const d = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Pétrin', ownerId: w.users.commercial })
    const id = await givenQuote([line()], { sent: true, dealId: d })
    const q = await quoteRow(id)
    const missing = await rep.post(`/quotes/${id}`, { intent: 'refuse', version: String(q.version), commandId: randomUUID(), reason: '', mark_deal_lost: 'on' })
    expect(missing.res.status).toBe(422)
    expect(fieldError(missing.html, 'reason')).toMatch(/raison du refus/)
    await rep.post(`/quotes/${id}`, { intent: 'refuse', version: String(q.version), commandId: randomUUID(), reason: 'Budget gelé', mark_deal_lost: 'on' })
    expect(await quoteRow(id)).toMatchObject({ status: 'refuse', refusal_reason: 'Budget gelé' })
    expect(await app.rt.db.selectFrom('deals').select(['stage', 'lost_reason']).where('id', '=', d).executeTakeFirst()).toEqual({
      stage: 'PERDU',
      lost_reason: 'Budget gelé',
    })
  })
})

describe('roles', () => {
  it('finance reads every quote but cannot create or change one', async () => {
    const id = await givenQuote([line()])
    const page = await finance.get(`/quotes/${id}`)
    expect(page.res.status).toBe(200)
    expect(page.html).not.toContain('id="quote-form"')
    expect(textOf(page.html)).toContain('Lecture seule')
    expect((await finance.get('/quotes/new')).res.status).toBe(403)
    const before = await fingerprint(id)
    const q = await quoteRow(id)
    expect((await finance.post(`/quotes/${id}`, { intent: 'save', version: String(q.version), line_count: '0' })).res.status).toBe(403)
    expect(await fingerprint(id)).toEqual(before)
    expect(textOf((await finance.get('/quotes')).html)).toContain(q.number)
  })

  it("a manager sees the team's quotes, not those of a rep outside the team", async () => {
    const manager = await app.login(w.emails.manager)
    const teamQuote = await givenQuote([line()])
    const outsiderId = (
      await app.rt.db
        .selectFrom('users')
        .select('id')
        .where('full_name', '=', 'Autre Commercial')
        .where('workspace_id', '=', w.workspaceId)
        .executeTakeFirstOrThrow()
    ).id
    const outsiderOrg = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Pâtisserie Roche', ownerId: outsiderId })
    const outsiderQuote = randomUUID()
    await createQuoteCommand(app.rt.db, w.ctx(outsiderId), {
      id: outsiderQuote,
      fields: { organisation_id: outsiderOrg, contact_id: null, deal_id: null, title: null, validity_days: 30, payment_terms: null, notes: null },
    })
    expect((await manager.get(`/quotes/${teamQuote}`)).res.status).toBe(200)
    expect((await manager.get(`/quotes/${outsiderQuote}`)).res.status).toBe(404)
    expect((await otherRep.get(`/quotes/${outsiderQuote}`)).res.status).toBe(200)
    expect((await admin.get(`/quotes/${outsiderQuote}`)).res.status).toBe(200)
  })

  it("another rep cannot open a rep's quote by URL, nor see it in the list", async () => {
    const id = await givenQuote([line()])
    const q = await quoteRow(id)
    expect((await otherRep.get(`/quotes/${id}`)).res.status).toBe(404)
    expect((await otherRep.get(`/quotes/${id}/v/1`)).res.status).toBe(404)
    expect((await otherRep.post(`/quotes/${id}`, { intent: 'save', version: String(q.version), line_count: '0' })).res.status).toBe(404)
    expect(textOf((await otherRep.get('/quotes')).html)).not.toContain(q.number)
    expect(textOf((await rep.get('/quotes?status=brouillon')).html)).toContain(q.number)
  })

  it('the organisation page links to its quotes, and the list filters on it', async () => {
    const id = await givenQuote([line()])
    const q = await quoteRow(id)
    const page = (await rep.get(`/organisations/${org}`)).html
    expect(page).toContain(`/quotes?organisation=${org}`)
    expect(textOf((await rep.get(`/quotes?organisation=${org}`)).html)).toContain(q.number)
    const elsewhere = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Fromagerie Lenoir', ownerId: w.users.commercial })
    expect(textOf((await rep.get(`/quotes?organisation=${elsewhere}`)).html)).not.toContain(q.number)
  })

  it("the quote's documents follow the quote's rule, not the organisation's: a shared organisation does not open another rep's quote", async () => {
    const id = await givenQuote([line()], { sent: true })
    await app.rt.db.updateTable('organisations').set({ shared: true }).where('id', '=', org).execute()
    try {
      for (const path of [`/quotes/${id}/v/1.pdf`, `/quotes/${id}/v/brouillon.pdf`, `/quotes/${id}/send`, `/quotes/${id}/signed.pdf`]) {
        expect((await otherRep.request(path)).status, path).toBe(404)
      }
      expect((await rep.request(`/quotes/${id}/v/1.pdf`)).status).toBe(200)
    } finally {
      await app.rt.db.updateTable('organisations').set({ shared: false }).where('id', '=', org).execute()
    }
  })
})

describe('the catalogue', () => {
  it('admins create, edit and archive products; a bad price is refused beside the field', async () => {
    const page = await admin.get('/products/new')
    const commandId = /name="commandId" value="([^"]+)"/.exec(page.html)![1]
    const bad = await admin.post('/products/new', {
      commandId,
      name: 'Formation HACCP',
      code: 'HACCP',
      description: '',
      unit: 'jour',
      unit_price: '1.200,5,0',
      vat_rate: '0',
      vat_exemption: '',
      category: 'Formations',
    })
    expect(bad.res.status).toBe(400)
    expect(fieldError(bad.html, 'unit_price')).toBe('Prix unitaire invalide : saisissez un montant comme 1 250,50.')
    expect(fieldError(bad.html, 'vat_exemption')).toMatch(/^À 0 % de TVA, indiquez la mention/)
    const ok = await admin.post('/products/new', {
      commandId,
      name: 'Formation HACCP',
      code: 'HACCP',
      description: '',
      unit: 'jour',
      unit_price: '1 200,50',
      vat_rate: '0',
      vat_exemption: 'Exonération de TVA, article 261, 4, 4° du CGI',
      category: 'Formations',
    })
    expect(ok.res.status).toBe(302)
    const p = await app.rt.db.selectFrom('products').selectAll().where('workspace_id', '=', w.workspaceId).where('code', '=', 'HACCP').executeTakeFirstOrThrow()
    expect(p).toMatchObject({ unit_price_cents: 120_050, vat_rate: 0, category: 'Formations', active: true })
    expect(textOf((await rep.get('/products?categorie=Formations')).html)).toContain('Formation HACCP')
    // Commercials read; they cannot change the catalogue.
    expect((await rep.get(`/products/${p.id}`)).res.status).toBe(200)
    expect((await rep.get('/products/new')).res.status).toBe(403)
    expect((await rep.post(`/products/${p.id}`, { intent: 'archive', version: String(p.version) })).res.status).toBe(403)
    // Archive, then it is offered no more on quotes; restore.
    expect((await admin.post(`/products/${p.id}`, { intent: 'archive', version: String(p.version) })).res.status).toBe(302)
    expect(textOf((await rep.get('/products')).html)).not.toContain('Formation HACCP')
    expect(textOf((await rep.get('/products?etat=archived')).html)).toContain('Formation HACCP')
    const archived = await app.rt.db.selectFrom('products').select('version').where('id', '=', p.id).executeTakeFirstOrThrow()
    expect((await admin.post(`/products/${p.id}`, { intent: 'restore', version: String(archived.version) })).res.status).toBe(302)
    expect((await app.rt.db.selectFrom('products').select('active').where('id', '=', p.id).executeTakeFirstOrThrow()).active).toBe(true)
  })

  it('imports a CSV: a dry-run report first, then the commit', async () => {
    const csv =
      'Code;Désignation;Unité;Prix HT;TVA;Catégorie\r\nLIC-M;Licence mensuelle;licence/mois;49,90;20;Logiciels\r\nSUP;Support;heure;75,5;20;Logiciels\r\n;Sans prix;heure;;20;Logiciels\r\n'
    const form = new FormData()
    form.set('csrf', admin.csrf)
    form.set('file', new Blob([csv]), 'catalogue.csv')
    const res = await admin.request('/products/import', { method: 'POST', body: form })
    expect(res.status).toBe(302)
    const location = res.headers.get('location')!
    expect(location).toMatch(/^\/products\/import\/[0-9a-f-]{36}$/)
    expect(await app.rt.db.selectFrom('products').select('id').where('workspace_id', '=', w.workspaceId).where('code', '=', 'LIC-M').execute()).toEqual([])
    const report = textOf((await admin.get(location)).html)
    expect(report).toContain('Le prix unitaire HT est obligatoire pour un nouveau produit.')
    expect(report).toContain('Importer 2 lignes')
    // The rejected row, as it was, with its reason, ready to fix and import again.
    const rejected = await admin.request(`${location}/rejets.csv`)
    expect(rejected.headers.get('Content-Disposition')).toBe('attachment; filename="catalogue-rejets.csv"')
    expect((await rejected.text()).split('\r\n').slice(0, 2)).toEqual([
      'Code;Désignation;Unité;Prix HT;TVA;Catégorie;Motif du rejet',
      ';Sans prix;heure;;20;Logiciels;Le prix unitaire HT est obligatoire pour un nouveau produit.',
    ])
    expect((await admin.post(location, { intent: 'commit' })).res.status).toBe(302)
    const rows = await app.rt.db
      .selectFrom('products')
      .select(['code', 'unit_price_cents'])
      .where('workspace_id', '=', w.workspaceId)
      .where('category', '=', 'Logiciels')
      .orderBy('code')
      .execute()
    expect(rows.map((r) => [r.code, Number(r.unit_price_cents)])).toEqual([
      ['LIC-M', 4_990],
      ['SUP', 7_550],
    ])
    expect((await rep.get('/products/import')).res.status).toBe(403)
  })
})
