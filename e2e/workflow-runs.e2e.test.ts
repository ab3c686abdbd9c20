import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { changeDealStageCommand } from '../domain/crm/crm.commands.js'
import type { EngineDeps } from '../domain/workflows/engine/engine-deps.js'
import { drainWorkflows } from '../domain/workflows/testing/given-workflow.js'
import type { Jobs } from '../jobs/boss.js'
import { startWorkflowEngine } from '../app/testing/workflow-engine.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

// A two-step workflow built in the form editor with JavaScript off, triggered by a deal
// reaching "Signé", then its run log read in the browser: the runs list, the run's
// timeline. pg-boss runs in "send" mode; the test hands the jobs to the engine.

let app: TestApp
let browser: Browser
let jobs: Jobs
let engine: EngineDeps

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  ;({ jobs, engine } = await startWorkflowEngine(app))
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await jobs?.stop()
  await app?.stop()
})

describe('workflow run log', () => {
  it('shows the run of a workflow built without JavaScript, step by step', async () => {
    const w = await givenWorkspace(app.rt.db, 'Ateliers Durand')
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)

    await page.goto(`${app.url}/workflows/new`)
    await page.getByLabel('Nom').fill('Signature : bienvenue')
    await page.getByRole('button', { name: 'Créer et ouvrir l’éditeur' }).click()
    await page.getByText('Workflow créé').waitFor()
    await page.getByLabel('Quand').selectOption({ label: 'Une affaire change d’étape' })
    await page.getByRole('button', { name: 'Appliquer' }).first().click()
    await page.getByLabel('Vers l’étape').selectOption({ label: 'Signé' })
    await page.getByLabel('Type de l’étape à ajouter au début').selectOption({ label: 'Envoyer un e-mail' })
    await page.getByRole('button', { name: 'Ajouter une étape au début' }).click()
    await page.getByLabel('Destinataire').selectOption({ label: 'Le responsable de la fiche' })
    await page.getByLabel('Objet').fill('Signée : {{affaire.titre}}')
    await page.getByLabel('Message').fill('Bravo pour {{organisation.nom}}.')
    await page.getByLabel('Type de l’étape à ajouter après « Envoyer un e-mail »').selectOption({ label: 'Créer une tâche' })
    await page.getByRole('button', { name: 'Ajouter une étape après « Envoyer un e-mail »' }).click()
    await page.getByLabel('Intitulé de la tâche').fill('Lancer le projet {{organisation.nom}}')
    await page.getByLabel('Échéance (jours après le déclenchement)').fill('1')
    await page.getByRole('button', { name: 'Publier' }).first().click()
    await page.getByText('Version 1 publiée').waitFor()
    await page.getByRole('button', { name: 'Activer' }).first().click()
    await page.getByText('Workflow activé.').waitFor()
    const id = /\/workflows\/([0-9a-f-]{36})/.exec(page.url())![1]

    const ctx = w.ctx(w.users.commercial)
    const org = await givenOrganisation(app.rt.db, ctx, { name: 'Menuiserie Blanc', ownerId: w.users.commercial })
    const deal = await givenDeal(app.rt.db, ctx, { organisationId: org, title: 'Escalier chêne', ownerId: w.users.commercial })
    await changeDealStageCommand(app.rt.db, w.ctx(w.users.commercial), { id: deal, to: 'SIGNE' })
    await drainWorkflows(engine, jobs.boss)

    await page.goto(`${app.url}/workflows/${id}/runs`)
    await page.getByRole('heading', { level: 1, name: 'Exécutions — Signature : bienvenue' }).waitFor()
    await page.getByText('Réussie').first().waitFor()
    await page
      .getByRole('link', { name: /^Voir l’exécution/ })
      .first()
      .click()
    await page.getByRole('heading', { level: 1, name: 'Exécution du workflow « Signature : bienvenue »' }).waitFor()
    const timeline = page.getByRole('region', { name: 'Déroulé' })
    await expect.poll(() => timeline.getByRole('listitem').count()).toBe(2)
    const text = await timeline.innerText()
    expect(text).toContain('Envoyer un e-mail')
    expect(text).toContain('Créer une tâche')
    // The trigger in words, never its event type name.
    await page
      .getByText(/Une affaire change d’étape/)
      .first()
      .waitFor()
    expect(await page.locator('body').innerText()).not.toContain('DealStageChanged')
    // Inputs open without JavaScript (details/summary): the rendered task title is there.
    await timeline.getByText('Entrées').nth(1).click()
    await timeline.getByText('Lancer le projet Menuiserie Blanc').waitFor()
    await screenshot(page, 'workflow-run-nojs-1280')
    const runUrl = page.url()
    await context.close()

    const axeContext = await browser.newContext({ locale: 'fr-FR' })
    await signIn(await axeContext.newPage(), app.url, w.emails.manager, TEST_PASSWORD)
    for (const withAppScripts of [false, true]) {
      expect(await seriousA11yViolations(axeContext, runUrl, { withAppScripts })).toEqual([])
      expect(await seriousA11yViolations(axeContext, `${app.url}/workflows/${id}/runs`, { withAppScripts })).toEqual([])
    }
    await axeContext.close()
  })
})
