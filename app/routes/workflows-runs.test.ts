import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, textOf, type TestApp } from '~/testing/app-server'
import { givenDeal, givenOrganisation } from '../../testing/crm-records'
import { givenWorkspace } from '../../testing/fixtures'
import { webhookSignature } from '../../domain/workflows/engine/inbound-signature'
import { executeRunJob } from '../../domain/workflows/engine/execute'
import { givenWorkflow } from '../../domain/workflows/testing/given-workflow'

// The inbound webhook, the run pages and the replay button over real HTTP (built app).
// The runs are driven by hand (the test runtime has no pg-boss): each job is what a
// worker would run.

let app: TestApp
let reply = 410
const server = setupServer(http.post('https://erp.exemple.fr/commandes', () => new HttpResponse(null, { status: reply })))

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'bypass' })
  app = await startTestApp({ projector: false })
})
afterAll(async () => {
  server.close()
  await app?.stop()
})

describe('workflow runs over HTTP', () => {
  it('a signed webhook starts a run; its failure shows in the lists, and replay completes it', async () => {
    const w = await givenWorkspace(app.rt.db)
    const wf = await givenWorkflow(app.rt.db, {
      workspaceId: w.workspaceId,
      ownerId: w.users.manager,
      name: 'Commandes ERP',
      definition: {
        trigger: { kind: 'webhook' },
        start: 'erp',
        steps: [
          { id: 'erp', type: 'webhook', label: 'Transmettre à l’ERP', url: 'https://erp.exemple.fr/commandes', body: '{"ref": "{{webhook.ref}}"}', next: null },
        ],
      },
    })
    const body = JSON.stringify({ ref: 'C-7' })
    // Signed the Standard Webhooks way, at the app's clock: "id.timestamp.body".
    const ts = () => Math.floor(app.rt.now().getTime() / 1000)
    const headersFor = (secret: string, id: string, t: number, b: string) => ({
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(t),
      'webhook-signature': webhookSignature(secret, id, t, b),
    })
    const post = (b: string, headers: Record<string, string>) => fetch(`${app.url}/hooks/workflows/${wf.id}`, { method: 'POST', body: b, headers })
    expect((await post(body, headersFor('mauvais', 'msg_1', ts(), body))).status).toBe(401)
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(401)
    const stale = await post(body, headersFor(wf.secret, 'msg_1', ts() - 600, body))
    expect(stale.status).toBe(401)
    expect(((await stale.json()) as { error: string }).error).toContain('5 minutes')
    const signed = headersFor(wf.secret, 'msg_1', ts(), body)
    const res = await post(body, signed)
    expect(res.status).toBe(202)
    const { runId } = (await res.json()) as { runId: string }
    // The captured request posted again: refused, no second run.
    const replay = await post(body, signed)
    expect(replay.status).toBe(409)
    expect(await app.rt.db.selectFrom('workflow_runs').select('id').where('workflow_id', '=', wf.id).execute()).toEqual([{ id: runId }])
    // The receiver's name is answered here, never by DNS (msw answers the request).
    const deps = { ...app.rt.workflows.deps, outbound: { ...app.rt.workflows.deps.outbound, lookup: async () => [{ address: '93.184.216.34', family: 4 }] } }
    expect(await executeRunJob(deps, { runId, stepId: 'erp', attempt: 1 })).toBe('failed')

    const manager = await app.login(w.emails.manager)
    let page = await manager.get(`/workflows/${wf.id}/runs?etat=failed`)
    expect(page.res.status).toBe(200)
    expect(page.html).toContain(`/workflows/runs/${runId}`)
    expect(textOf((await manager.get(`/workflows/${wf.id}/runs?etat=succeeded`)).html)).toContain('Aucune exécution pour ce filtre.')
    expect(textOf((await manager.get('/workflows/failed')).html)).toContain('Le webhook a répondu 410')
    page = await manager.get(`/workflows/runs/${runId}`)
    const text = textOf(page.html)
    expect(text).toContain('Transmettre à l’ERP')
    expect(text).toContain('Le webhook a répondu 410')
    expect(text).toContain('Rejouer depuis l’étape en échec')

    const rep = await app.login(w.emails.commercial)
    expect((await rep.get(`/workflows/runs/${runId}`)).res.status).toBe(403)
    const other = await givenWorkspace(app.rt.db)
    expect((await (await app.login(other.emails.admin)).get(`/workflows/runs/${runId}`)).res.status).toBe(404)

    // Without the session's token the replay is refused and nothing moves.
    expect((await manager.post(`/workflows/runs/${runId}`, { intent: 'replay' }, { csrf: 'faux' })).res.status).toBe(403)
    reply = 200
    const replayed = await manager.post(`/workflows/runs/${runId}`, { intent: 'replay' })
    expect(replayed.res.status).toBe(302)
    expect(replayed.res.headers.get('location')).toBe(`/workflows/runs/${runId}?rejoue=1`)
    expect(await executeRunJob(deps, { runId, stepId: 'erp', attempt: 1 })).toBe('finished')
    page = await manager.get(`/workflows/runs/${runId}?rejoue=1`)
    expect(textOf(page.html)).toContain('L’exécution a été relancée depuis l’étape en échec.')
    expect(textOf(page.html)).toContain('Réussie')

    // Last: the server closes the connection after refusing a body it did not read.
    const big = JSON.stringify({ x: 'a'.repeat(270_000) })
    expect((await post(big, headersFor(wf.secret, 'msg_2', ts(), big))).status).toBe(413)
  })

  it('the dry run finds a record by name and shows what would happen, creating nothing', async () => {
    const w = await givenWorkspace(app.rt.db)
    const ctx = w.ctx(w.users.commercial)
    const orgId = await givenOrganisation(app.rt.db, ctx, { name: 'Ébénisterie Caron', ownerId: w.users.commercial })
    await givenDeal(app.rt.db, ctx, { organisationId: orgId, title: 'Agencement boutique', amountCents: 6_000_000, ownerId: w.users.commercial })
    const wf = await givenWorkflow(app.rt.db, {
      workspaceId: w.workspaceId,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'si',
        steps: [
          {
            id: 'si',
            type: 'branch',
            condition: { combinator: 'and', rules: [{ field: 'affaire.montant', op: 'gt', value: '50 000' }] },
            then: 'tache',
            else: null,
          },
          { id: 'tache', type: 'create_task', title: 'Appeler {{organisation.nom}}', assignee: { kind: 'owner' }, dueInDays: 3, next: null },
        ],
      },
    })
    const admin = await app.login(w.emails.admin)
    const before = await app.rt.db.selectFrom('tasks').select('id').where('workspace_id', '=', w.workspaceId).execute()
    const { res, html } = await admin.get(`/workflows/${wf.id}/dry-run?q=${encodeURIComponent('agencement')}`)
    expect(res.status).toBe(200)
    const text = textOf(html)
    expect(text).toContain('Condition vraie : branche « alors »')
    expect(text).toContain('Appeler Ébénisterie Caron')
    expect(text).toContain('Simulation : rien n’a été envoyé, créé ni modifié.')
    expect(await app.rt.db.selectFrom('tasks').select('id').where('workspace_id', '=', w.workspaceId).execute()).toEqual(before)
    expect(textOf((await admin.get(`/workflows/${wf.id}/dry-run?q=zzz`)).html)).toContain('Aucune fiche ne correspond à « zzz ».')
  })
})
