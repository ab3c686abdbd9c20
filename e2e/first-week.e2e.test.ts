import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenOrganisation } from '../testing/crm-records.js'
import { TEST_PASSWORD } from '../testing/fixtures.js'
import { givenQuoteCustomer, quoteLine } from '../testing/quote-records.js'
import { sendQuoteByEmail } from '../domain/sales/quote-link-send.js'
import { launchChromium, screenshot, signIn } from './browser.js'

// What a sales team meets in its first week, in real Chromium: forms that keep what was
// typed through the no-JS organisation search, the quote editor's next blank row, and
// the quote pages and goals on a 375 px phone without sideways scrolling.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenQuoteCustomer>>
let quoteId: string
let publicUrl: string
let noJs: BrowserContext
let phone: BrowserContext

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenQuoteCustomer(app.rt.db)
  await givenOrganisation(app.rt.db, w.ctx(), { name: 'Zoé Menuiserie' })
  quoteId = await w.quote([
    quoteLine({ description: 'Comptoir en chêne massif\nSur mesure, 3,20 m', unit: 'u', quantity: '1', unit_price_cents: 4_800_000 }),
    quoteLine({ description: 'Isolation du local', unit: 'm²', quantity: '12.333', unit_price_cents: 4_190, vat_rate: 550 }),
  ])
  const sent = await w.quote([quoteLine({ description: 'Pose et réglages', quantity: '1.5', unit_price_cents: 1_262_000 })])
  const r = await sendQuoteByEmail(app.rt.db, null, w.ctx(w.users.commercial), { id: sent, email: { to: w.email, subject: 'Votre devis', message: 'Bonjour' } })
  if (r.duplicate) throw new Error('duplicate')
  publicUrl = `${app.url}/q/${r.token}`
  noJs = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
  phone = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true })
  await signIn(await noJs.newPage(), app.url, w.emails.commercial, TEST_PASSWORD)
  await signIn(await phone.newPage(), app.url, w.emails.commercial, TEST_PASSWORD)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

/** The page's width against the screen's, and any box whose content is cut or scrolls sideways inside it. */
const overflow = (page: Page) =>
  page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    cut: [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => !['INPUT', 'TEXTAREA', 'SELECT', 'svg'].includes(el.tagName) && el.offsetParent !== null)
      .filter((el) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
      .filter((el) => el.clientWidth > 1 && !el.classList.contains('truncate') && getComputedStyle(el).textOverflow !== 'ellipsis')
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 3).join('.')} (${el.scrollWidth} > ${el.clientWidth})`),
  }))

describe('without JavaScript, "Chercher" in the organisation picker keeps every field', () => {
  it('on the new deal form', async () => {
    const page = await noJs.newPage()
    await page.goto(`${app.url}/deals/new`)
    await page.getByLabel('Intitulé').fill('Cuisine sur mesure')
    await page.getByLabel('Montant (€ HT)').fill('8 400')
    await page.getByLabel('Date de clôture prévue').fill('2027-03-15')
    await page.getByPlaceholder('Chercher une organisation').fill('zoe menuiseri')
    await page.getByRole('button', { name: 'Chercher' }).click()
    await page.getByText('Organisations trouvées pour « zoe menuiseri »').waitFor()
    expect(await page.getByLabel('Intitulé').inputValue()).toBe('Cuisine sur mesure')
    expect(await page.getByLabel('Montant (€ HT)').inputValue()).toBe('8 400')
    expect(await page.getByLabel('Date de clôture prévue').inputValue()).toBe('2027-03-15')
    await page.locator('select[name="organisation_id"]').selectOption({ label: 'Zoé Menuiserie' })
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.waitForURL(/\/deals\/[0-9a-f-]{36}$/)
    await page.getByRole('heading', { level: 1, name: 'Cuisine sur mesure' }).waitFor()
    await page.close()
  })

  it('on the new contact form', async () => {
    const page = await noJs.newPage()
    await page.goto(`${app.url}/contacts/new`)
    await page.getByLabel('Prénom').fill('Hugo')
    await page.locator('[name="last_name"]').fill('Cherche-Tout')
    await page.getByLabel('Fonction').fill('Gérant')
    await page.getByPlaceholder('Chercher une organisation').fill('zoe')
    await page.getByRole('button', { name: 'Chercher' }).click()
    await page.getByText('Organisations trouvées pour « zoe »').waitFor()
    expect(await page.getByLabel('Prénom').inputValue()).toBe('Hugo')
    expect(await page.locator('[name="last_name"]').inputValue()).toBe('Cherche-Tout')
    expect(await page.getByLabel('Fonction').inputValue()).toBe('Gérant')
    await page.close()
  })
})

describe('the quote editor with JavaScript', () => {
  it('offers the next blank row as soon as the "Nouvelle ligne…" row is typed in', async () => {
    const page = await phone.newPage()
    await page.goto(`${app.url}/quotes/${quoteId}`)
    const rows = page.getByTestId('quote-line')
    await page.getByPlaceholder('Nouvelle ligne…').waitFor()
    const before = await rows.count()
    await page.getByPlaceholder('Nouvelle ligne…').fill('Plinthes')
    await expect.poll(() => rows.count()).toBe(before + 1)
    await page.getByPlaceholder('Nouvelle ligne…').waitFor()
    expect(await page.getByRole('button', { name: 'Ajouter la ligne' }).isVisible()).toBe(true)
    expect(
      await rows
        .nth(before - 1)
        .locator('textarea')
        .inputValue(),
    ).toBe('Plinthes')
    await page.close()
  })
})

describe('on a 375 px phone nothing scrolls sideways', () => {
  for (const [name, path] of [
    ['the quote editor', () => `/quotes/${quoteId}`],
    ['the quotes list', () => '/quotes'],
    ['the goals', () => '/goals'],
    ['the public signing page', () => publicUrl],
  ] as const) {
    it(name, async () => {
      const page = await phone.newPage()
      const url = path()
      await page.goto(url.startsWith('http') ? url : `${app.url}${url}`)
      await page.locator('h1').first().waitFor()
      await screenshot(page, `first-week-375-${name.replace(/\s+/g, '-')}`)
      const { scroll, inner, cut } = await overflow(page)
      expect(scroll, `${name}: ${scroll}px wide in a ${inner}px screen`).toBeLessThanOrEqual(inner)
      expect(cut, `${name}: boxes whose content is cut`).toEqual([])
      await page.close()
    })
  }
})
