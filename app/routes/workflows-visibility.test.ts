import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, textOf, type TestApp } from '~/testing/app-server'
import { givenDeal, givenOrganisation } from '../../testing/crm-records'
import { givenSecondTeam, givenWorkspace } from '../../testing/fixtures'
import { givenWorkflow } from '../../domain/workflows/testing/given-workflow'

// The workflow simulation over real HTTP (built app): it shows a record's values, so it
// finds only the records the viewer may open — a manager of the South team cannot read a
// North deal through it, by name or by id (ADR 0023).

let app: TestApp
beforeAll(async () => {
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  await app?.stop()
})

describe('workflow dry run and team boundaries', () => {
  it('a manager finds only the deals he may open; an admin finds every one', async () => {
    const w = await givenWorkspace(app.rt.db)
    const south = await givenSecondTeam(app.rt.db, w.workspaceId)
    const orgNorth = await givenOrganisation(app.rt.db, w.ctx(w.users.commercial), { name: 'Scierie Boréale', ownerId: w.users.commercial })
    const orgSouth = await givenOrganisation(app.rt.db, w.ctx(south.users.commercial), { name: 'Tonnellerie Méridienne', ownerId: south.users.commercial })
    const northDeal = await givenDeal(app.rt.db, w.ctx(w.users.commercial), {
      organisationId: orgNorth,
      title: 'Charpente secrète',
      amountCents: 98_765_400,
      ownerId: w.users.commercial,
    })
    await givenDeal(app.rt.db, w.ctx(south.users.commercial), { organisationId: orgSouth, title: 'Charpente du sud', ownerId: south.users.commercial })
    const wf = await givenWorkflow(app.rt.db, {
      workspaceId: w.workspaceId,
      ownerId: south.users.manager,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'tache',
        steps: [
          {
            id: 'tache',
            type: 'create_task',
            title: 'Relancer {{organisation.nom}} pour {{affaire.montant}} €',
            assignee: { kind: 'owner' },
            dueInDays: 3,
            next: null,
          },
        ],
      },
    })
    const manager = await app.login(south.emails.manager)
    // The North deal's page is closed to him…
    expect((await manager.get(`/deals/${northDeal}`)).res.status).toBe(404)
    // …and so is the simulation, by name and by id.
    for (const q of ['secrète', northDeal]) {
      const { res, html } = await manager.get(`/workflows/${wf.id}/dry-run?q=${encodeURIComponent(q)}`)
      expect(res.status).toBe(200)
      const text = textOf(html)
      expect(text).toContain('Aucune fiche ne correspond')
      expect(text).not.toContain('Scierie Boréale')
      expect(text).not.toContain('987 654')
    }
    // "Charpente" matches both: only his team's deal is simulated.
    const own = textOf((await manager.get(`/workflows/${wf.id}/dry-run?q=charpente`)).html)
    expect(own).toContain('Relancer Tonnellerie Méridienne')
    expect(own).not.toContain('Charpente secrète')

    const admin = await app.login(w.emails.admin)
    expect(textOf((await admin.get(`/workflows/${wf.id}/dry-run?q=${northDeal}`)).html)).toContain('Relancer Scierie Boréale pour 987 654 €')
  })

  it('the run log of an administrator’s workflow hides the runs on records the manager may not open', async () => {
    const w = await givenWorkspace(app.rt.db)
    const south = await givenSecondTeam(app.rt.db, w.workspaceId)
    const wf = await givenWorkflow(app.rt.db, {
      workspaceId: w.workspaceId,
      publishedBy: w.users.admin,
      definition: {
        trigger: { kind: 'organisation.created' },
        start: 'n',
        steps: [{ id: 'n', type: 'notify', to: { kind: 'owner' }, title: 'Nouvelle fiche', next: null }],
      },
    })
    // The app runs on the fixed test clock: the version counts as published before its events.
    await app.rt.db
      .updateTable('workflow_versions')
      .set({ published_at: new Date('2000-01-01') })
      .where('workflow_id', '=', wf.id)
      .execute()
    await givenOrganisation(app.rt.db, w.ctx(w.users.commercial), { name: 'Scierie Boréale', ownerId: w.users.commercial })
    await expect
      .poll(
        async () =>
          (await app.rt.workflows.dispatchOnce(), await app.rt.db.selectFrom('workflow_runs').select('id').where('workflow_id', '=', wf.id).execute()).length,
      )
      .toBe(1)
    const run = await app.rt.db.selectFrom('workflow_runs').select('id').where('workflow_id', '=', wf.id).executeTakeFirstOrThrow()
    const manager = await app.login(south.emails.manager)
    expect((await manager.get(`/workflows/runs/${run.id}`)).res.status).toBe(404)
    expect((await manager.get(`/workflows/${wf.id}/runs`)).html).not.toContain(run.id)
    const admin = await app.login(w.emails.admin)
    expect((await admin.get(`/workflows/runs/${run.id}`)).res.status).toBe(200)
    expect((await admin.get(`/workflows/${wf.id}/runs`)).html).toContain(run.id)
  })
})
