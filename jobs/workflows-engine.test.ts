import { createHmac, randomUUID } from 'node:crypto'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { startJobs, type Jobs } from './boss.js'
import { engineDeps } from './workflows-engine.js'
import { changeDealStageCommand, updateDealCommand, updateOrganisationCommand } from '../domain/crm/crm.commands.js'
import { createContactCommand, logActivityCommand } from '../domain/crm/contact.commands.js'
import { WORKFLOW_TEMPLATES } from '../domain/workflows/templates.js'
import { drainWorkflows, givenWorkflow, releaseDueJobs, testClock } from '../domain/workflows/testing/given-workflow.js'
import { dryRun } from '../domain/workflows/engine/dry-run.js'
import { dispatchPending } from '../domain/workflows/engine/dispatch.js'
import { type EngineDeps, RUN_QUEUE, type RunJob } from '../domain/workflows/engine/engine-deps.js'
import { executeRunJob, prefetchRecords, replayFromFailedStep } from '../domain/workflows/engine/execute.js'
import { webhookSignature } from '../domain/workflows/engine/inbound-signature.js'
import { receiveWebhook, runInactivityPass, runScheduleTick } from '../domain/workflows/engine/triggers.js'

// The engine against the real embedded Postgres and pg-boss (in "send" mode: the test
// hands the jobs to the engine itself, so nothing waits on timers). Webhook targets are
// emulated with msw.

let rt: Awaited<ReturnType<typeof startTestRuntime>>
let jobs: Jobs
const clock = testClock()
const deliveries: Array<{ key: string | null; id: string | null; timestamp: string | null; signature: string | null; body: string }> = []
let replies: number[] = []
const server = setupServer(
  http.post('https://hooks.exemple.fr/recevoir', async ({ request }) => {
    deliveries.push({
      key: request.headers.get('idempotency-key'),
      id: request.headers.get('webhook-id'),
      timestamp: request.headers.get('webhook-timestamp'),
      signature: request.headers.get('webhook-signature'),
      body: await request.text(),
    })
    return new HttpResponse(null, { status: replies.shift() ?? 200 })
  }),
)

const depsFor = (j: Jobs): EngineDeps => ({
  ...engineDeps({ db: rt.db, jobs: j, log: () => {} }),
  now: clock.now,
  retryBaseMs: 0,
  // The receiver's name answered here (never by DNS); msw answers the request itself.
  outbound: { policy: { allowHttp: false, allowLoopback: false }, lookup: async () => [{ address: '93.184.216.34', family: 4 }] },
})
let deps: EngineDeps
const drain = () => drainWorkflows(deps, jobs.boss)

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' })
  rt = await startTestRuntime({ jobs: 'send' })
  jobs = rt.jobs!
  deps = depsFor(jobs)
  await drain() // the dispatcher starts past the fixtures' events of other files' setups
})
beforeEach(() => clock.reset())
afterAll(async () => {
  server.close()
  await rt?.stop()
})

/** Stops pg-boss and starts it again on the same database: what a process restart does to the engine. */
async function restartJobs() {
  await jobs.stop()
  jobs = await startJobs({ db: rt.db, ch: rt.ch, databaseUrl: rt.databaseUrl, work: false, log: () => {} })
  deps = depsFor(jobs)
}

const runsOf = (workflowId: string) =>
  rt.db.selectFrom('workflow_runs').selectAll().where('workflow_id', '=', workflowId).orderBy('created_at').orderBy('depth').execute()
const stepsOf = (runId: string) => rt.db.selectFrom('workflow_run_steps').selectAll().where('run_id', '=', runId).orderBy('id').execute()

const notifyOwner = (id = 'prevenir') => ({ id, type: 'notify', to: { kind: 'owner' }, title: 'Déclenché : {{affaire.titre}}{{organisation.nom}}', next: null })

async function world() {
  const w = await givenWorkspace(rt.db)
  const orgId = await givenOrganisation(rt.db, w.ctx(w.users.commercial, { now: clock.now() }), { name: 'Menuiserie Morel', ownerId: w.users.commercial })
  // A fresh context each time, as each request has: its time is the engine clock's now.
  return {
    w,
    orgId,
    get ctx() {
      return w.ctx(w.users.commercial, { now: clock.now() })
    },
  }
}

