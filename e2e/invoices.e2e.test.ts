import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { TEST_PASSWORD } from '../testing/fixtures.js'
import { givenQuoteCustomer } from '../testing/quote-records.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

// An invoice's life in Chromium with JavaScript off, at 375 px (a phone): finance creates
// a draft, fills a line, issues it, records a payment, establishes a credit note; no
// serious axe violation on the list, the editor, the invoice page and the bank page.
// Screenshots of the editor and the invoice page land in e2e/screenshots/.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenQuoteCustomer>>

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenQuoteCustomer(app.rt.db, { dealStage: null })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('invoices without JavaScript', () => {
  it('creates, issues, is paid and credited, on a phone', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 375, height: 812 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.finance, TEST_PASSWORD)
    await page.goto(`${app.url}/invoices/new?organisation=${w.orgId}`)
    await Promise.all([page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Créer le brouillon' }).click()])
    const editorUrl = page.url()

    await page.locator('[name="lines.0.description"]').fill('Audit de la chaîne de production')
    await page.locator('[name="lines.0.quantity"]').fill('2')
    await page.locator('[name="lines.0.unit"]').fill('jour')
    await page.locator('[name="lines.0.unit_price"]').fill('1200')
    await Promise.all([page.waitForURL(/enregistre=1/), page.getByRole('button', { name: 'Enregistrer le brouillon' }).click()])
    expect(await page.getByText('2 880,00', { exact: false }).count()).toBeGreaterThan(0)
    await screenshot(page, 'invoice-editor-375')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)

    await Promise.all([page.waitForURL(/emise=/), page.getByRole('button', { name: 'Émettre la facture' }).click()])
    const number = decodeURIComponent(/emise=([^&]+)/.exec(page.url())![1])
    expect(number).toMatch(/^\d{4}-F-\d{4}$/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(number)

    await page.getByLabel('Montant (€)').fill('1 000')
    await Promise.all([page.waitForURL(/paiement=1/), page.getByRole('button', { name: 'Enregistrer un paiement' }).click()])
    expect(await page.getByText('Partiellement payée', { exact: true }).count()).toBeGreaterThan(0)
    await screenshot(page, 'invoice-page-375')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    const invoiceUrl = page.url().split('?')[0]

    await Promise.all([page.waitForURL((u) => u.pathname !== new URL(invoiceUrl).pathname), page.getByRole('button', { name: 'Établir un avoir' }).click()])
    await page.getByRole('button', { name: 'Émettre la facture' }).waitFor()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Avoir')
    await Promise.all([page.waitForURL(/emise=/), page.getByRole('button', { name: 'Émettre la facture' }).click()])
    expect(await page.getByText(number, { exact: false }).count()).toBeGreaterThan(0)

    // The credit note covered what was left: the invoice reads as cancelled.
    await page.goto(invoiceUrl)
    expect(await page.getByText('Annulée', { exact: true }).count()).toBeGreaterThan(0)

    for (const url of [`${app.url}/invoices`, editorUrl, invoiceUrl, `${app.url}/invoices/bank`, `${app.url}/invoices/echeances`]) {
      expect(await seriousA11yViolations(context, url, { withAppScripts: false }), url).toEqual([])
    }
    await context.close()
  }, 180_000)
})
