import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

// Global search, the organisation picker, the duplicate check and the CSV import in
// Chromium, with JavaScript off and on.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Ateliers de Savoie')
  const orgs = await Promise.all(
    ['Société Générale', 'Bouygues Construction', 'Fromagerie Lefèvre'].map((name) => givenOrganisation(app.rt.db, w.ctx(), { name })),
  )
  await givenDeal(app.rt.db, w.ctx(), { organisationId: orgs[0], title: 'Rénovation du siège social', amountCents: 12_500_000, ownerId: w.users.commercial })
  await givenDeal(app.rt.db, w.ctx(), { organisationId: orgs[1], title: 'Charpente entrepôt Chambéry', amountCents: 4_200_000, ownerId: w.users.commercial })
  await givenDeal(app.rt.db, w.ctx(), { organisationId: orgs[2], title: 'Cave d’affinage', amountCents: 980_000, ownerId: null })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('search without JavaScript', () => {
  it('finds a deal by a misspelt, unaccented name from the top bar and opens it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    const box = page.getByRole('search').getByLabel('Rechercher dans le CRM')
    await box.fill('renovaton siege')
    await box.press('Enter')
    await page.waitForURL(/\/search\?q=renovaton\+siege/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Recherche')
    const deals = page.getByRole('region', { name: 'Affaires' })
    await deals.getByRole('link', { name: /Rénovation du siège social/ }).click()
    await page.waitForURL(/\/deals\/[0-9a-f-]{36}$/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Rénovation du siège social')
    await context.close()
  })

  it('is reached from a phone through the search icon', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 375, height: 812 }, isMobile: true })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await page.getByRole('link', { name: 'Recherche', exact: true }).click()
    await page.waitForURL(`${app.url}/search`)
    await page.getByRole('main').getByLabel('Rechercher dans le CRM').fill('Bouyges')
    await page.getByRole('main').getByRole('button', { name: 'Rechercher' }).click()
    await page
      .getByRole('region', { name: 'Organisations' })
      .getByRole('link', { name: /Bouygues Construction/ })
      .waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await screenshot(page, 'search-phone')
    await context.close()
  })
})

describe('the sales flow with JavaScript', () => {
  it('creates an organisation (duplicate check), a deal through the picker, signs it, and finds it misspelt in the dropdown', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)

    // An organisation that already exists, spelt differently: the form says so first.
    await page.goto(`${app.url}/organisations/new`)
    await page.getByLabel('Nom').fill('Fromagerie Lefevre')
    await page.getByRole('button', { name: 'Créer', exact: true }).click()
    await page.getByText('Cette organisation existe peut-être déjà').waitFor()
    expect(await page.getByRole('link', { name: /Utiliser l’existante/ }).count()).toBe(1)
    // A new one goes through at once.
    await page.getByLabel('Nom').fill('Chocolaterie Béranger')
    await page.getByLabel('Ville').fill('Annecy')
    await page.getByRole('button', { name: 'Créer', exact: true }).click()
    await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/)
    await page.getByRole('heading', { level: 1, name: 'Chocolaterie Béranger' }).waitFor()

    // The deal: the organisation picked in the combobox, typed without accents.
    await page.goto(`${app.url}/deals/new`)
    await page.getByLabel('Intitulé').fill('Laboratoire de tempérage')
    const picker = page.getByRole('combobox', { name: 'Organisation' })
    await picker.fill('chocolaterie beranger')
    await page.getByRole('option', { name: /Chocolaterie Béranger/ }).click()
    expect(await picker.inputValue()).toBe('Chocolaterie Béranger')
    await page.getByLabel('Montant').fill('36 400')
    await page.getByRole('button', { name: 'Créer', exact: true }).click()
    await page.waitForURL(/\/deals\/[0-9a-f-]{36}$/)
    const dealUrl = page.url()
    await page.getByRole('heading', { level: 1, name: 'Laboratoire de tempérage' }).waitFor()
    expect(await page.getByRole('link', { name: 'Chocolaterie Béranger' }).count()).toBeGreaterThan(0)

    // Signed from the deal page.
    await page.getByLabel('Nouvelle étape').selectOption({ label: 'Signé (100 %)' })
    await page.getByRole('button', { name: 'Changer l’étape' }).click()
    await page.waitForURL(/enregistre=1/)
    const deal = await app.rt.db.selectFrom('deals').select(['stage', 'amount_cents']).where('id', '=', dealUrl.split('/').pop()!).executeTakeFirstOrThrow()
    expect(deal).toEqual({ stage: 'SIGNE', amount_cents: 3_640_000 })

    // The top bar's dropdown, misspelt, then the keyboard.
    const box = page.getByRole('combobox', { name: 'Rechercher dans le CRM' })
    await box.fill('laboratoir temperag')
    await page.getByRole('option', { name: /Laboratoire de tempérage/ }).waitFor()
    expect(await box.getAttribute('aria-expanded')).toBe('true')
    await screenshot(page, 'search-dropdown')
    await box.press('ArrowDown')
    const active = await box.getAttribute('aria-activedescendant')
    expect(await page.locator(`[id="${active}"]`).textContent()).toContain('Laboratoire de tempérage')
    await box.press('Enter')
    await page.waitForURL(dealUrl)
    await page.getByRole('heading', { level: 1, name: 'Laboratoire de tempérage' }).waitFor()
    await context.close()
  })
})