describe('triggers', () => {
  it('each event trigger fires exactly once per qualifying event, never for another workspace', async () => {
    const x = await world()
    const { w, orgId } = x
    const other = await world()
    const mk = (trigger: object) =>
      givenWorkflow(rt.db, { workspaceId: w.workspaceId, ownerId: w.users.manager, definition: { trigger, start: 'prevenir', steps: [notifyOwner()] } })
    const created = await mk({ kind: 'deal.created' })
    const amountChanged = await mk({ kind: 'deal.updated', fields: ['affaire.montant'] })
    const toNego = await mk({ kind: 'deal.stage_changed', from: 'PROSPECT', to: 'NEGOCIATION' })
    const orgCreated = await mk({ kind: 'organisation.created' })
    const orgUpdated = await mk({ kind: 'organisation.updated', fields: [] })

    const dealId = await givenDeal(rt.db, x.ctx, { organisationId: orgId, ownerId: w.users.commercial })
    const deal = await rt.db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirstOrThrow()
    const fields = {
      title: deal.title,
      organisation_id: orgId,
      amount_cents: deal.amount_cents,
      expected_close_date: '2027-03-31',
      owner_id: deal.owner_id,
      category: null,
      source: null,
      region: null,
    }
    await updateDealCommand(rt.db, x.ctx, { id: dealId, expectedVersion: 1, fields: { ...fields, title: 'Nouveau titre' } }) // not the amount
    await updateDealCommand(rt.db, x.ctx, { id: dealId, expectedVersion: 2, fields: { ...fields, title: 'Nouveau titre', amount_cents: 2_500_000 } })
    await changeDealStageCommand(rt.db, x.ctx, { id: dealId, to: 'QUALIFICATION' }) // not PROSPECT → NEGOCIATION
    await changeDealStageCommand(rt.db, x.ctx, { id: dealId, to: 'PROSPECT' })
    await changeDealStageCommand(rt.db, x.ctx, { id: dealId, to: 'NEGOCIATION' })
    const org = await rt.db.selectFrom('organisations').selectAll().where('id', '=', orgId).executeTakeFirstOrThrow()
    await updateOrganisationCommand(rt.db, x.ctx, { id: orgId, expectedVersion: org.version, fields: { ...org, city: 'Annecy' } as never })
    // The same kinds of events in another workspace start nothing here.
    const otherDeal = await givenDeal(rt.db, other.ctx, { organisationId: other.orgId })
    await changeDealStageCommand(rt.db, other.ctx, { id: otherDeal, to: 'NEGOCIATION' })

    await drain()
    await drain() // a second pass over the same events starts nothing more

    expect((await runsOf(created.id)).map((r) => [r.subject_id, r.status])).toEqual([[dealId, 'succeeded']])
    expect((await runsOf(amountChanged.id)).map((r) => r.trigger_event_type)).toEqual(['DealUpdated'])
    expect((await runsOf(toNego.id)).map((r) => r.trigger_event_type)).toEqual(['DealStageChanged'])
    // The organisation was created before these workflows were published: no run for the past.
    expect(await runsOf(orgCreated.id)).toHaveLength(0)
    expect((await runsOf(orgUpdated.id)).map((r) => r.subject_id)).toEqual([orgId])
    const notes = await rt.db
      .selectFrom('notifications')
      .select(['title'])
      .where('user_id', '=', w.users.commercial)
      .where('kind', '=', 'workflow_notification')
      .execute()
    expect(notes).toHaveLength(4)
    const otherRuns = await rt.db.selectFrom('workflow_runs').select('id').where('workspace_id', '=', other.w.workspaceId).execute()
    expect(otherRuns).toHaveLength(0)

    const orgId2 = await givenOrganisation(rt.db, x.ctx, { name: 'Scierie Vidal' })
    await drain()
    expect((await runsOf(orgCreated.id)).map((r) => r.subject_id)).toEqual([orgId2])
  })

  it('inactivity fires once per period of inactivity, also across a pg-boss restart', async () => {
    const { w, orgId } = await world()
    const longAgo = new Date(clock.now().getTime() - 40 * 86_400_000)
    const oldCtx = w.ctx(w.users.commercial, { now: longAgo })
    const idle = await givenDeal(rt.db, oldCtx, { organisationId: orgId, ownerId: w.users.commercial, stage: 'PROPOSITION' })
    await givenDeal(rt.db, oldCtx, { organisationId: orgId, ownerId: w.users.commercial, stage: 'PROSPECT' }) // other stage
    const busy = await givenDeal(rt.db, oldCtx, { organisationId: orgId, ownerId: w.users.commercial, stage: 'PROPOSITION' })
    await logActivityCommand(rt.db, w.ctx(w.users.commercial, { now: clock.now() }), {
      id: randomUUID(),
      fields: {
        kind: 'call',
        subject: 'Point',
        body: null,
        occurred_at: new Date(clock.now().getTime() - 5 * 86_400_000).toISOString(),
        duration_minutes: null,
        organisation_id: orgId,
        contact_id: null,
        deal_id: busy,
      },
    })
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      definition: { trigger: { kind: 'inactivity', entity: 'deal', days: 30, stage: 'PROPOSITION' }, start: 'prevenir', steps: [notifyOwner()] },
    })
    await drain()

    expect(await runInactivityPass(deps, { workspaceId: w.workspaceId })).toBe(1)
    await restartJobs()
    expect(await runInactivityPass(deps, { workspaceId: w.workspaceId })).toBe(0)
    await drain()
    let runs = await runsOf(wf.id)
    expect(runs.map((r) => [r.subject_id, r.status])).toEqual([[idle, 'succeeded']])
    expect(runs[0].trigger_payload).toMatchObject({ inactiveDays: 40 })

    // A new activity starts a new period: 31 days later it fires again, once.
    await logActivityCommand(rt.db, w.ctx(w.users.commercial, { now: clock.now() }), {
      id: randomUUID(),
      fields: {
        kind: 'note',
        subject: 'Relancé',
        body: null,
        occurred_at: clock.now().toISOString(),
        duration_minutes: null,
        organisation_id: orgId,
        contact_id: null,
        deal_id: idle,
      },
    })
    clock.advance(31 * 86_400_000)
    expect(await runInactivityPass(deps, { workspaceId: w.workspaceId })).toBe(2) // `idle` again, and `busy` (its call is 36 days old now)
    expect(await runInactivityPass(deps, { workspaceId: w.workspaceId })).toBe(0)
    await drain()
    runs = await runsOf(wf.id)
    expect(runs.filter((r) => r.subject_id === idle)).toHaveLength(2)
  })

  it('a schedule fires once per due time', async () => {
    const { w } = await world()
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      ownerId: w.users.manager,
      definition: {
        trigger: { kind: 'schedule', cron: '*/5 * * * *' },
        start: 'n',
        steps: [{ id: 'n', type: 'notify', to: { kind: 'user', userId: w.users.manager }, title: 'Point du {{date.aujourdhui}}', next: null }],
      },
    })
    const t0 = clock.now()
    clock.set(new Date(Math.floor(t0.getTime() / 300_000) * 300_000 + 300_000 + 60_000)) // one minute after the next due time
    expect(await runScheduleTick(deps)).toBeGreaterThanOrEqual(1)
    expect(await runScheduleTick(deps)).toBe(0)
    await drain()
    expect((await runsOf(wf.id)).map((r) => r.status)).toEqual(['succeeded'])
  })
})

