import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, textOf, type TestApp } from '~/testing/app-server'
import { givenDeal, givenOrganisation } from '../../testing/crm-records'
import { givenWorkspace } from '../../testing/fixtures'
import { executeRunJob } from '../../domain/workflows/engine/execute'
import { givenWorkflow } from '../../domain/workflows/testing/given-workflow'

// The run log speaks French: the trigger by its label (never the event's type name) and
// every instant in Paris time (never the UTC text the engine records). Built app, real HTTP.

let app: TestApp
/** What a reader sees: the page without its scripts (the hydration data keeps the instants as ISO text for the browser to format). */
const visible = (html: string) => textOf(html.replace(/<script\b[\s\S]*?<\/script>/g, ''))
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

describe('the run log', () => {
  it('shows the trigger’s label and Paris times, and a send with no recipient as failed', async () => {
    const w = await givenWorkspace(app.rt.db)
    const ctx = w.ctx(w.users.commercial)
    const orgId = await givenOrganisation(app.rt.db, ctx, { name: 'Vitrerie Lemoine', ownerId: w.users.commercial })
    const wf = await givenWorkflow(app.rt.db, {
      workspaceId: w.workspaceId,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'courriel',
        steps: [
          // The deal has no contact: nobody to write to.
          {
            id: 'courriel',
            type: 'send_email',
            label: 'Écrire au contact',
            to: { kind: 'contact' },
            subject: 'Bonjour',
            body: 'Bonjour {{contact.prenom}},',
            next: null,
          },
        ],
      },
    })
    const waiting = await givenWorkflow(app.rt.db, {
      workspaceId: w.workspaceId,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'attendre',
        steps: [
          { id: 'attendre', type: 'delay', mode: 'duration', amount: 3, unit: 'days', next: 'tache' },
          { id: 'tache', type: 'create_task', title: 'Relancer', assignee: { kind: 'owner' }, dueInDays: 0, next: null },
        ],
      },
    })
    // The app runs on the fixed test clock: the versions count as published before its events.
    await app.rt.db
      .updateTable('workflow_versions')
      .set({ published_at: new Date('2000-01-01') })
      .where('workflow_id', 'in', [wf.id, waiting.id])
      .execute()
    await givenDeal(app.rt.db, ctx, { organisationId: orgId, ownerId: w.users.commercial })
    const deps = app.rt.workflows.deps
    const runOf = async (workflowId: string) => {
      // The dispatcher reads committed events below the cluster's snapshot horizon: another test's open transaction may hold it back a moment.
      await expect
        .poll(
          async () =>
            (await app.rt.workflows.dispatchOnce(), await app.rt.db.selectFrom('workflow_runs').select('id').where('workflow_id', '=', workflowId).execute())
              .length,
        )
        .toBe(1)
      return app.rt.db.selectFrom('workflow_runs').select(['id', 'current_step']).where('workflow_id', '=', workflowId).executeTakeFirstOrThrow()
    }
    const failed = await runOf(wf.id)
    expect(await executeRunJob(deps, { runId: failed.id, stepId: 'courriel', attempt: 1 })).toBe('failed')
    const waits = await runOf(waiting.id)
    expect(await executeRunJob(deps, { runId: waits.id, stepId: 'attendre', attempt: 1 })).toBe('waiting')

    const manager = await app.login(w.emails.manager)
    const page = textOf((await manager.get(`/workflows/runs/${failed.id}`)).html)
    expect(page).toContain('Une affaire est créée')
    expect(page).not.toContain('DealCreated')
    expect(page).toContain('Aucun destinataire')
    expect(page).not.toContain('Réussie')

    const list = textOf((await manager.get(`/workflows/${wf.id}/runs`)).html)
    expect(list).toContain('Une affaire est créée')
    expect(list).not.toContain('DealCreated')

    const wait = visible((await manager.get(`/workflows/runs/${waits.id}`)).html)
    expect(wait).toMatch(/reprise le \d{2}\/\d{2}\/\d{4}/)
    // No UTC instant anywhere on the page, in the decision nor in the step's recorded input.
    expect(wait).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/)
  })
})
