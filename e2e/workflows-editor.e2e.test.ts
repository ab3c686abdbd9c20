import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { createWorkflowCommand } from '../domain/workflows/workflow.commands.js'
import type { WorkflowDefinition } from '../domain/workflows/workflow.definition.js'
import { givenOrganisation } from '../testing/crm-records.js'
import type { Jobs } from '../jobs/boss.js'
import { startWorkflowEngine } from '../app/testing/workflow-engine.js'
import type { EngineDeps } from '../domain/workflows/engine/engine-deps.js'
import { drainWorkflows } from '../domain/workflows/testing/given-workflow.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'
import { storedDefinition } from '../domain/workflows/workflow.definition.js'

// The workflow editor in Chromium: a two-step workflow built and published in the form
// editor with JavaScript off; with it on, the @xyflow/react canvas shows the nodes, a
// step is added through the keyboard path, and axe finds nothing serious.

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

const row = async (id: string) => {
  const r = await app.rt.db.selectFrom('workflows').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return { ...r, draft: storedDefinition(r.draft) }
}

describe('workflow editor without JavaScript', () => {
  it('builds a two-step workflow in the form editor and publishes it', async () => {
    const w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)

    await page.goto(`${app.url}/workflows`)
    await page.getByRole('link', { name: 'Nouveau workflow' }).click()
    await page.getByLabel('Nom').fill('Bienvenue aux clients signés')
    await page.getByRole('button', { name: 'Créer et ouvrir l’éditeur' }).click()
    await page.getByText('Workflow créé').waitFor()

    await page.getByLabel('Quand').selectOption({ label: 'Une affaire change d’étape' })
    await page.getByRole('button', { name: 'Appliquer' }).first().click()
    await page.getByLabel('Vers l’étape').selectOption({ label: 'Signé' })

    await page.getByLabel('Type de l’étape à ajouter au début').selectOption({ label: 'Envoyer un e-mail' })
    await page.getByRole('button', { name: 'Ajouter une étape au début' }).click()
    await page.getByLabel('Destinataire').selectOption({ label: 'Le responsable de la fiche' })
    await page.getByLabel('Objet').fill('Bienvenue chez nous, {{organisation.nom}}')
    await page.getByLabel('Message').fill('Bonjour {{contact.prenom}},\n\nMerci pour votre confiance.')

    await page.getByLabel('Type de l’étape à ajouter après « Envoyer un e-mail »').selectOption({ label: 'Créer une tâche' })
    await page.getByRole('button', { name: 'Ajouter une étape après « Envoyer un e-mail »' }).click()
    // The e-mail typed before adding the task is still there.
    expect(await page.getByLabel('Objet').inputValue()).toBe('Bienvenue chez nous, {{organisation.nom}}')
    await page.getByLabel('Intitulé de la tâche').fill('Appel de lancement avec {{organisation.nom}}')
    await page.getByLabel('Échéance (jours après le déclenchement)').fill('2')

    await page.getByRole('button', { name: 'Publier' }).first().click()
    await page.getByText('Version 1 publiée').waitFor()
    const id = /\/workflows\/([0-9a-f-]{36})/.exec(page.url())![1]
    const wf = await row(id)
    expect(wf.published_version).toBe(1)
    expect(wf.draft.steps.map((s) => s.type)).toEqual(['send_email', 'create_task'])
    expect(wf.draft.trigger).toEqual({ kind: 'deal.stage_changed', from: null, to: 'SIGNE' })
    await screenshot(page, 'workflows-editor-nojs-1280')

    // Enable it, then trigger it the way a person does: a deal moved to "Signé" in the UI.
    await page.getByRole('button', { name: 'Activer' }).first().click()
    await page.getByText('Workflow activé.').waitFor()
    const org = await givenOrganisation(app.rt.db, w.ctx(w.users.manager), { name: 'Boulangerie Martin', ownerId: w.users.manager })
    await page.goto(`${app.url}/deals/new?organisation=${org}`)
    await page.getByLabel('Intitulé').fill('Four à sole 2027')
    await page.locator('select[name="organisation_id"]').selectOption({ label: 'Boulangerie Martin' })
    await page.getByLabel('Montant').fill('48 250,50')
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.waitForURL(/\/deals\/[0-9a-f-]{36}$/)
    await page.getByLabel('Nouvelle étape').selectOption({ label: 'Signé (100 %)' })
    await page.getByRole('button', { name: 'Changer l’étape' }).click()
    await page.waitForURL(/enregistre=1/)
    // What the engine's workers do (the test runtime runs no pg-boss workers).
    await drainWorkflows(engine, jobs.boss)
    const runs = await app.rt.db.selectFrom('workflow_runs').selectAll().where('workflow_id', '=', id).execute()
    expect(runs.map((r) => [r.status, r.workflow_version])).toEqual([['succeeded', 1]])
    const task = await app.rt.db
      .selectFrom('tasks')
      .selectAll()
      .where('workspace_id', '=', w.workspaceId)
      .where('title', '=', 'Appel de lancement avec Boulangerie Martin')
      .executeTakeFirst()
    expect(task).toBeDefined()
    const mail = await app.rt.db
      .selectFrom('outbound_emails')
      .select(['to', 'subject'])
      .where('workspace_id', '=', w.workspaceId)
      .where('template', '!=', 'task_assigned')
      .execute()
    expect(mail).toEqual([{ to: w.emails.manager, subject: 'Bienvenue chez nous, Boulangerie Martin' }])
    // Its run log, reached from the editor's "Exécutions" link (part B's pages).
    await page.goto(`${app.url}/workflows/${id}`)
    await page.getByRole('navigation', { name: 'Workflows' }).getByRole('link', { name: 'Exécutions' }).click()
    await page.getByRole('heading', { level: 1, name: 'Exécutions — Bienvenue aux clients signés' }).waitFor()
    await page.getByText('Réussie').first().waitFor()
    await page
      .getByRole('link', { name: /^Voir l’exécution/ })
      .first()
      .click()
    const timeline = page.getByRole('region', { name: 'Déroulé' })
    await expect.poll(() => timeline.getByRole('listitem').count()).toBe(2)
    expect(await timeline.innerText()).toContain('Créer une tâche')

    await page.goto(`${app.url}/workflows`)
    await page.getByRole('link', { name: 'Bienvenue aux clients signés', exact: true }).waitFor()
    await page.getByText('Une affaire change d’étape (N’importe quelle étape → Signé)').waitFor()
    await screenshot(page, 'workflows-list-nojs-1280')
    await page.getByRole('link', { name: 'Modèles' }).click()
    await page.getByRole('heading', { level: 1, name: 'Modèles de workflows' }).waitFor()
    await screenshot(page, 'workflows-templates-nojs-1280')
    // A template with a condition: its "Alors / Sinon" sections in the form editor.
    await page.getByRole('button', { name: 'Utiliser ce modèle « Relance automatique »' }).click()
    await page.getByText('Workflow créé').waitFor()
    await page
      .getByRole('region', { name: /^Alors/ })
      .first()
      .waitFor()
    await screenshot(page, 'workflows-editor-template-nojs-1280')
    await context.close()
  })
})