describe('importing a CSV in the browser (no JavaScript)', () => {
  it('uploads, shows the report and the mapping, then imports after confirmation', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)
    // Import sits under the top bar's "Plus", a <details> that opens without JavaScript.
    const nav = page.getByRole('navigation', { name: 'Navigation principale' }).first()
    await nav.locator('summary', { hasText: 'Plus' }).click()
    await nav.getByRole('link', { name: 'Importer' }).click()
    await page.waitForURL(`${app.url}/import`)
    const csv =
      'Raison sociale;SIREN;Code postal;Ville\r\nMenuiserie Perrin;732829320;73000;Chambéry\r\nScierie du Val;123456789;73200;Albertville\r\nTonnellerie Favre;;730;Aix-les-Bains\r\nFromagerie Rey;;4400;Barcelonnette\r\n'
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'prospects-savoie.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    await page.getByRole('button', { name: 'Analyser' }).click()
    await page.waitForURL(/\/import\/[0-9a-f-]{36}$/)
    const report = page.getByTestId('import-report')
    expect(await report.textContent()).toContain('Lignes lues4')
    const rejected = await page.getByTestId('rejected-rows').locator('tr').allTextContents()
    expect(rejected).toEqual(['3SIREN invalide : 9 chiffres avec une clé de contrôle correcte.', '4Code postal invalide (5 chiffres).'])
    // The postal code Excel shortened is padded and said so; the rejected rows download as CSV.
    expect(await page.getByTestId('corrected-rows').locator('tr').allTextContents()).toEqual([
      '5Code postal « 4400 » complété en « 04400 » (zéro initial perdu par Excel)',
    ])
    const download = await page.getByRole('link', { name: 'Télécharger les lignes rejetées (CSV, avec le motif)' }).getAttribute('href')
    expect(download).toMatch(/^\/import\/[0-9a-f-]{36}\/rejets\.csv$/)
    expect(await page.getByLabel('Champ du CRM — Ville').inputValue()).toBe('city')
    expect(
      await app.rt.db.selectFrom('organisations').select('id').where('workspace_id', '=', w.workspaceId).where('name', '=', 'Menuiserie Perrin').execute(),
    ).toEqual([])
    await screenshot(page, 'import-report')

    await page.getByRole('button', { name: 'Importer 2 lignes' }).click()
    await page.waitForURL(/valide=1/)
    expect(await page.getByRole('status').filter({ hasText: 'Import terminé' }).textContent()).toBe(
      'Import terminé : 2 créées, 0 mises à jour, 0 inchangées, 2 rejetées.',
    )
    const created = await app.rt.db
      .selectFrom('organisations')
      .select(['siren', 'city'])
      .where('workspace_id', '=', w.workspaceId)
      .where('name', '=', 'Menuiserie Perrin')
      .executeTakeFirstOrThrow()
    expect(created).toEqual({ siren: '732829320', city: 'Chambéry' })
    await context.close()
  })
})

describe('search and import, looked at', () => {
  it('have no serious or critical axe violation, with or without JavaScript', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.close()
    const imported = await app.rt.db.selectFrom('imports').select('id').where('workspace_id', '=', w.workspaceId).executeTakeFirstOrThrow()
    for (const path of ['/search?q=societe+generale', '/search', '/import', `/import/${imported.id}`, '/deals/new']) {
      for (const withAppScripts of [false, true]) {
        expect({ path, withAppScripts, violations: await seriousA11yViolations(context, `${app.url}${path}`, { withAppScripts }) }).toEqual({
          path,
          withAppScripts,
          violations: [],
        })
      }
    }
    await context.close()
  })

  it('shows grouped search results on a desktop (screenshot)', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.goto(`${app.url}/search?q=${encodeURIComponent('societe')}`)
    await page.getByRole('region', { name: 'Organisations' }).waitFor()
    await screenshot(page, 'search')
    await context.close()
  })
})
