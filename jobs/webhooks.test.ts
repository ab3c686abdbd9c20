import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consumePending, resetCheckpoints } from '../db/event-consumer.js'
import { startWebhookEngine } from './webhook-engine.job.js'
import { testNow } from '../testing/clock.js'
import { givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { waitUntil } from '../testing/wait.js'
import { open } from '../domain/shared/secrets/secrets.js'
import { attemptDelivery, redeliver, resumeEndpoint } from '../domain/webhooks/deliver.js'
import { createEndpoint, rotateSecret, setEndpointEnabled } from '../domain/webhooks/endpoints.js'
import { OUTBOX_CHECKPOINT, outboxSpec } from '../domain/webhooks/outbox.js'
import { DELIVER_QUEUE, type DeliverJob, type WebhookDeps } from '../domain/webhooks/webhook-deps.js'

// Outbound webhooks against the real Postgres and pg-boss, sending only to a receiver on
// 127.0.0.1 (the loopback switch the tests and benches use). The signature is checked by
// an implementation written here with node:crypto, not by the library that signs.

process.env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS = '1'
process.env.ALFORIS_SECRETS_KEY ??= randomBytes(32).toString('base64')

type Hit = { path: string; headers: http.IncomingHttpHeaders; body: string }
const hits: Hit[] = []
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    hits.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
    if (req.url?.startsWith('/panne')) res.writeHead(500, { 'content-type': 'text/plain' }).end('base de données indisponible')
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"recu":true}')
  })
})
let base = ''

/** Standard Webhooks, independently: HMAC-SHA256 over "id.timestamp.body" with the base64 key after whsec_. */
function verifies(secret: string, h: http.IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const want = createHmac('sha256', key).update(`${h['webhook-id']}.${h['webhook-timestamp']}.${body}`).digest()
  return String(h['webhook-signature'] ?? '')
    .split(' ')
    .some((s) => {
      const [v, sig] = s.split(',')
      const got = Buffer.from(sig ?? '', 'base64')
      return v === 'v1' && got.length === want.length && timingSafeEqual(got, want)
    })
}

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  rt = await startTestRuntime({ jobs: 'work', workflows: false, webhooks: false })
})
afterAll(async () => {
  await rt?.stop()
  await new Promise<void>((r) => receiver.close(() => r()))
})

const policy = { allowHttp: false, allowLoopback: true }

describe('outbound webhooks through pg-boss', () => {
  it('delivers a signed envelope of a new organisation, verified independently, and logs the attempt', async () => {
    const ws = await givenWorkspace(rt.db)
    const { id: endpointId, secret } = await createEndpoint(
      rt.db,
      { workspaceId: ws.workspaceId, actorId: ws.users.admin, now: testNow(), policy },
      { url: `${base}/recevoir`, description: 'ERP', eventTypes: ['organisation.created', 'deal.won'], allowPrivateNetwork: false },
    )
    // At rest the row holds the sealed secret only.
    const row = await rt.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpointId).executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain(secret.slice(6))
    expect(open(row.secret_sealed)).toBe(secret)

    const engine = await startWebhookEngine({ db: rt.db, sql: rt.sql, jobs: rt.jobs, log: () => {}, work: true, now: testNow, pollMs: 100 })
    try {
      hits.length = 0
      const orgId = await givenOrganisation(rt.db, ws.ctx(), { name: 'Boulangerie Morel' })
      const hit = await waitUntil('webhook received', () => hits.find((h) => h.path === '/recevoir'))
      expect(verifies(secret, hit.headers, hit.body)).toBe(true)
      expect(verifies(`whsec_${randomBytes(24).toString('base64')}`, hit.headers, hit.body)).toBe(false)
      const envelope = JSON.parse(hit.body)
      expect(envelope).toMatchObject({ type: 'organisation.created', workspace_id: ws.workspaceId, data: { id: orgId, name: 'Boulangerie Morel' } })
      expect(envelope.id).toBe(hit.headers['webhook-id'])
      expect(Object.keys(envelope).sort()).toEqual(['created_at', 'data', 'id', 'type', 'workspace_id'])

      const attempt = await waitUntil('attempt logged', () =>
        rt.db.selectFrom('webhook_attempts').selectAll().where('endpoint_id', '=', endpointId).executeTakeFirst(),
      )
      expect(attempt).toMatchObject({ attempt: 1, response_status: 200, response_excerpt: '{"recu":true}', error: null, manual: false })
      const delivery = await rt.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).executeTakeFirstOrThrow()
      expect(delivery.status).toBe('succeeded')

      // Rotation: both secrets sign for a day, so a receiver holding either accepts.
      const { secret: next } = await rotateSecret(rt.db, { workspaceId: ws.workspaceId, now: testNow() }, endpointId)
      hits.length = 0
      await givenOrganisation(rt.db, ws.ctx())
      const second = await waitUntil('webhook after rotation', () => hits.find((h) => h.path === '/recevoir'))
      expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2)
      expect(verifies(next, second.headers, second.body)).toBe(true)
      expect(verifies(secret, second.headers, second.body)).toBe(true)
    } finally {
      await engine.stop()
    }
  })
})

