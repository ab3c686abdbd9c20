import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, screenshot, signIn } from './browser.js'

// The first CRM slice end to end in Chromium with JavaScript disabled: plain HTML forms,
// server validation, redirects.

let app: TestApp
let browser: Browser

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('a sales rep without JavaScript', () => {
  it('creates an organisation, a deal, and signs it', async () => {
    const w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)

    // The organisation: a wrong SIRET first, refused beside the field, nothing lost.
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Organisations' }).click()
    await page.getByRole('link', { name: 'Nouvelle organisation' }).click()
    await page.getByLabel('Nom').fill('Boulangerie Martin')
    await page.getByLabel('SIRET').fill('73282932000075')
    await page.getByLabel('Ville').fill('Lyon')
    await page.getByRole('button', { name: 'Créer' }).click()
    expect(await page.locator('#siret-error').textContent()).toBe('SIRET invalide : 14 chiffres avec une clé de contrôle correcte.')
    expect(await page.getByLabel('Nom').inputValue()).toBe('Boulangerie Martin')
    expect(await page.getByLabel('SIRET').getAttribute('aria-invalid')).toBe('true')
    await page.getByLabel('SIRET').fill('73282932000074')
    await page.getByLabel('Code postal').fill('69002')
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Boulangerie Martin')

    // The deal.
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Affaires' }).click()
    await page.getByRole('link', { name: 'Nouvelle affaire' }).click()
    await page.getByLabel('Intitulé').fill('Four à sole 2027')
    await page.locator('select[name="organisation_id"]').selectOption({ label: 'Boulangerie Martin' })
    await page.getByLabel('Montant').fill('48 250,50')
    await page.getByLabel('Date de clôture prévue').fill('2027-03-31')
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.waitForURL(/\/deals\/[0-9a-f-]{36}$/)
    const dealId = page.url().split('/').pop()!
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Four à sole 2027')

    // Lost needs a reason; then signed.
    await page.getByLabel('Nouvelle étape').selectOption({ label: 'Perdu (0 %)' })
    await page.getByRole('button', { name: 'Changer l’étape' }).click()
    expect(await page.locator('#lost_reason-error').textContent()).toBe('Indiquez la raison de la perte.')
    await page.getByLabel('Nouvelle étape').selectOption({ label: 'Signé (100 %)' })
    await page.getByRole('button', { name: 'Changer l’étape' }).click()
    await page.waitForURL(/enregistre=1/)
    expect(await page.getByRole('status').filter({ hasText: /\S/ }).textContent()).toBe('Modifications enregistrées.')
    await screenshot(page, 'deal')

    const deal = await app.rt.db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirstOrThrow()
    expect(deal).toMatchObject({
      stage: 'SIGNE',
      probability: 100,
      amount_cents: 4_825_050,
      expected_close_date: '2027-03-31',
      owner_id: w.users.commercial,
      workspace_id: w.workspaceId,
    })
    expect(deal.closed_at).not.toBeNull()
    const events = await app.rt.db.selectFrom('events').select(['type', 'meta']).where('stream_id', '=', dealId).orderBy('stream_version').execute()
    expect(events.map((e) => e.type)).toEqual(['DealCreated', 'DealStageChanged'])
    expect(events[1].meta).toMatchObject({ actorId: w.users.commercial, source: 'web' })

    const phone = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 390, height: 844 }, isMobile: true })
    await phone.addCookies(await context.cookies())
    const phonePage = await phone.newPage()
    await phonePage.goto(`${app.url}/deals/${dealId}`)
    await screenshot(phonePage, 'deal-phone')
    await phone.close()
    await context.close()
  })
})
