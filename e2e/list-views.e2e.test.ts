import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { DEMO_LOGINS } from '../seed/demo-logins.js'
import { seedDemo } from '../seed/seed.js'
import path from 'node:path'
import { launchChromium, screenshot, SCREENSHOTS, seriousA11yViolations, signIn } from './browser.js'

// The deal list in Chromium on the demo data: filters apply as they change with
// JavaScript and through "Appliquer" without, a filter is saved and reopened, pages
// follow, the layout holds at 375 px, axe finds nothing serious.

let app: TestApp
let browser: Browser
const admin = DEMO_LOGINS.find((l) => l.role === 'admin')!

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  await seedDemo(app.rt.db, { organisations: 300, deals: 2_000, invoicedDeals: 0, asOf: new Date('2026-11-27T00:00:00Z') })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('the deal list in a browser', () => {
  it('filters as selects change, saves the filter, pages on, and fits a phone', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, admin.email, admin.password)
    await page.goto(`${app.url}/deals`)
    const filters = page.getByRole('search', { name: 'Filtres' })

    await filters.getByLabel('État').selectOption({ label: 'En cours' })
    await page.waitForURL(/etat=ouvertes/)
    await filters.getByText('Plus de filtres').click()
    await filters.getByLabel('Négociation').check()
    await page.waitForURL(/etape=NEGOCIATION/)
    // Let that navigation's data land first: the form re-renders with it, which would drop a value typed meanwhile.
    await page.waitForLoadState('networkidle')
    await filters.getByLabel('Montant minimum (€ HT)').fill('10 000')
    await filters.getByLabel('Montant minimum (€ HT)').press('Enter')
    await page.waitForURL(/montant_min=10/)
    // The form shows what the URL says, the box still ticked after the reload of the data.
    await expect.poll(() => filters.getByLabel('Négociation').isChecked()).toBe(true)
    await expect.poll(() => filters.getByLabel('État').inputValue()).toBe('ouvertes')
    const url = page.url()
    expect(new URL(url).search).not.toMatch(/q=&|responsable=&/) // empty fields stay out of the URL

    await page.getByLabel('Nom du filtre').fill('Négociations > 10 k€')
    await page.getByRole('button', { name: 'Enregistrer ce filtre' }).click()
    const saved = page.getByRole('region', { name: 'Mes filtres enregistrés' }).getByRole('link', { name: 'Négociations > 10 k€' })
    await saved.waitFor()
    await page.getByLabel('Nom du filtre').focus()
    await screenshot(page, 'deals-list-filters-desktop')

    // Reset, then the saved filter brings it all back.
    await page.getByRole('link', { name: 'Réinitialiser' }).click()
    await page.waitForURL(`${app.url}/deals`)
    await expect.poll(() => filters.getByLabel('État').inputValue()).toBe('')
    await saved.click()
    await page.waitForURL(/etape=NEGOCIATION/)
    await expect.poll(() => filters.getByLabel('État').inputValue()).toBe('ouvertes')

    // Pages by cursor with the filters kept.
    const next = page.getByRole('navigation', { name: 'Pages de résultats' }).getByRole('link', { name: /Suivant/ })
    if (await next.count()) {
      await next.click()
      await page.waitForURL(/apres=/)
      expect(page.url()).toContain('etape=NEGOCIATION')
    }

    // The organisation list, filtered by status and département.
    await page.goto(`${app.url}/organisations?statut=client&departement=69`)
    await page.getByRole('heading', { level: 1, name: 'Organisations' }).waitFor()
    await screenshot(page, 'organisations-list-filters-desktop')
    expect(await seriousA11yViolations(context, `${app.url}/organisations?statut=client&departement=69`, { withAppScripts: false })).toEqual([])

    expect(await seriousA11yViolations(context, url, { withAppScripts: true })).toEqual([])
    expect(await seriousA11yViolations(context, url, { withAppScripts: false })).toEqual([])

    const phone = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const p = await phone.newPage()
    await p.context().addCookies(await context.cookies())
    await p.goto(url)
    await p.getByRole('heading', { level: 1, name: 'Affaires' }).waitFor()
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await screenshot(p, 'deals-list-filters-phone')
    await p.screenshot({ path: path.join(SCREENSHOTS, 'deals-list-filters-phone-top.png') })
    await p.getByRole('region', { name: 'Mes filtres enregistrés' }).scrollIntoViewIfNeeded()
    await p.screenshot({ path: path.join(SCREENSHOTS, 'deals-list-filters-phone-results.png') })
    await phone.close()
    await context.close()
  })

  it('applies the filters without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, admin.email, admin.password)
    await page.goto(`${app.url}/deals`)
    const filters = page.getByRole('search', { name: 'Filtres' })
    await filters.getByLabel('État').selectOption({ label: 'Gagnées' })
    await filters.getByLabel('Trier par').selectOption({ label: 'Montant' })
    await filters.getByRole('button', { name: 'Appliquer' }).click()
    await page.waitForURL(/etat=gagnees/)
    expect(page.url()).toContain('tri=montant')
    expect(await page.getByRole('table').getByRole('row').count()).toBeGreaterThan(1)
    // Sorted by amount, biggest first.
    expect(await page.getByRole('columnheader', { name: /Montant/ }).getAttribute('aria-sort')).toBe('descending')
    await context.close()
  })
})
