import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

// Contacts and activities end to end in Chromium with JavaScript disabled: an
// organisation, a contact for it, a call logged on the contact, seen on both pages.

let app: TestApp
let browser: Browser

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' }).first()

/** The kind radios are drawn as pills: people click the label. */
async function pickKind(scope: Locator, label: string) {
  await scope.getByRole('group', { name: 'Type' }).getByText(label, { exact: true }).click()
  expect(await scope.getByRole('radio', { name: label, exact: true }).isChecked()).toBe(true)
}

describe('a sales rep without JavaScript', () => {
  it('creates an organisation, a contact for it, logs a call and sees it on both pages', async () => {
    const w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)

    // The organisation.
    await nav(page).getByRole('link', { name: 'Organisations' }).click()
    await page.getByRole('link', { name: 'Nouvelle organisation' }).click()
    await page.getByLabel('Nom').fill('Boulangerie Martin')
    await page.getByLabel('Ville').fill('Lyon')
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/)
    const orgUrl = page.url()

    // A contact for it, from its page: a bad e-mail first, refused beside the field.
    await page.getByRole('link', { name: 'Ajouter un contact' }).click()
    await page.waitForURL(/\/contacts\/new\?organisation=/)
    expect(await page.getByLabel('Organisation').locator('option:checked').textContent()).toBe('Boulangerie Martin')
    await page.getByLabel('Civilité').selectOption('Mme')
    await page.getByLabel('Prénom').fill('Élodie')
    await page.getByLabel(/^Nom/).fill('Fontaine')
    await page.getByLabel('Fonction').fill('Gérante')
    await page.getByLabel('Adresse e-mail 1').fill('elodie@boulangerie')
    await page.getByLabel('Téléphone 1').fill('06 12 34 56 78')
    expect(await page.getByLabel('Téléphone 1').getAttribute('type')).toBe('tel')
    expect(await page.getByLabel('Adresse e-mail 1').getAttribute('type')).toBe('email')
    await page.getByLabel('Consentement recueilli').check()
    await page.getByLabel('Source du consentement').fill('Salon Sirha')
    await page.getByRole('button', { name: 'Créer' }).click()
    expect(await page.locator('#emails-error').textContent()).toBe('Adresse e-mail invalide : elodie@boulangerie')
    expect(await page.getByLabel('Adresse e-mail 1').getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByLabel('Prénom').inputValue()).toBe('Élodie')
    expect(await page.getByLabel('Téléphone 1').inputValue()).toBe('06 12 34 56 78')
    expect(await page.getByLabel('Consentement recueilli').isChecked()).toBe(true)
    await page.getByLabel('Adresse e-mail 1').fill('elodie@boulangerie-martin.fr')
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/)
    const contactUrl = page.url()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mme Élodie Fontaine')
    expect(await page.getByRole('link', { name: 'Appeler 06 12 34 56 78' }).getAttribute('href')).toBe('tel:+33612345678')
    expect(await page.getByRole('link', { name: 'Écrire à elodie@boulangerie-martin.fr' }).getAttribute('href')).toBe('mailto:elodie@boulangerie-martin.fr')

    // A call, logged on the contact; the form folds away in a <details>.
    const activities = page.locator('#activites')
    await activities.getByText('Enregistrer une activité').click()
    await pickKind(activities, 'Appel')
    await activities.getByLabel('Objet').fill('Premier appel : besoin d’un four')
    await activities.getByLabel('Durée (minutes)').fill('20')
    await activities.getByLabel('Compte rendu').fill('Rappeler en janvier avec un devis.')
    await activities.getByRole('button', { name: 'Enregistrer l’activité' }).click()
    await page.waitForURL(new RegExp(`${contactUrl}#activite-[0-9a-f-]{36}$`))
    const entry = page.locator('#activites ol > li').first()
    expect(await entry.getByRole('heading', { level: 3 }).textContent()).toContain('Premier appel : besoin d’un four')
    expect(await entry.textContent()).toContain('Appel')
    expect(await entry.textContent()).toContain('20 min')
    expect(await entry.textContent()).toContain('Rappeler en janvier avec un devis.')
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'contact')

    // The organisation's page shows the contact and the call.
    await page.getByRole('link', { name: 'Boulangerie Martin' }).first().click()
    await page.waitForURL(orgUrl)
    expect(await page.locator('#contacts-titre + ul').textContent()).toContain('Élodie Fontaine')
    const orgEntry = page.locator('#activites ol > li').first()
    expect(await orgEntry.textContent()).toContain('Premier appel : besoin d’un four')
    expect(await orgEntry.textContent()).toContain('Contact : Élodie Fontaine')
    await page.evaluate(() => window.scrollTo(0, 0))
    await screenshot(page, 'organisation')

    const row = await app.rt.db.selectFrom('activities').selectAll().where('workspace_id', '=', w.workspaceId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ kind: 'call', duration_minutes: 20, author_id: w.users.commercial, contact_id: contactUrl.split('/').pop() })

    // The same pages on a phone (375 px).
    const phone = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 375, height: 812 }, isMobile: true })
    await phone.addCookies(await context.cookies())
    const phonePage = await phone.newPage()
    await phonePage.goto(contactUrl)
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await screenshot(phonePage, 'contact-phone')
    await phonePage.goto(orgUrl)
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await screenshot(phonePage, 'organisation-phone')
    await phone.close()
    await context.close()
  })

  it('shows a refused activity again with its errors, then logs it', async () => {
    const w = await givenWorkspace(app.rt.db, 'Charpentes Alpines')
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.goto(`${app.url}/organisations/new`)
    await page.getByLabel('Nom').fill('Charpentes Alpines')
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.waitForURL(/\/organisations\/[0-9a-f-]{36}$/)
    const orgUrl = page.url()
    await page.locator('#activites').getByText('Enregistrer une activité').click()
    await pickKind(page.locator('#activites'), 'Rendez-vous')
    await page.locator('#activites').getByLabel('Compte rendu').fill('Visite du dépôt.')
    await page.locator('#activites').getByRole('button', { name: 'Enregistrer l’activité' }).click()
    // Without JavaScript the refusal is rendered by /activities, what was typed kept.
    await page.waitForURL(`${app.url}/activities`)
    expect(await page.locator('#subject-error').textContent()).toBe('L’objet est obligatoire.')
    expect(await page.getByLabel('Compte rendu').inputValue()).toBe('Visite du dépôt.')
    expect(await page.getByLabel('Rendez-vous').isChecked()).toBe(true)
    await page.getByLabel('Objet').fill('Visite du dépôt de Chambéry')
    await page.getByRole('button', { name: 'Enregistrer l’activité' }).click()
    await page.waitForURL(new RegExp(`${orgUrl}#activite-[0-9a-f-]{36}$`))
    expect(await page.locator('#activites ol > li').first().textContent()).toContain('Visite du dépôt de Chambéry')
    await context.close()
  })
})