describe('inbound webhook', () => {
  it('checks the signature, size and state, and starts one run per delivery with the payload as webhook.*', async () => {
    const { w } = await world()
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      definition: {
        trigger: { kind: 'webhook' },
        conditions: { combinator: 'and', rules: [{ field: 'webhook.commande.total', op: 'gt', value: '100' }] },
        start: 'n',
        steps: [{ id: 'n', type: 'notify', to: { kind: 'user', userId: w.users.manager }, title: 'Commande {{webhook.commande.ref}}', next: null }],
      },
    })
    const body = JSON.stringify({ commande: { ref: 'C-42', total: 250 } })
    const nowS = () => Math.floor(clock.now().getTime() / 1000)
    // What a sender does (Standard Webhooks): sign "id.timestamp.body" with the secret.
    const send = (o: { id?: string; ts?: number; secret?: string; raw?: string; sig?: string; workflowId?: string } = {}) => {
      const raw = o.raw ?? body
      const id = o.id ?? `msg_${randomUUID()}`
      const ts = o.ts ?? nowS()
      return receiveWebhook(deps, {
        workflowId: o.workflowId ?? wf.id,
        rawBody: raw,
        headers: { id, timestamp: String(ts), signature: o.sig ?? webhookSignature(o.secret ?? wf.secret, id, ts, raw) },
      })
    }
    expect(await send({ sig: 'v1,AAAA' })).toMatchObject({ status: 401 })
    expect(await send({ secret: 'autre' })).toMatchObject({ status: 401 })
    expect(await receiveWebhook(deps, { workflowId: wf.id, rawBody: body, headers: { id: null, timestamp: null, signature: null } })).toMatchObject({
      status: 401,
    })
    expect(await send({ workflowId: randomUUID() })).toMatchObject({ status: 404 })
    const big = JSON.stringify({ x: 'a'.repeat(300_000) })
    expect(await send({ raw: big })).toMatchObject({ status: 413 })
    // A signed time more than 5 minutes off, either way (the engine's clock decides).
    expect(await send({ ts: nowS() - 301 })).toMatchObject({ status: 401, error: expect.stringMatching(/5 minutes/) })
    expect(await send({ ts: nowS() + 301 })).toMatchObject({ status: 401 })
    // The id is signed: a captured request given a new id no longer matches its signature.
    const ts = nowS()
    const sig = webhookSignature(wf.secret, 'livraison-1', ts, body)
    expect(
      await receiveWebhook(deps, { workflowId: wf.id, rawBody: body, headers: { id: 'livraison-2', timestamp: String(ts), signature: sig } }),
    ).toMatchObject({
      status: 401,
    })
    const ok = await receiveWebhook(deps, { workflowId: wf.id, rawBody: body, headers: { id: 'livraison-1', timestamp: String(ts), signature: sig } })
    expect(ok).toMatchObject({ status: 202 })
    // The same request posted again (a replay) starts nothing.
    clock.advance(60_000)
    const replay = await receiveWebhook(deps, { workflowId: wf.id, rawBody: body, headers: { id: 'livraison-1', timestamp: String(ts), signature: sig } })
    expect(replay).toMatchObject({ status: 409, runId: (ok as { runId: string }).runId })
    // …and once its time is past the window it is refused for that reason.
    clock.advance(5 * 60_000)
    expect(
      await receiveWebhook(deps, { workflowId: wf.id, rawBody: body, headers: { id: 'livraison-1', timestamp: String(ts), signature: sig } }),
    ).toMatchObject({
      status: 401,
    })
    await drain()
    const n = await rt.db
      .selectFrom('notifications')
      .select('title')
      .where('user_id', '=', w.users.manager)
      .where('kind', '=', 'workflow_notification')
      .execute()
    expect(n.map((x) => x.title)).toEqual(['Commande C-42'])
    expect((await runsOf(wf.id)).map((r) => r.status)).toEqual(['succeeded'])
    // Seen ids are forgotten once they can no longer be replayed.
    clock.advance(10 * 60_000)
    expect(await send({ id: 'livraison-3', raw: JSON.stringify({ commande: { ref: 'C-43', total: 5 } }) })).toMatchObject({ status: 202 })
    const seen = await rt.db.selectFrom('workflow_webhook_deliveries').select('webhook_id').where('workflow_id', '=', wf.id).execute()
    expect(seen.map((x) => x.webhook_id)).toEqual(['livraison-3'])
    await rt.db.updateTable('workflows').set({ enabled: false }).where('id', '=', wf.id).execute()
    expect(await send()).toMatchObject({ status: 404 })
  })
})

