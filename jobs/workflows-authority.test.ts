import { randomUUID } from 'node:crypto'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { updateDealCommand } from '../domain/crm/crm.commands.js'
import type { EngineDeps } from '../domain/workflows/engine/engine-deps.js'
import { createWorkflowCommand, publishWorkflowCommand } from '../domain/workflows/workflow.commands.js'
import { drainWorkflows, givenWorkflow, releaseDueJobs, testClock } from '../domain/workflows/testing/given-workflow.js'
import { ValidationError } from '../domain/shared/errors.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenSecondTeam, givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import type { Jobs } from './boss.js'
import { engineDeps } from './workflows-engine.js'

// Workflows act with the rights of their publisher (ADR 0023), against the real Postgres
// and pg-boss: a manager of the South team publishes workflows; the deals of the North
// team are out of his reach — no run starts on them, no step changes them, assigns them
// or posts them out. Webhook targets are answered by msw (names by a fixed lookup).

let rt: Awaited<ReturnType<typeof startTestRuntime>>
let jobs: Jobs
let deps: EngineDeps
const clock = testClock()
const deliveries: string[] = []
const server = setupServer(
  http.post('https://hooks.exemple.fr/fuite', async ({ request }) => {
    deliveries.push(await request.text())
    return new HttpResponse(null, { status: 200 })
  }),
)
const drain = () => drainWorkflows(deps, jobs.boss)

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' })
  rt = await startTestRuntime({ jobs: 'send' })
  jobs = rt.jobs!
  deps = {
    ...engineDeps({ db: rt.db, jobs, log: () => {} }),
    now: clock.now,
    retryBaseMs: 0,
    outbound: { policy: { allowHttp: false, allowLoopback: false }, lookup: async () => [{ address: '93.184.216.34', family: 4 }] },
  }
  await drain()
})
beforeEach(() => clock.reset())
afterAll(async () => {
  server.close()
  await rt?.stop()
})

/** A workspace with two teams: North (the fixtures' manager and commercial) and South. */
async function twoTeams() {
  const w = await givenWorkspace(rt.db)
  const south = await givenSecondTeam(rt.db, w.workspaceId)
  const ctx = (actor: string) => w.ctx(actor, { now: clock.now() })
  const orgNorth = await givenOrganisation(rt.db, ctx(w.users.commercial), { name: 'Scierie du Nord', ownerId: w.users.commercial })
  const orgSouth = await givenOrganisation(rt.db, ctx(south.users.commercial), { name: 'Tonnellerie du Sud', ownerId: south.users.commercial })
  return { w, south, ctx, orgNorth, orgSouth }
}
const dealRow = (id: string) => rt.db.selectFrom('deals').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const runsOf = (workflowId: string) => rt.db.selectFrom('workflow_runs').selectAll().where('workflow_id', '=', workflowId).orderBy('created_at').execute()