describe('with JavaScript', () => {
  it('logs an activity through a fetcher: errors beside the fields, then the new entry on top', async () => {
    const w = await givenWorkspace(app.rt.db, 'Vitrages du Nord')
    const context = await browser.newContext({ locale: 'fr-FR' })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.goto(`${app.url}/contacts/new`)
    await page.getByLabel('Prénom').fill('Hugo')
    await page.getByLabel(/^Nom/).fill('Lemaire')
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/)
    await page.getByRole('heading', { level: 1, name: 'Hugo Lemaire' }).waitFor()
    const contactUrl = page.url()
    const activities = page.locator('#activites')
    await activities.getByText('Enregistrer une activité').click()
    await pickKind(activities, 'E-mail')
    await activities.getByRole('button', { name: 'Enregistrer l’activité' }).click()
    await activities.locator('#subject-error').waitFor()
    expect(page.url()).toBe(contactUrl)
    expect(await activities.locator('#subject-error').textContent()).toBe('L’objet est obligatoire.')
    await activities.getByLabel('Objet').fill('Envoi de la plaquette')
    await activities.getByRole('button', { name: 'Enregistrer l’activité' }).click()
    await activities
      .locator('ol > li')
      .first()
      .getByRole('heading', { level: 3, name: /Envoi de la plaquette/ })
      .waitFor()
    expect(await activities.locator('ol > li').first().textContent()).toContain('E-mail')
    // The form starts empty again, even for an activity dated in the past (not on top).
    expect(await activities.getByLabel('Objet').inputValue()).toBe('')
    await activities.getByLabel('Objet').fill('Salon de l’an dernier')
    await activities.getByLabel('Date et heure').fill('2025-10-02T10:30')
    await activities.getByRole('button', { name: 'Enregistrer l’activité' }).click()
    await activities
      .locator('ol > li')
      .nth(1)
      .getByRole('heading', { level: 3, name: /Salon de l’an dernier/ })
      .waitFor()
    expect(await activities.getByLabel('Objet').inputValue()).toBe('')
    expect(await activities.locator('ol > li').nth(1).locator('time').textContent()).toBe('02/10/2025 10:30')
    await context.close()
  })
})

describe('accessibility (axe-core)', () => {
  it('finds no serious or critical violation on the contact and activity pages, with or without JavaScript', async () => {
    const w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
    const { givenOrganisation } = await import('../testing/crm-records.js')
    const { givenActivity, givenContact } = await import('../app/testing/contact-records.js')
    const org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Boulangerie Martin' })
    const contact = await givenContact(app.rt.db, w.ctx(), {
      first_name: 'Élodie',
      last_name: 'Fontaine',
      organisation_id: org,
      phones: ['0612345678'],
      emails: ['elodie@exemple.fr'],
    })
    const activity = await givenActivity(app.rt.db, w.ctx(), { contact_id: contact }, { kind: 'call', subject: 'Premier appel' })
    const context = await browser.newContext({ locale: 'fr-FR' })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.close()
    for (const path of [
      '/contacts',
      '/contacts/new',
      `/contacts/${contact}`,
      `/contacts/${contact}?supprimer=1`,
      `/organisations/${org}`,
      `/activities?contact=${contact}`,
      `/activities/${activity}`,
    ]) {
      expect({ path, violations: await seriousA11yViolations(context, `${app.url}${path}`, { withAppScripts: false }) }).toEqual({ path, violations: [] })
    }
    for (const path of [`/contacts/${contact}`, `/organisations/${org}`]) {
      expect({ path, violations: await seriousA11yViolations(context, `${app.url}${path}`, { withAppScripts: true }) }).toEqual({ path, violations: [] })
    }
    await context.close()
  }, 180_000) // 14 pages with axe: near the 60 s default on a loaded 2-core machine
})