describe('delays', () => {
  it('a 7-day delay resumes on the simulated clock, and a restart in between loses nothing', async () => {
    const x = await world()
    const { w, orgId } = x
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'avant',
        steps: [
          { id: 'avant', type: 'notify', to: { kind: 'owner' }, title: 'Jour 0', next: 'attente' },
          { id: 'attente', type: 'delay', mode: 'duration', amount: 7, unit: 'days', next: 'apres' },
          { id: 'apres', type: 'create_task', title: 'Jour 7 : rappeler {{organisation.nom}}', assignee: { kind: 'owner' }, dueInDays: 0, next: null },
        ],
      },
    })
    const dealId = await givenDeal(rt.db, x.ctx, { organisationId: orgId, ownerId: w.users.commercial })
    await drain()
    let [run] = await runsOf(wf.id)
    expect(run.status).toBe('waiting')
    expect(Math.abs(new Date(run.wake_at!).getTime() - (clock.now().getTime() + 7 * 86_400_000))).toBeLessThan(60_000)
    const job = (
      await sql<{
        start_after: Date
      }>`select start_after from pgboss.job where name = 'workflows.run' and data->>'runId' = ${run.id} and state = 'created'`.execute(rt.db)
    ).rows[0]
    expect(Math.abs(new Date(job.start_after).getTime() - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000)

    await restartJobs()
    clock.advance(6 * 86_400_000)
    await releaseDueJobs(rt.db, clock.now())
    await drain()
    expect((await runsOf(wf.id))[0].status).toBe('waiting')
    clock.advance(86_400_000)
    expect(await releaseDueJobs(rt.db, clock.now())).toBe(1)
    await drain()
    ;[run] = await runsOf(wf.id)
    expect(run.status).toBe('succeeded')
    const tasks = await rt.db.selectFrom('tasks').select(['title', 'assignee_id']).where('deal_id', '=', dealId).execute()
    expect(tasks).toEqual([{ title: 'Jour 7 : rappeler Menuiserie Morel', assignee_id: w.users.commercial }])
    expect((await stepsOf(run.id)).map((s) => [s.step_id, s.status])).toEqual([
      ['avant', 'succeeded'],
      ['attente', 'waiting'],
      ['apres', 'succeeded'],
    ])
  })
})