describe('workflow editor with JavaScript', () => {
  it('shows the graph, adds a step with the keyboard and saves it', async () => {
    const w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
    const id = randomUUID()
    const draft: WorkflowDefinition = {
      trigger: { kind: 'deal.created' },
      conditions: null,
      start: 'email-1',
      layout: {},
      steps: [
        { id: 'email-1', type: 'send_email', to: { kind: 'owner' }, subject: 'Nouvelle affaire : {{affaire.titre}}', body: 'À suivre.', next: 'tache-1' },
        {
          id: 'tache-1',
          type: 'create_task',
          title: 'Qualifier {{organisation.nom}}',
          description: '',
          assignee: { kind: 'owner' },
          dueInDays: 1,
          priority: 'normal',
          next: null,
        },
      ],
    }
    await createWorkflowCommand(app.rt.db, w.ctx(w.users.manager), { id, name: 'Nouvelle affaire', draft })
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)
    await page.goto(`${app.url}/workflows/${id}`)
    const canvas = page.getByTestId('workflow-canvas')
    await expect.poll(() => canvas.locator('.react-flow__node').count(), { timeout: 15_000 }).toBe(3)
    await expect.poll(() => canvas.locator('.react-flow__edge').count()).toBe(2)

    // Keyboard: focus the task node, Enter selects it, the panel's "Ajouter après" adds a tag step.
    await canvas.locator('.react-flow__node[data-id="tache-1"]').focus()
    await page.keyboard.press('Enter')
    const panel = page.getByRole('complementary', { name: 'Configurer l’étape' })
    await panel.getByLabel('Intitulé de la tâche').waitFor()
    await panel.getByLabel('Ajouter après…').selectOption({ label: 'Ajouter une étiquette' })
    await panel.getByRole('button', { name: 'Ajouter', exact: true }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => canvas.locator('.react-flow__node').count()).toBe(4)
    await panel.getByLabel('Étiquette').fill('Nouveau client {{année}}')
    await page.getByText('Modifications non enregistrées.').waitFor()
    await screenshot(page, 'workflows-editor-js-1280')

    await page.getByRole('button', { name: 'Enregistrer le brouillon (éditeur visuel)' }).click()
    await page.getByText('Brouillon enregistré.').waitFor()
    const saved = (await row(id)).draft
    expect(saved.steps.map((s) => s.id)).toEqual(['email-1', 'tache-1', 'etiquette-1'])
    expect(saved.steps[1]).toMatchObject({ next: 'etiquette-1' })
    expect(saved.steps[2]).toMatchObject({ type: 'add_tag', tag: 'Nouveau client {{année}}', next: null })
    // The form editor below shows the same draft.
    await page.getByRole('form', { name: 'Éditeur en formulaire' }).getByText('Étape 3 — Ajouter une étiquette').waitFor()

    // The keyboard "connect" path: detach the e-mail's output, then link it again from the menu.
    // Saving remounts the canvas on the saved draft: its nodes come back first, then React Flow
    // measures them and draws the edges (slow on a loaded machine).
    await expect.poll(() => canvas.locator('.react-flow__node').count(), { timeout: 30_000 }).toBe(4)
    await expect.poll(() => canvas.locator('.react-flow__edge').count(), { timeout: 30_000 }).toBe(3)
    await canvas.locator('.react-flow__node[data-id="email-1"]').focus()
    await page.keyboard.press('Enter')
    await panel.getByRole('button', { name: 'Détacher la sortie « suite »' }).click()
    await expect.poll(() => canvas.locator('.react-flow__edge').count()).toBe(2)
    // Dragging an edge: refused back to the start (a loop), accepted to the detached task.
    const handle = (id: string, kind: 'source' | 'target') => canvas.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.${kind}`)
    await handle('etiquette-1', 'source').dragTo(handle('email-1', 'target'))
    await expect.poll(() => canvas.locator('.react-flow__edge').count()).toBe(2)
    await handle('email-1', 'source').dragTo(handle('tache-1', 'target'))
    await expect.poll(() => canvas.locator('.react-flow__edge').count()).toBe(3)
    await panel.getByRole('button', { name: 'Détacher la sortie « suite »' }).click()
    await expect.poll(() => canvas.locator('.react-flow__edge').count()).toBe(2)
    await panel.getByLabel('Relier à…').selectOption({ label: 'Créer une tâche (tache-1)' })
    await panel.getByRole('button', { name: 'Relier à', exact: true }).click()
    await expect.poll(() => canvas.locator('.react-flow__edge').count()).toBe(3)

    // Delete on a focused node removes it.
    await expect.poll(() => canvas.locator('.react-flow__node').count()).toBe(4)
    await canvas.locator('.react-flow__node[data-id="etiquette-1"]').focus()
    await page.keyboard.press('Enter')
    await page.keyboard.press('Delete')
    await expect.poll(() => canvas.locator('.react-flow__node').count()).toBe(3)

    // axe, with the app's scripts (the canvas) and without them (what a no-JS browser renders).
    for (const [path, withAppScripts] of [
      [`/workflows/${id}`, true],
      [`/workflows/${id}`, false],
      ['/workflows', false],
      ['/workflows/templates', false],
      ['/workflows/new', false],
    ] as const) {
      const violations = await seriousA11yViolations(context, `${app.url}${path}`, { withAppScripts })
      expect({ path, withAppScripts, violations }).toEqual({ path, withAppScripts, violations: [] })
    }
    await context.close()
  })
})