describe('delivery rules (attempts driven by hand)', () => {
  const queued: Array<{ data: DeliverJob; startAfter?: number | Date }> = []
  let clock = testNow()
  const deps = (): WebhookDeps => ({
    db: rt.db,
    now: () => clock,
    log: () => {},
    outbound: { policy },
    queue: {
      send: async (_q, data, opts) => {
        queued.push({ data, startAfter: opts?.startAfter })
        return 'job'
      },
      insert: async (jobs) => {
        for (const j of jobs) queued.push({ data: j.data })
      },
    },
  })
  const outbox = () => consumePending(rt.db, outboxSpec(deps()))
  const take = () => queued.splice(0, queued.length)

  it('retries at 1 min, 10 min and 1 h, then dead-letters; a manual redelivery is one more attempt', async () => {
    await outbox() // whatever earlier tests left
    take()
    const ws = await givenWorkspace(rt.db)
    const { id } = await createEndpoint(
      rt.db,
      { workspaceId: ws.workspaceId, actorId: ws.users.admin, now: testNow(), policy },
      { url: `${base}/panne`, description: '', eventTypes: ['organisation.created'], allowPrivateNetwork: false },
    )
    await givenOrganisation(rt.db, ws.ctx())
    expect(await outbox()).toBeGreaterThan(0)
    let [job] = take()
    expect(job.data).toMatchObject({ attempt: 1 })
    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      const at = clock
      const outcome = await attemptDelivery(deps(), job.data)
      const d = await rt.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', job.data.deliveryId).executeTakeFirstOrThrow()
      if (i < 3) {
        expect(outcome).toBe('retry')
        waits.push(new Date(d.next_attempt_at!).getTime() - at.getTime())
        ;[job] = take()
        expect(job.data.attempt).toBe(i + 2)
        clock = new Date(d.next_attempt_at!)
      } else {
        expect(outcome).toBe('dead')
        expect(d.status).toBe('dead')
      }
    }
    expect(waits).toEqual([60_000, 600_000, 3_600_000])
    const log = await rt.db.selectFrom('webhook_attempts').selectAll().where('endpoint_id', '=', id).orderBy('attempt').execute()
    expect(log.map((a) => [a.attempt, a.response_status, a.error, a.response_excerpt])).toEqual(
      [1, 2, 3, 4].map((n) => [n, 500, 'Réponse HTTP 500', 'base de données indisponible']),
    )

    expect(await redeliver(deps(), { workspaceId: ws.workspaceId }, job.data.deliveryId)).toBe(true)
    const [manual] = take()
    expect(manual.data).toMatchObject({ attempt: 5, manual: true })
    expect(await attemptDelivery(deps(), manual.data)).toBe('dead')
    expect(take()).toEqual([])
    // Another workspace cannot redeliver it.
    const other = await givenWorkspace(rt.db)
    expect(await redeliver(deps(), { workspaceId: other.workspaceId }, job.data.deliveryId)).toBe(false)
  })

  it('queues one delivery per endpoint and event, and sends each attempt once, however often it runs', async () => {
    await outbox()
    take()
    const ws = await givenWorkspace(rt.db)
    const mk = (path: string) =>
      createEndpoint(
        rt.db,
        { workspaceId: ws.workspaceId, actorId: ws.users.admin, now: testNow(), policy },
        { url: `${base}${path}`, description: '', eventTypes: ['organisation.created'], allowPrivateNetwork: false },
      )
    const a = await mk('/une-fois-a')
    const b = await mk('/une-fois-b')
    await givenOrganisation(rt.db, ws.ctx())
    await outbox()
    // Replaying the log from the origin (a crash before the checkpoint moved) queues nothing more.
    await resetCheckpoints(rt.db, [OUTBOX_CHECKPOINT])
    await outbox()
    const rows = await rt.db.selectFrom('webhook_deliveries').select(['id', 'endpoint_id']).where('workspace_id', '=', ws.workspaceId).execute()
    expect(rows.map((r) => r.endpoint_id).sort()).toEqual([a.id, b.id].sort())
    const jobs = take()
    expect(jobs).toHaveLength(2)
    hits.length = 0
    // pg-boss hands a job out twice (an expired lock), at once: one request.
    const outcomes = await Promise.all([...jobs, ...jobs].map((j) => attemptDelivery(deps(), j.data)))
    expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(2)
    expect(hits.map((h) => h.path).sort()).toEqual(['/une-fois-a', '/une-fois-b'])
  })

  it('switches an endpoint off after 100 failures in a row and tells the admins; switched on, it sends what waited', async () => {
    await outbox()
    take()
    const ws = await givenWorkspace(rt.db)
    const { id } = await createEndpoint(
      rt.db,
      { workspaceId: ws.workspaceId, actorId: ws.users.admin, now: testNow(), policy },
      { url: `${base}/panne`, description: '', eventTypes: ['organisation.created'], allowPrivateNetwork: false },
    )
    await givenOrganisation(rt.db, ws.ctx())
    await givenOrganisation(rt.db, ws.ctx())
    await outbox()
    const [first, second] = take()
    // 98 failures already counted (the same rule, without 98 round trips).
    await rt.db.updateTable('webhook_endpoints').set({ consecutive_failures: 98 }).where('id', '=', id).execute()
    await attemptDelivery(deps(), first.data)
    expect(await rt.db.selectFrom('webhook_endpoints').select(['enabled']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ enabled: true })
    await attemptDelivery(deps(), second.data)
    const ep = await rt.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(ep).toMatchObject({ enabled: false, disabled_reason: 'failures', consecutive_failures: 100 })
    const told = await rt.db.selectFrom('notifications').selectAll().where('user_id', '=', ws.users.admin).where('kind', '=', 'webhook_disabled').execute()
    expect(told).toHaveLength(1)
    expect(told[0].link).toBe(`/settings/webhooks/${id}`)
    expect(
      await rt.db.selectFrom('notifications').select('id').where('user_id', '=', ws.users.commercial).where('kind', '=', 'webhook_disabled').execute(),
    ).toEqual([])

    // Off: the retries wait instead of sending; a new event is held, not sent, not lost.
    const retries = take()
    expect(await attemptDelivery(deps(), retries[0].data)).toBe('paused')
    await givenOrganisation(rt.db, ws.ctx())
    await outbox()
    expect(take()).toEqual([])
    expect(await rt.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id).where('status', '=', 'pending').execute()).toHaveLength(3)

    await rt.db
      .updateTable('webhook_endpoints')
      .set({ url: `${base}/retabli` })
      .where('id', '=', id)
      .execute()
    await setEndpointEnabled(rt.db, { workspaceId: ws.workspaceId, now: testNow() }, id, true)
    expect(await resumeEndpoint(deps(), { workspaceId: ws.workspaceId }, id)).toBe(2)
    const resumed = take()
    for (const r of resumed) expect(await attemptDelivery(deps(), r.data)).toBe('succeeded')

    // Switched off by hand, it receives nothing.
    await setEndpointEnabled(rt.db, { workspaceId: ws.workspaceId, now: testNow() }, id, false)
    await givenOrganisation(rt.db, ws.ctx())
    await outbox()
    expect(await rt.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id).execute()).toHaveLength(3)
    expect(await rt.db.selectFrom('webhook_endpoints').select('consecutive_failures').where('id', '=', id).executeTakeFirstOrThrow()).toEqual({
      consecutive_failures: 0,
    })
  })

  it('refuses a name that resolves to a private address before any connection, and logs why', async () => {
    await outbox()
    take()
    const ws = await givenWorkspace(rt.db)
    const { id } = await createEndpoint(
      rt.db,
      { workspaceId: ws.workspaceId, actorId: ws.users.admin, now: testNow(), policy: { allowHttp: true, allowLoopback: false } },
      { url: 'https://erp.interne.exemple/hooks', description: '', eventTypes: ['organisation.created'], allowPrivateNetwork: false },
    )
    await givenOrganisation(rt.db, ws.ctx())
    await outbox()
    const [job] = take()
    const lookups: string[] = []
    const privateDeps: WebhookDeps = {
      ...deps(),
      outbound: {
        policy: { allowHttp: true, allowLoopback: false },
        lookup: async (h) => {
          lookups.push(h)
          return [{ address: '10.20.30.40', family: 4 }]
        },
      },
    }
    hits.length = 0
    expect(await attemptDelivery(privateDeps, job.data)).toBe('retry')
    const a = await rt.db.selectFrom('webhook_attempts').selectAll().where('endpoint_id', '=', id).executeTakeFirstOrThrow()
    expect(a).toMatchObject({ response_status: null, error: 'Adresse refusée (réseau interne) : 10.20.30.40' })
    expect(lookups).toEqual(['erp.interne.exemple'])
    expect(hits).toEqual([])
  })
})

it('names its queue as the engine sends to it', () => {
  expect(DELIVER_QUEUE).toBe('webhooks.deliver')
})