describe('retries, failure and replay', () => {
  const hookWorkflow = (workspaceId: string, ownerId: string) =>
    givenWorkflow(rt.db, {
      workspaceId,
      ownerId,
      name: 'Synchro ERP',
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'erp',
        steps: [
          {
            id: 'erp',
            type: 'webhook',
            url: 'https://hooks.exemple.fr/recevoir',
            body: '{"affaire": "{{affaire.titre}}", "montant": "{{affaire.montant}}"}',
            next: 'tache',
          },
          { id: 'tache', type: 'create_task', title: 'Vérifier la synchro de {{affaire.titre}}', assignee: { kind: 'owner' }, dueInDays: 1, next: null },
        ],
      },
    })

  it('a step failing twice then succeeding has one side effect', async () => {
    const x = await world()
    const { w, orgId } = x
    const wf = await hookWorkflow(w.workspaceId, w.users.manager)
    deliveries.length = 0
    replies = [500, 500, 200]
    const dealId = await givenDeal(rt.db, x.ctx, { organisationId: orgId, title: 'Parquet "chêne"', ownerId: w.users.commercial })
    await drain()
    const [run] = await runsOf(wf.id)
    expect(run.status).toBe('succeeded')
    expect(deliveries).toHaveLength(3)
    expect(new Set(deliveries.map((d) => d.key))).toEqual(new Set([`${run.id}:erp`]))
    // Amounts leave in decimal euros (a string), not in cents nor the French display.
    expect(JSON.parse(deliveries[2].body)).toEqual({ affaire: 'Parquet "chêne"', montant: '10000.00' })
    // Standard Webhooks, checked here with node:crypto (the workflow's secret text is the key).
    const d = deliveries[2]
    expect(d.id).toBe(`${run.id}:erp`)
    const hmac = createHmac('sha256', wf.secret).update(`${d.id}.${d.timestamp}.${d.body}`).digest('base64')
    expect(d.signature).toBe(`v1,${hmac}`)
    expect((await stepsOf(run.id)).map((s) => [s.step_id, s.attempt, s.status])).toEqual([
      ['erp', 1, 'retrying'],
      ['erp', 2, 'retrying'],
      ['erp', 3, 'succeeded'],
      ['tache', 1, 'succeeded'],
    ])
    const effects = await rt.db.selectFrom('workflow_side_effects').selectAll().where('run_id', '=', run.id).execute()
    expect(effects.map((e) => e.step_id).sort()).toEqual(['erp', 'tache'])
    expect(await rt.db.selectFrom('tasks').select('id').where('deal_id', '=', dealId).execute()).toHaveLength(1)
  })

  it('a step failing for good fails the run, tells the owner, and replay from that step completes it', async () => {
    const x = await world()
    const { w, orgId } = x
    const wf = await hookWorkflow(w.workspaceId, w.users.manager)
    deliveries.length = 0
    replies = [503, 503, 503, 503]
    const dealId = await givenDeal(rt.db, x.ctx, { organisationId: orgId, ownerId: w.users.commercial })
    await drain()
    let [run] = await runsOf(wf.id)
    expect(run).toMatchObject({ status: 'failed', failed_step: 'erp', error: JSON.stringify({ code: 'workflow.run.webhook.status', params: { status: 503 } }) })
    expect(deliveries).toHaveLength(4)
    const told = await rt.db
      .selectFrom('notifications')
      .select(['title', 'link'])
      .where('user_id', '=', w.users.manager)
      .where('kind', '=', 'workflow_failed')
      .execute()
    expect(told).toEqual([{ title: 'Workflow en échec : Synchro ERP', link: `/workflows/runs/${run.id}` }])
    expect(await rt.db.selectFrom('tasks').select('id').where('deal_id', '=', dealId).execute()).toHaveLength(0)

    replies = []
    expect(await replayFromFailedStep(deps, w.workspaceId, run.id)).toBe(true)
    expect(await replayFromFailedStep(deps, w.workspaceId, run.id)).toBe(false) // already queued again
    await drain()
    ;[run] = await runsOf(wf.id)
    expect(run.status).toBe('succeeded')
    expect(deliveries).toHaveLength(5)
    expect(await rt.db.selectFrom('tasks').select('id').where('deal_id', '=', dealId).execute()).toHaveLength(1)
  })

  it('steps done in one transaction: a later step failing undoes the earlier ones, which then commit once each', async () => {
    const x = await world()
    const { w, orgId } = x
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      ownerId: w.users.manager,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'prevenir',
        steps: [
          { id: 'prevenir', type: 'notify', to: { kind: 'owner' }, title: 'Affaire {{affaire.titre}}', next: 'tache' },
          { id: 'tache', type: 'create_task', title: 'Qualifier {{affaire.titre}}', assignee: { kind: 'owner' }, dueInDays: 1, next: 'montant' },
          { id: 'montant', type: 'update_field', field: 'affaire.montant', value: 'beaucoup', next: null },
        ],
      },
    })
    const dealId = await givenDeal(rt.db, x.ctx, { organisationId: orgId, title: 'Groupée', ownerId: w.users.commercial })
    await drain()
    const [run] = await runsOf(wf.id)
    expect(run).toMatchObject({ status: 'failed', failed_step: 'montant' })
    expect((await stepsOf(run.id)).map((s) => [s.step_id, s.attempt, s.status])).toEqual([
      ['prevenir', 1, 'succeeded'],
      ['tache', 1, 'succeeded'],
      ['montant', 1, 'failed'],
    ])
    expect(await rt.db.selectFrom('tasks').select('id').where('deal_id', '=', dealId).execute()).toHaveLength(1)
    expect(await rt.db.selectFrom('notifications').select('id').where('dedup_key', '=', `wf:${run.id}:prevenir`).execute()).toHaveLength(1)
    const effects = await rt.db.selectFrom('workflow_side_effects').select('step_id').where('run_id', '=', run.id).execute()
    expect(effects.map((e) => e.step_id).sort()).toEqual(['prevenir', 'tache'])
  })

  it('steps done in one transaction: all logged, keyed and the run finished in one commit', async () => {
    const x = await world()
    const { w, orgId } = x
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      definition: {
        trigger: { kind: 'deal.created' },
        start: 'gros',
        steps: [
          {
            id: 'gros',
            type: 'branch',
            condition: { combinator: 'and', rules: [{ field: 'affaire.montant', op: 'gt', value: '1' }] },
            then: 'prevenir',
            else: null,
          },
          notifyOwner('prevenir'),
        ],
      },
    })
    await givenDeal(rt.db, x.ctx, { organisationId: orgId, ownerId: w.users.commercial })
    await drain()
    const [run] = await runsOf(wf.id)
    expect(run.status).toBe('succeeded')
    expect(run.first_effect_at).not.toBeNull()
    expect((await stepsOf(run.id)).map((s) => [s.step_id, s.status, s.decision])).toEqual([
      ['gros', 'succeeded', 'alors'],
      ['prevenir', 'succeeded', null],
    ])
    expect((await rt.db.selectFrom('workflow_side_effects').select('step_id').where('run_id', '=', run.id).execute()).map((e) => e.step_id)).toEqual([
      'prevenir',
    ])
  })

  it('a batch of jobs with its records read together runs as each alone', async () => {
    const x = await world()
    const { w, orgId } = x
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      definition: { trigger: { kind: 'deal.created' }, start: 'prevenir', steps: [notifyOwner()] },
    })
    const deals = [
      await givenDeal(rt.db, x.ctx, { organisationId: orgId, title: 'Lot A', ownerId: w.users.commercial }),
      await givenDeal(rt.db, x.ctx, { organisationId: orgId, title: 'Lot B', ownerId: w.users.commercial }),
    ]
    // The dispatcher waits for transactions still open when the events were written (of any
    // database of the test server: other files run at the same time): try again briefly.
    for (let i = 0; i < 50 && (await runsOf(wf.id)).length < 2; i++) {
      if ((await dispatchPending(deps)) === 0) await new Promise((r) => setTimeout(r, 100))
    }
    const fetched = await jobs.boss.fetch<RunJob>(RUN_QUEUE, { batchSize: 50 })
    const records = await prefetchRecords(
      rt.db,
      fetched.map((j) => j.data.runId),
    )
    expect(records.size).toBe(2)
    for (const j of fetched) {
      expect(await executeRunJob(deps, j.data, records.get(j.data.runId))).toBe('finished')
      await jobs.boss.complete(RUN_QUEUE, j.id)
    }
    const runs = await runsOf(wf.id)
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded'])
    expect(new Set(runs.map((r) => r.subject_id))).toEqual(new Set(deals))
    const notes = await rt.db
      .selectFrom('notifications')
      .select('title')
      .where(
        'dedup_key',
        'in',
        runs.map((r) => `wf:${r.id}:prevenir`),
      )
      .execute()
    expect(notes.map((n) => n.title).sort()).toEqual(['Déclenché : Lot AMenuiserie Morel', 'Déclenché : Lot BMenuiserie Morel'])
  })

  it('a 4xx answer is permanent: no retry', async () => {
    const x = await world()
    const { w, orgId } = x
    const wf = await hookWorkflow(w.workspaceId, w.users.manager)
    deliveries.length = 0
    replies = [410]
    await givenDeal(rt.db, x.ctx, { organisationId: orgId })
    await drain()
    expect((await runsOf(wf.id))[0]).toMatchObject({
      status: 'failed',
      error: JSON.stringify({ code: 'workflow.run.webhook.status', params: { status: 410 } }),
    })
    expect(deliveries).toHaveLength(1)
  })
})

