import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { formatEuros } from '../app/utils/format.js'
import { createContactCommand } from '../domain/crm/contact.commands.js'
import { createProductCommand } from '../domain/sales/product.commands.js'
import type { QuoteLine } from '../domain/sales/quote.js'
import { computeTotals, type Discount } from '../domain/sales/quote-totals.js'
import path from 'node:path'
import { launchChromium, screenshot, SCREENSHOTS, seriousA11yViolations, signIn } from './browser.js'

// The quote editor in Chromium: with JavaScript off, a quote made from a deal with a
// catalogue line and a free line, totals from the server; with it on, totals that follow
// the typing (the same computeTotals in the browser), a catalogue line added without a
// reload, axe, and screenshots of the editor at 1280 px and 375 px.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>
let deal: string

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Boulangeries Martin')
  const org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Boulangerie Martin', ownerId: w.users.commercial })
  deal = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Four à sole 2027', ownerId: w.users.commercial })
  await createContactCommand(app.rt.db, w.ctx(), {
    id: randomUUID(),
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
  const product = (name: string, cents: number, vat: 2000 | 550 | 1000, category: string, unit = 'unité', code: string | null = null) =>
    createProductCommand(app.rt.db, w.ctx(), {
      id: randomUUID(),
      fields: { code, name, description: null, unit, unit_price_cents: cents, vat_rate: vat, vat_exemption: null, category },
    })
  await product('Four à sole 4 étages', 1_849_000, 2000, 'Équipements', 'unité', 'FOUR-4E')
  await product('Journée d’installation', 85_000, 2000, 'Prestations', 'jour', 'INST-J')
  await product('Guide HACCP boulangerie', 2_345, 550, 'Livres')
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const quoteOf = async (id: string) => {
  const q = await app.rt.db.selectFrom('quotes').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return { ...q, lines: q.lines as QuoteLine[], global_discount: q.global_discount as Discount | null }
}
const euros = (cents: number) => formatEuros(cents).replace(/[\u202f\u00a0]/g, ' ')
const text = async (page: import('playwright-core').Page, testid: string) =>
  ((await page.getByTestId(testid).textContent()) ?? '').replace(/[\u202f\u00a0]/g, ' ')
let quoteId: string

describe('the quote editor without JavaScript', () => {
  it('creates a quote from the deal page with a catalogue line and a free line, and shows the server totals', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await page.goto(`${app.url}/deals/${deal}`)
    await page.getByRole('link', { name: 'Nouveau devis' }).click()
    await page.getByRole('heading', { level: 1, name: 'Nouveau devis' }).waitFor()
    expect(await page.getByLabel('Contact destinataire').inputValue()).not.toBe('')
    await page.getByRole('button', { name: 'Créer le devis' }).click()
    await page.waitForURL(/\/quotes\/[0-9a-f-]{36}\?cree=1/)
    quoteId = /\/quotes\/([0-9a-f-]{36})/.exec(page.url())![1]

    // A catalogue line: 1 oven.
    await page.getByLabel('Produit ou service').selectOption({ label: `FOUR-4E · Four à sole 4 étages — ${formatEuros(1_849_000)} HT / unité` })
    await page.getByRole('button', { name: 'Ajouter au devis' }).click()
    await page.waitForURL(/enregistre=1/)
    // A free line typed in the spare row: 2,5 days of training at 680 €, −10 %.
    await page.locator('[name="lines.1.description"]').fill('Formation de l’équipe au four')
    await page.locator('[name="lines.1.quantity"]').fill('2,5')
    await page.locator('[name="lines.1.unit"]').fill('jour')
    await page.locator('[name="lines.1.unit_price"]').fill('680')
    await page.locator('[name="lines.1.discount"]').fill('10')
    await page.getByRole('button', { name: 'Ajouter la ligne' }).click()
    await page.locator('[name="lines.2.description"]').waitFor()

    const q = await quoteOf(quoteId)
    expect(q.lines.map((l) => [l.description, l.quantity])).toEqual([
      ['Four à sole 4 étages', '1'],
      ['Formation de l’équipe au four', '2.5'],
    ])
    const totals = computeTotals(q.lines, q.global_discount)
    // 18 490,00 + 2,5 × 680 = 1 700,00 − 170,00 = 1 530,00 → 20 020,00 HT; 4 004,00 VAT; 24 024,00 TTC.
    expect(totals.total_ttc_cents).toBe(2_402_400)
    expect(await text(page, 'total-ht')).toBe(euros(totals.total_ht_cents))
    expect(await text(page, 'total-vat-2000')).toBe(euros(4_004_00))
    expect(await text(page, 'total-ttc')).toBe('24 024,00 €')
    await context.close()
  })
})

describe('the quote editor with JavaScript', () => {
  it('recomputes the totals while typing, adds a catalogue line without reloading, saves; axe finds nothing serious', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await page.goto(`${app.url}/quotes/${quoteId}`)
    await page.waitForLoadState('networkidle')
    expect(await text(page, 'total-ttc')).toBe('24 024,00 €')

    // Typing a quantity of 2 ovens: the totals follow, nothing posted yet.
    await page.locator('[name="lines.0.quantity"]').fill('2')
    await expect.poll(() => text(page, 'total-ttc')).toBe(euros(2_402_400 + 2_218_800))
    // A 5,5 % line from the catalogue, then a global discount of 500 €.
    await page.getByLabel('Produit ou service').selectOption({ label: `Guide HACCP boulangerie — ${formatEuros(2_345)} HT / unité` })
    await page.getByLabel('Qté', { exact: true }).last().fill('3')
    await page.getByRole('button', { name: 'Ajouter au devis' }).click()
    await page.locator('[name="global_discount"]').fill('500')
    await page.locator('[name="global_discount_kind"]').selectOption('amount')
    const lines: QuoteLine[] = [
      {
        product_id: null,
        code: null,
        description: 'x',
        unit: null,
        quantity: '2',
        unit_price_cents: 1_849_000,
        discount: null,
        vat_rate: 2000,
        vat_exemption: null,
      },
      {
        product_id: null,
        code: null,
        description: 'x',
        unit: null,
        quantity: '2.5',
        unit_price_cents: 68_000,
        discount: { kind: 'percent', bps: 1000 },
        vat_rate: 2000,
        vat_exemption: null,
      },
      {
        product_id: null,
        code: null,
        description: 'x',
        unit: null,
        quantity: '3',
        unit_price_cents: 2_345,
        discount: null,
        vat_rate: 550,
        vat_exemption: null,
      },
    ]
    const expected = computeTotals(lines, { kind: 'amount', cents: 50_000 })
    await expect.poll(() => text(page, 'total-ttc')).toBe(euros(expected.total_ttc_cents))
    expect(await text(page, 'total-vat-550')).toBe(euros(expected.vat.find((g) => g.rate === 550)!.vat_cents))
    expect(page.url()).toContain(`/quotes/${quoteId}`)
    expect(await page.locator('[name="lines.2.description"]').inputValue()).toBe('Guide HACCP boulangerie')

    await screenshot(page, 'quote-editor-1280')
    await page.getByRole('button', { name: 'Enregistrer' }).first().click()
    await page.waitForURL(/enregistre=1/)
    await page.getByText('Devis enregistré.').waitFor()
    const saved = await quoteOf(quoteId)
    expect(Number(saved.total_ttc_cents)).toBe(expected.total_ttc_cents)
    expect(saved.global_discount).toEqual({ kind: 'amount', cents: 50_000 })

    await page.setViewportSize({ width: 375, height: 812 })
    await screenshot(page, 'quote-editor-375')
    await page.locator('#lignes').screenshot({ path: path.join(SCREENSHOTS, 'quote-editor-375-lines.png') })

    const withJs = await seriousA11yViolations(context, `${app.url}/quotes/${quoteId}`, { withAppScripts: true })
    const withoutJs = await seriousA11yViolations(context, `${app.url}/quotes/${quoteId}`, { withAppScripts: false })
    expect(withJs).toEqual([])
    expect(withoutJs).toEqual([])
    // The other quote and catalogue screens, as rendered without JavaScript.
    for (const url of ['/quotes', `/quotes/new?deal=${deal}`, '/products']) {
      expect({ url, violations: await seriousA11yViolations(context, `${app.url}${url}`, { withAppScripts: false }) }).toEqual({ url, violations: [] })
    }
    await page.goto(`${app.url}/quotes`)
    await screenshot(page, 'quotes-list-375')
    await context.close()
  })
})