describe('a workflow published by a manager acts only within his reach', () => {
  it('trigger, update and assign: a deal of another team starts no run and is never changed', async () => {
    const { w, south, ctx, orgNorth, orgSouth } = await twoTeams()
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      ownerId: south.users.manager,
      publishedBy: south.users.manager,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'montant',
        steps: [
          { id: 'montant', type: 'update_field', field: 'affaire.montant', value: '1', next: 'moi' },
          { id: 'moi', type: 'assign', mode: 'user', userId: south.users.manager, next: null },
        ],
      },
    })
    const north = await givenDeal(rt.db, ctx(w.users.commercial), { organisationId: orgNorth, ownerId: w.users.commercial, amountCents: 5_000_000 })
    const mine = await givenDeal(rt.db, ctx(south.users.commercial), { organisationId: orgSouth, ownerId: south.users.commercial, amountCents: 5_000_000 })
    await drain()
    const runs = await runsOf(wf.id)
    // No run, not even a skipped one, names the North deal.
    expect(runs.map((r) => r.subject_id)).toEqual([mine])
    expect(runs[0].status).toBe('succeeded')
    expect(await dealRow(north)).toMatchObject({ amount_cents: 5_000_000, owner_id: w.users.commercial, version: 1 })
    expect(await dealRow(mine)).toMatchObject({ amount_cents: 100, owner_id: south.users.manager })
  })

  it('a deal that left his reach before the step runs is not changed: the step fails with a reason', async () => {
    const { w, south, ctx, orgSouth } = await twoTeams()
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      ownerId: south.users.manager,
      publishedBy: south.users.manager,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'attendre',
        steps: [
          { id: 'attendre', type: 'delay', mode: 'duration', amount: 1, unit: 'days', next: 'montant' },
          { id: 'montant', type: 'update_field', field: 'affaire.montant', value: '1', next: null },
        ],
      },
    })
    const dealId = await givenDeal(rt.db, ctx(south.users.commercial), { organisationId: orgSouth, ownerId: south.users.commercial, amountCents: 5_000_000 })
    await drain()
    // Handed to the North team meanwhile (by an admin).
    const d = await dealRow(dealId)
    await updateDealCommand(rt.db, ctx(w.users.admin), {
      id: dealId,
      expectedVersion: d.version,
      fields: {
        title: d.title,
        organisation_id: d.organisation_id,
        amount_cents: d.amount_cents,
        expected_close_date: '2027-03-31',
        owner_id: w.users.commercial,
        category: null,
        source: null,
        region: null,
      },
    })
    clock.advance(2 * 86_400_000)
    await releaseDueJobs(rt.db, clock.now())
    await drain()
    const [run] = await runsOf(wf.id)
    expect(run).toMatchObject({ status: 'failed', failed_step: 'montant', error: 'workflow.run.out_of_scope' })
    expect((await dealRow(dealId)).amount_cents).toBe(5_000_000)
  })

  it('assign: never to someone outside his team, even in a version published before the check', async () => {
    const { w, south, ctx, orgSouth } = await twoTeams()
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      publishedBy: south.users.manager,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'nord',
        steps: [{ id: 'nord', type: 'assign', mode: 'user', userId: w.users.manager, next: null }],
      },
    })
    const dealId = await givenDeal(rt.db, ctx(south.users.commercial), { organisationId: orgSouth, ownerId: south.users.commercial })
    await drain()
    const [run] = await runsOf(wf.id)
    expect(run).toMatchObject({ status: 'failed', error: 'workflow.assign.not_allowed' })
    expect((await dealRow(dealId)).owner_id).toBe(south.users.commercial)
  })

  it('webhook: a manager’s workflow posts nothing out, even on his own deals', async () => {
    const { w, south, ctx, orgSouth } = await twoTeams()
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      publishedBy: south.users.manager,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'fuite',
        steps: [{ id: 'fuite', type: 'webhook', url: 'https://hooks.exemple.fr/fuite', body: '', next: null }],
      },
    })
    deliveries.length = 0
    await givenDeal(rt.db, ctx(south.users.commercial), { organisationId: orgSouth, ownerId: south.users.commercial })
    await drain()
    const [run] = await runsOf(wf.id)
    expect(run).toMatchObject({ status: 'failed', error: 'workflow.webhook.admin_only' })
    expect(deliveries).toEqual([])
  })

  it('an admin’s workflow acts on every team, and its webhook carries euros', async () => {
    const { w, ctx, orgNorth } = await twoTeams()
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      publishedBy: w.users.admin,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'envoi',
        steps: [{ id: 'envoi', type: 'webhook', url: 'https://hooks.exemple.fr/fuite', body: '', next: null }],
      },
    })
    deliveries.length = 0
    await givenDeal(rt.db, ctx(w.users.commercial), { organisationId: orgNorth, ownerId: w.users.commercial, amountCents: 123_450 })
    await drain()
    const [run] = await runsOf(wf.id)
    expect(run.status).toBe('succeeded')
    expect(deliveries).toHaveLength(1)
    expect(JSON.parse(deliveries[0]).values['affaire.montant']).toBe('1234.50')
  })

  it('publish: a manager may not publish a webhook step nor assign outside his team', async () => {
    const { w, south } = await twoTeams()
    const id = randomUUID()
    const mctx = w.ctx(south.users.manager, { now: clock.now() })
    await createWorkflowCommand(rt.db, mctx, { id, name: 'Sortie' })
    const publish = (steps: unknown[]) =>
      publishWorkflowCommand(rt.db, mctx, {
        id,
        save: { name: 'Sortie', description: '', draft: { trigger: { kind: 'deal.created' }, start: 'a', steps } },
      }).then(
        () => ({}),
        (e) => (e instanceof ValidationError ? e.fieldErrors : Promise.reject(e)),
      )
    expect(await publish([{ id: 'a', type: 'webhook', url: 'https://hooks.exemple.fr/fuite', body: '', next: null }])).toEqual({
      'steps.a.url': 'workflow.webhook.admin_only',
    })
    expect(await publish([{ id: 'a', type: 'assign', mode: 'user', userId: w.users.commercial, next: null }])).toEqual({
      'steps.a.userId': 'workflow.assign.not_allowed',
    })
    expect(await publish([{ id: 'a', type: 'assign', mode: 'round_robin', teamId: w.teamId, next: null }])).toEqual({
      'steps.a.teamId': 'workflow.assign.other_team',
    })
    expect(await publish([{ id: 'a', type: 'assign', mode: 'user', userId: south.users.commercial, next: null }])).toEqual({})
    const v = await rt.db.selectFrom('workflow_versions').select('published_by').where('workflow_id', '=', id).executeTakeFirstOrThrow()
    expect(v.published_by).toBe(south.users.manager)
  })
})
