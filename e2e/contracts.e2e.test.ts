import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenOrganisation } from '../testing/crm-records.js'
import { givenContract } from '../testing/contract-records.js'
import { changeLayoutCommand } from '../domain/dashboards/dashboards.commands.js'
import { addDays, addMonths, parisDay } from '../domain/shared/paris-time.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, seriousA11yViolations, signIn } from './browser.js'

// A contract's life in Chromium with JavaScript off, at 375 px: create, amend, terminate;
// the recurring-revenue page (filters as a GET form, the waterfall without script) and its
// dashboard widget; no serious axe violation on its pages.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>
let org: string

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp(), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  org = await givenOrganisation(app.rt.db, w.ctx(w.users.commercial), { name: 'Imprimerie Vauban', ownerId: w.users.commercial })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('contracts without JavaScript', () => {
  it('creates, amends and terminates a contract', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 375, height: 812 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await page.goto(`${app.url}/contracts/new`)
    await page.getByLabel('Intitulé').fill('Contrat de maintenance presse')
    await page.getByLabel('Organisation').selectOption(org)
    await page.getByLabel('Prix unitaire HT (€)').fill('450')
    await Promise.all([page.waitForURL(/\/contracts\/[0-9a-f-]{36}\?cree=1/), page.getByRole('button', { name: 'Créer' }).click()])
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Contrat de maintenance presse')
    const contractUrl = page.url().split('?')[0]

    await page.getByRole('link', { name: 'Créer un avenant' }).click()
    await page.getByLabel('Nouvelle quantité').fill('2')
    await page.getByLabel('Objet de l’avenant').fill('Deuxième presse')
    await Promise.all([page.waitForURL(/avenant=1/), page.getByRole('button', { name: 'Créer un avenant' }).click()])
    expect(await page.getByText('Deuxième presse').count()).toBe(1)

    await page.getByRole('link', { name: 'Résilier' }).click()
    // The click starts a navigation: wait for the termination page, not the contract page still shown.
    await page.getByLabel('Motif').waitFor()
    expect(await page.getByText('Impact sur le MRR : −900,00 €', { exact: false }).count()).toBe(1)
    await page.getByLabel('Motif').selectOption('concurrence')
    await Promise.all([page.waitForURL(/resilie=1/), page.getByRole('button', { name: 'Confirmer la résiliation' }).click()])
    expect(await page.getByText('Résilié', { exact: true }).count()).toBeGreaterThan(0)

    for (const url of [contractUrl, `${app.url}/contracts`, `${app.url}/contracts/renewals`, `${app.url}/contracts/new`]) {
      expect(await seriousA11yViolations(context, url, { withAppScripts: false }), url).toEqual([])
    }
    await context.close()
  })

  it('shows recurring revenue without JavaScript at 375 px, filtered by type, and as a dashboard widget', async () => {
    const v = await givenWorkspace(app.rt.db, 'Abonnements du Léman')
    const month = `${parisDay(app.rt.now()).slice(0, 7)}-01`
    const start = addMonths(month, -3)
    const end = addDays(addMonths(start, 12), -1)
    await givenContract(app.rt.db, v.ctx(), { owner_id: v.users.commercial, type: 'abonnement', start_date: start, end_date: end, unit_amount_cents: 300_00 })
    await givenContract(app.rt.db, v.ctx(), { owner_id: v.users.manager, type: 'maintenance', start_date: start, end_date: end, unit_amount_cents: 120_00 })
    await app.rt.projector!.waitForCatchUp(30_000)
    const figure = async (page: import('playwright-core').Page, key: string) =>
      ((await page.locator(`[data-kpi="${key}"] dd`).first().textContent()) ?? '').replace(/\s/g, ' ')

    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 375, height: 812 } })
    const page = await context.newPage()
    await signIn(page, app.url, v.emails.admin, TEST_PASSWORD)
    await page.goto(`${app.url}/contracts/revenue`)
    expect(await figure(page, 'mrr')).toBe('420 €')
    expect(await figure(page, 'arr')).toBe('5 040 €')
    // The waterfall, drawn without script: both contracts are new business in the period.
    expect(((await page.locator('[data-step="new"]').textContent()) ?? '').replace(/\s/g, ' ')).toContain('+420 €')
    await page.getByLabel('Type').selectOption('abonnement')
    await Promise.all([page.waitForURL(/type=abonnement/), page.getByRole('button', { name: 'Filtrer' }).click()])
    await page.locator('[data-kpi="mrr"]').waitFor()
    expect(await figure(page, 'mrr')).toBe('300 €')
    expect(await seriousA11yViolations(context, `${app.url}/contracts/revenue`, { withAppScripts: false })).toEqual([])

    // The widget on the admin's own dashboard.
    await changeLayoutCommand(app.rt.db, v.ctx(v.users.admin), {
      role: 'admin',
      expectedVersion: 0,
      change: { op: 'add', widgetId: 'recurring-revenue', kind: 'recurring-revenue' },
    })
    await page.goto(`${app.url}/`)
    expect(await page.getByRole('link', { name: 'Voir le détail du revenu récurrent' }).count()).toBe(1)
    expect(await figure(page, 'mrr')).toBe('420 €')
    await context.close()
  })
})
