import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { loadPipelines } from '../domain/crm/crm.repository.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, seriousA11yViolations, signIn } from './browser.js'

// /settings/pipelines in Chromium with JavaScript off, by keyboard: a new pipeline, a
// stage moved up with its button, an archive that asks where the open deal goes; then
// the board's pipeline selector (a GET form) shows that pipeline; axe on both pages.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Menuiseries de Loire')
  const org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Scierie Moreau' })
  await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Charpente grange', amountCents: 2_400_000 })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('pipelines settings without JavaScript', () => {
  it('creates a pipeline, reorders and archives by keyboard, and the board selects it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.goto(`${app.url}/settings/pipelines`)
    await page.getByLabel('Nom du nouveau pipeline').fill('Renouvellements')
    await page.getByLabel('Nom du nouveau pipeline').press('Enter')
    await page.getByRole('heading', { level: 2, name: 'Renouvellements' }).waitFor()
    const renewal = (await loadPipelines(app.rt.db, w.workspaceId)).find((p) => p.name === 'Renouvellements')!
    const section = page.locator(`#pipeline-${renewal.id}`)

    // Keyboard path: focus the "Monter" button of the second stage and press Enter.
    await section.getByRole('button', { name: 'Monter « Qualification » d’un rang' }).focus()
    await page.keyboard.press('Enter')
    // The URL already says "enregistre=1" after the creation: wait on the new order itself.
    await expect.poll(() => section.getByLabel('Nom de l’étape 1').inputValue()).toBe('Qualification')

    // The default pipeline's Prospect holds a deal: archiving it asks where it goes.
    const main = (await loadPipelines(app.rt.db, w.workspaceId)).find((p) => p.id !== renewal.id)!
    await page.locator(`#pipeline-${main.id}`).getByRole('link', { name: 'Archiver l’étape « Prospect »' }).click()
    await page.getByText('Cette étape contient 1 affaire(s) ouverte(s)').waitFor()
    await page.getByRole('button', { name: 'Archiver l’étape' }).click()
    await page.getByText('choisissez l’étape où les déplacer', { exact: false }).waitFor()
    await page.getByLabel('Déplacer les affaires ouvertes vers').selectOption({ label: 'Qualification (25 %)' })
    await page.getByRole('button', { name: 'Archiver l’étape' }).click()
    await expect
      .poll(async () => (await app.rt.db.selectFrom('deals').select('stage').where('workspace_id', '=', w.workspaceId).executeTakeFirstOrThrow()).stage)
      .toBe('QUALIFICATION')
    await page.waitForURL(/enregistre=1/)
    expect(await seriousA11yViolations(context, `${app.url}/settings/pipelines?archiver=NEGOCIATION`, { withAppScripts: false })).toEqual([])

    // The board: the selector is a GET form.
    await page.goto(`${app.url}/pipeline`)
    await expect(page.locator('section[data-stage="PROSPECT"]').count()).resolves.toBe(0)
    await page.getByLabel('Pipeline', { exact: true }).selectOption({ label: 'Renouvellements' })
    await page.getByRole('button', { name: 'Filtrer' }).click()
    await page.waitForURL(new RegExp(`pipeline=${renewal.id}`))
    await expect(page.getByLabel('Pipeline', { exact: true }).inputValue()).resolves.toBe(renewal.id)
    await expect(page.locator('section[data-stage]').count()).resolves.toBe(6)
    expect(await seriousA11yViolations(context, `${app.url}/pipeline?pipeline=${renewal.id}`, { withAppScripts: false })).toEqual([])
    await context.close()
  })

  it('passes axe with JavaScript on', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    expect(await seriousA11yViolations(context, `${app.url}/settings/pipelines`, { withAppScripts: true })).toEqual([])
    await context.close()
  })
})
