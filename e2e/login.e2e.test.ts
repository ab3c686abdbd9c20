import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { changeDealStageCommand } from '../domain/crm/crm.commands.js'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp(), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  // A pipeline worth looking at on the dashboard.
  const orgs = await Promise.all(['Boulangerie Martin', 'Garage Lefèvre', 'Imprimerie Roux'].map((name) => givenOrganisation(app.rt.db, w.ctx(), { name })))
  const plan: [number, string, string][] = [
    [4_500_000, 'Agencement boutique', 'PROSPECT'],
    [1_280_000, 'Mobilier atelier', 'PROSPECT'],
    [3_200_050, 'Cuisine showroom', 'QUALIFICATION'],
    [7_800_000, 'Rénovation bureaux', 'PROPOSITION'],
    [2_150_000, 'Escalier chêne', 'PROPOSITION'],
    [9_600_000, 'Aménagement siège', 'NEGOCIATION'],
    [1_000_000, 'Parquet hall', 'SIGNE'],
  ]
  for (const [i, [amount, title, stage]] of plan.entries()) {
    const id = await givenDeal(app.rt.db, w.ctx(), { organisationId: orgs[i % orgs.length], title, amountCents: amount, ownerId: w.users.commercial })
    if (stage !== 'PROSPECT') await changeDealStageCommand(app.rt.db, w.ctx(), { id, to: stage })
  }
  await app.rt.projector!.waitForCatchUp(30_000)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('signing in with a real browser', () => {
  it('works with JavaScript disabled and reaches the dashboard', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tableau de bord')
    expect(await page.getByRole('table', { name: /^Affaires ouvertes, montant total/ }).textContent()).toContain('Négociation')
    await context.close()
  })

  it('shows a French error for a wrong password, JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' })
    const page = await context.newPage()
    await page.goto(`${app.url}/login`)
    await page.getByLabel('Adresse e-mail').fill(w.emails.admin)
    await page.getByLabel('Mot de passe').fill('mauvais-mot-de-passe')
    await page.getByRole('button', { name: 'Se connecter' }).click()
    expect(await page.getByRole('alert').textContent()).toBe('E-mail ou mot de passe incorrect.')
    expect(await page.getByLabel('Adresse e-mail').inputValue()).toBe(w.emails.admin)
    await context.close()
  })

  it('works with JavaScript enabled, and the chart draws', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tableau de bord')
    // The charts' library loads when a chart comes near the screen: scroll to it first.
    await page.locator('[data-chart="Graphique du pipeline ouvert par étape"]').scrollIntoViewIfNeeded()
    await page.locator('[data-chart="Graphique du pipeline ouvert par étape"] svg.recharts-surface').first().waitFor()
    await screenshot(page, 'home')
    // Client-side navigation after hydration.
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Affaires' }).click()
    await page.waitForURL(`${app.url}/deals`)
    // The URL moves as the navigation commits; the heading follows on the next render.
    await page.getByRole('heading', { level: 1, name: 'Affaires' }).waitFor()
    await context.close()
  })

  it('fits a phone: tab bar at the bottom', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: false,
      locale: 'fr-FR',
    })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    const tabs = page.locator('nav.fixed')
    expect(await tabs.isVisible()).toBe(true)
    expect((await tabs.getByRole('link').allTextContents()).map((s) => s.trim())).toEqual(['Accueil', 'Comptes', 'Affaires', 'Tâches'])
    await screenshot(page, 'home-phone')
    await context.close()
  })
})

describe('language', () => {
  it('shows the login page in English to a browser that asks for English first', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' })
    const page = await context.newPage()
    await page.goto(`${app.url}/login`)
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in')
    await context.close()
  })
})

describe('accessibility (axe-core)', () => {
  it('finds no serious or critical violation on the dashboard, with or without JavaScript', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.close()
    expect(await seriousA11yViolations(context, `${app.url}/`, { withAppScripts: false })).toEqual([])
    expect(await seriousA11yViolations(context, `${app.url}/`, { withAppScripts: true })).toEqual([])
    await context.close()
  })

  it('finds none on the login page and the forms either', async () => {
    const visitor = await browser.newContext({ locale: 'fr-FR' })
    expect(await seriousA11yViolations(visitor, `${app.url}/login`, { withAppScripts: false })).toEqual([])
    await visitor.close()
    const context = await browser.newContext({ locale: 'fr-FR' })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.close()
    for (const path of ['/organisations', '/organisations/new', '/deals', '/deals/new']) {
      expect({ path, violations: await seriousA11yViolations(context, `${app.url}${path}`, { withAppScripts: false }) }).toEqual({ path, violations: [] })
    }
    await context.close()
  })
})