describe('loop protection', () => {
  it('a workflow changing the field that triggers it stops at the depth limit', async () => {
    const x = await world()
    const { w, orgId } = x
    const wf = await givenWorkflow(rt.db, {
      workspaceId: w.workspaceId,
      definition: {
        trigger: { kind: 'deal.updated', fields: ['affaire.titre'] },
        start: 'maj',
        steps: [{ id: 'maj', type: 'update_field', field: 'affaire.titre', value: '{{affaire.titre}} !', next: null }],
      },
    })
    const dealId = await givenDeal(rt.db, x.ctx, { organisationId: orgId, title: 'Boucle' })
    const deal = await rt.db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirstOrThrow()
    await updateDealCommand(rt.db, x.ctx, {
      id: dealId,
      expectedVersion: 1,
      fields: {
        title: 'Boucle?',
        organisation_id: orgId,
        amount_cents: deal.amount_cents,
        expected_close_date: '2027-03-31',
        owner_id: null,
        category: null,
        source: null,
        region: null,
      },
    })
    await drain()
    const runs = await runsOf(wf.id)
    expect(runs.map((r) => [r.depth, r.status])).toEqual([
      [0, 'succeeded'],
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
      [4, 'skipped'],
    ])
    expect(runs[4].skip_reason).toContain('workflow.run.skip.depth')
    expect((await rt.db.selectFrom('deals').select('title').where('id', '=', dealId).executeTakeFirstOrThrow()).title).toBe('Boucle? ! ! ! !')
    // The chain shares one correlation id: the first run's.
    expect(new Set(runs.map((r) => r.correlation_id))).toEqual(new Set([runs[0].id]))
  })
})

