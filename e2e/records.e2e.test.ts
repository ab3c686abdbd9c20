import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, seriousA11yViolations, signIn } from './browser.js'

// An organisation's page as a workspace, in Chromium: it opens as a read view,
// "Modifier" opens the form (JavaScript on and off), tags and notes are saved and shown;
// axe finds nothing serious at 1280 px and 375 px.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>
let org: string

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Fiches en direct')
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Atelier Morel', ownerId: w.users.commercial })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('organisation page', () => {
  for (const js of [true, false]) {
    it(`read view → Modifier → tags and notes saved and shown (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: js, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
      const page = await context.newPage()
      await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
      await page.goto(`${app.url}/organisations/${org}`)
      expect(await page.getByLabel('Nom', { exact: true }).count()).toBe(0)
      await page.getByRole('link', { name: 'Modifier', exact: true }).click()
      const tags = page.getByLabel('Étiquettes')
      await tags.waitFor()
      const tag = js ? 'salon' : 'partenaire'
      await tags.fill(tag)
      await page.getByLabel('Notes').fill(`Note ${tag}\nseconde ligne`)
      await page.getByLabel('Standard').fill('04 78 00 00 01')
      await page.getByRole('button', { name: 'Enregistrer' }).click()
      await page.getByText('Modifications enregistrées.').waitFor()
      await page.getByRole('list', { name: 'Étiquettes' }).getByText(tag).waitFor()
      await page.getByText(`Note ${tag}`).waitFor()
      expect(await page.getByRole('link', { name: /Appeler/ }).getAttribute('href')).toBe('tel:+33478000001')
      await context.close()
    })
  }

  it('has no serious accessibility violation at 1280 px and 375 px, read and edit views', async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 375, height: 812 },
    ]) {
      const context = await browser.newContext({ locale: 'fr-FR', viewport })
      const page = await context.newPage()
      await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
      await page.close()
      for (const path of [`/organisations/${org}`, `/organisations/${org}?modifier=1`]) {
        expect({ path, viewport, violations: await seriousA11yViolations(context, `${app.url}${path}`, { withAppScripts: true }) }).toEqual({
          path,
          viewport,
          violations: [],
        })
      }
      await context.close()
    }
  })
})