describe('assignment', () => {
  it('round-robin gives new organisations to the team members in turn (persisted cursor)', async () => {
    const x = await world()
    const wf = await givenWorkflow(rt.db, {
      workspaceId: x.w.workspaceId,
      definition: {
        trigger: { kind: 'organisation.created' },
        start: 'rr',
        steps: [{ id: 'rr', type: 'assign', mode: 'round_robin', teamId: x.w.teamId, next: null }],
      },
    })
    const ids = []
    for (const name of ['Alpha', 'Bêta', 'Gamma']) {
      ids.push(await givenOrganisation(rt.db, x.ctx, { name }))
      await drain() // one at a time: the order of the runs is the order of the turns
    }
    expect((await runsOf(wf.id)).map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    const owners = await Promise.all(
      ids.map(async (id) => (await rt.db.selectFrom('organisations').select('owner_id').where('id', '=', id).executeTakeFirstOrThrow()).owner_id),
    )
    const team = [x.w.users.manager, x.w.users.commercial].sort()
    expect(owners).toEqual([team[0], team[1], team[0]])
  })
})

describe('dry run', () => {
  it('shows what would happen on a record and changes nothing', async () => {
    const x = await world()
    const { w, orgId } = x
    const dealId = await givenDeal(rt.db, x.ctx, { organisationId: orgId, amountCents: 7_500_000, ownerId: w.users.commercial, stage: 'PROPOSITION' })
    await drain()
    const count = async () =>
      Promise.all(
        ['tasks', 'notifications', 'outbound_emails', 'workflow_runs', 'events'].map(async (t) =>
          Number(
            (
              await rt.db
                .selectFrom(t as 'tasks')
                .select((eb) => eb.fn.countAll<string>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ),
      )
    const before = await count()
    const r = await dryRun(deps, { workspaceId: w.workspaceId, definition: WORKFLOW_TEMPLATES[0].definition, recordId: dealId })
    expect(await count()).toEqual(before)
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    expect(r.steps.map((s) => [s.stepId, s.decision])).toEqual([
      ['email_commercial', null],
      ['tache_relance', null],
      ['gros_montant', 'alors'],
      ['alerte_manager', null],
    ])
    expect(r.steps[1].plan).toMatchObject({ title: 'Relancer Menuiserie Morel', assignee: { id: w.users.commercial } })
    expect(r.steps[3].plan).toMatchObject({ to: [{ id: w.users.manager }] })
    expect(await dryRun(deps, { workspaceId: w.workspaceId, definition: WORKFLOW_TEMPLATES[0].definition, recordId: randomUUID() })).toEqual({
      ok: false,
      error: 'deal.not_found',
    })
  })
})

describe('templates, end to end on seeded data', () => {
  async function contactFor(w: Awaited<ReturnType<typeof world>>, email: string) {
    const id = randomUUID()
    await createContactCommand(rt.db, w.ctx, {
      id,
      fields: {
        civility: 'Mme',
        first_name: 'Claire',
        last_name: 'Roche',
        job_title: null,
        emails: [email],
        phones: [],
        organisation_id: w.orgId,
        owner_id: null,
        shared: false,
        gdpr_consent: false,
        consent_source: null,
        consent_date: null,
        marketing_opt_out: false,
      },
    })
    return id
  }
  const fromTemplate = (w: Awaited<ReturnType<typeof world>>, key: string) =>
    givenWorkflow(rt.db, { workspaceId: w.w.workspaceId, ownerId: w.w.users.admin, definition: WORKFLOW_TEMPLATES.find((t) => t.key === key)!.definition })
  const emailsTo = (address: string) =>
    rt.db.selectFrom('outbound_emails').select(['subject', 'text', 'template']).where('to', '=', address).orderBy('created_at').execute()

  it('Relance automatique: e-mail to the rep, task, manager told above 50 000 €', async () => {
    const x = await world()
    const wf = await fromTemplate(x, 'relance-automatique')
    const old = x.w.ctx(x.w.users.commercial, { now: new Date(clock.now().getTime() - 31 * 86_400_000) })
    const big = await givenDeal(rt.db, old, {
      organisationId: x.orgId,
      title: 'Grand chantier',
      amountCents: 8_000_000,
      ownerId: x.w.users.commercial,
      stage: 'PROPOSITION',
    })
    const small = await givenDeal(rt.db, old, {
      organisationId: x.orgId,
      title: 'Petit chantier',
      amountCents: 900_000,
      ownerId: x.w.users.commercial,
      stage: 'PROPOSITION',
    })
    await drain()
    expect(await runInactivityPass(deps, { workspaceId: x.w.workspaceId })).toBe(2)
    await drain()
    expect((await runsOf(wf.id)).map((r) => r.status)).toEqual(['succeeded', 'succeeded'])
    const mails = await emailsTo(x.w.emails.commercial)
    expect(mails.map((m) => m.subject).sort()).toEqual(['Affaire sans activité : Grand chantier', 'Affaire sans activité : Petit chantier'])
    expect(mails[0].text).toContain('depuis 31 jours')
    const tasks = await rt.db.selectFrom('tasks').select(['title', 'deal_id', 'priority']).where('deal_id', 'in', [big, small]).execute()
    expect(tasks.map((t) => t.title)).toEqual(['Relancer Menuiserie Morel', 'Relancer Menuiserie Morel'])
    const alerts = await rt.db
      .selectFrom('notifications')
      .select(['title', 'body'])
      .where('user_id', '=', x.w.users.manager)
      .where('kind', '=', 'workflow_notification')
      .execute()
    expect(alerts).toEqual([{ title: 'Grosse affaire sans activité : Grand chantier', body: 'Menuiserie Morel — 80 000 € — aucune activité depuis 31 jours.' }])
  })

  it('Onboarding nouveau client: welcome e-mail, five tasks, team told, tag with the year', async () => {
    const x = await world()
    const wf = await fromTemplate(x, 'onboarding-nouveau-client')
    const contactId = await contactFor(x, `claire.roche.${randomUUID().slice(0, 6)}@client.fr`)
    const dealId = await givenDeal(rt.db, x.ctx, { organisationId: x.orgId, title: 'Contrat annuel', ownerId: x.w.users.commercial, stage: 'NEGOCIATION' })
    const deal = await rt.db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirstOrThrow()
    await updateDealCommand(rt.db, x.ctx, {
      id: dealId,
      expectedVersion: deal.version,
      fields: {
        title: deal.title,
        organisation_id: x.orgId,
        amount_cents: deal.amount_cents,
        expected_close_date: '2027-03-31',
        owner_id: deal.owner_id,
        category: null,
        source: null,
        region: null,
        contact_ids: [contactId],
      },
    })
    await changeDealStageCommand(rt.db, x.ctx, { id: dealId, to: 'SIGNE' })
    await drain()
    expect((await runsOf(wf.id)).map((r) => r.status)).toEqual(['succeeded'])
    const contact = await rt.db.selectFrom('contacts').select('emails').where('id', '=', contactId).executeTakeFirstOrThrow()
    const mails = await emailsTo(contact.emails[0])
    expect(mails).toHaveLength(1)
    expect(mails[0]).toMatchObject({ subject: 'Bienvenue chez nous, Menuiserie Morel !', template: 'workflow' })
    expect(mails[0].text).toContain('Bonjour Mme Roche')
    const tasks = await rt.db.selectFrom('tasks').select('title').where('deal_id', '=', dealId).execute()
    expect(tasks).toHaveLength(5)
    expect(
      await rt.db.selectFrom('notifications').select('title').where('user_id', '=', x.w.users.manager).where('kind', '=', 'workflow_notification').execute(),
    ).toEqual([{ title: 'Nouveau client : Menuiserie Morel' }])
    const org = await rt.db.selectFrom('organisations').select('tags').where('id', '=', x.orgId).executeTakeFirstOrThrow()
    const year = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' }).format(clock.now())
    expect(org.tags).toEqual([`Nouveau client ${year}`])
  })

  it('Lead nurturing: a task to add the contact, e-mails on day 1, 3 and 7, a call task on day 14; no contact fails the run', async () => {
    const x = await world()
    const wf = await fromTemplate(x, 'lead-nurturing')
    const address = `lead.${randomUUID().slice(0, 6)}@prospect.fr`
    // A prospect organisation and its contact are created in one import-like sequence before the run reads them.
    const orgId = await givenOrganisation(rt.db, x.ctx, { name: 'Boulangerie Fabre', ownerId: x.w.users.commercial })
    const id = randomUUID()
    await createContactCommand(rt.db, x.ctx, {
      id,
      fields: {
        civility: 'M.',
        first_name: 'Hugo',
        last_name: 'Fabre',
        job_title: null,
        emails: [address],
        phones: [],
        organisation_id: orgId,
        owner_id: null,
        shared: false,
        gdpr_consent: false,
        consent_source: null,
        consent_date: null,
        marketing_opt_out: false,
      },
    })
    const lonely = await givenOrganisation(rt.db, x.ctx, { name: 'Sans Contact SARL' }) // also prospect: a second run, no contact by day 1
    await drain()
    const subjects = async () => (await emailsTo(address)).map((m) => m.subject)
    const tasksOf = (id: string) => rt.db.selectFrom('tasks').select('title').where('organisation_id', '=', id).orderBy('created_at').execute()
    // Day 0: nobody is e-mailed (no contact can exist yet); the owner is asked to add one.
    expect(await subjects()).toEqual([])
    expect(await tasksOf(lonely)).toEqual([{ title: 'Ajouter le contact principal de Sans Contact SARL' }])
    for (const days of [1, 2, 4]) {
      clock.advance(days * 86_400_000)
      await releaseDueJobs(rt.db, clock.now())
      await drain()
    }
    expect(await subjects()).toEqual([
      'Ravis de faire votre connaissance, Hugo',
      'Comment des entreprises comme Boulangerie Fabre gagnent du temps',
      'Une démonstration de 30 minutes, Hugo ?',
    ])
    expect(await tasksOf(orgId)).toEqual([{ title: 'Ajouter le contact principal de Boulangerie Fabre' }])
    clock.advance(7 * 86_400_000)
    await releaseDueJobs(rt.db, clock.now())
    await drain()
    expect(await rt.db.selectFrom('tasks').select(['title', 'assignee_id']).where('organisation_id', '=', orgId).orderBy('created_at').execute()).toEqual([
      { title: 'Ajouter le contact principal de Boulangerie Fabre', assignee_id: x.w.users.commercial },
      { title: 'Appeler Hugo Fabre (Boulangerie Fabre)', assignee_id: x.w.users.commercial },
    ])
    const runs = await runsOf(wf.id)
    // The run without a contact failed at its first e-mail (never "Réussie" with no recipient).
    expect(runs.map((r) => [r.subject_id, r.status, r.failed_step, r.error]).sort()).toEqual(
      [
        [orgId, 'succeeded', null, null],
        [lonely, 'failed', 'j1_bienvenue', 'workflow.run.email.no_recipient'],
      ].sort(),
    )
  })
})
