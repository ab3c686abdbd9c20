import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { startRuntime } from '../runtime/runtime.js'
import { givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { createEndpoint } from '../domain/webhooks/endpoints.js'
import { startWebhookEngine } from '../jobs/webhook-engine.job.js'

// npm run bench:webhooks [-- --events 10000 --rate 200 --retry-scale 0.001 --slow-ms 150 --parallel 16 --concurrency 2 --producers 4]
// A throwaway embedded Postgres with pg-boss, three receivers on 127.0.0.1 (no traffic
// leaves the machine; the SSRF guard's loopback switch is turned on below, as tests do):
// *healthy* answers 200 at once, *slow* after --slow-ms, *failing* always 500. One
// endpoint each, subscribed to organisation.created. N organisations are created through
// the real command at --rate while the outbox and the delivery workers run. The failing
// endpoint is retried on the production schedule (1 min, 10 min, 1 h) multiplied by
// --retry-scale, dead-lettered, and switched off after 100 failures in a row (its later
// events are then held for it, not lost).
//
// The last line is one JSON object: deliveries_per_s (HTTP attempts, all endpoints, over
// the run), healthy_p95_ms (the organisation's commit → its arrival at the healthy
// receiver), lost (event × endpoint with neither a delivery, a pending retry or held row,
// nor a dead letter) and duplicated (a webhook-id that reached a receiver twice). Exit 1
// when lost or duplicated is not 0.

process.env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS = '1'

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '200' },
    'retry-scale': { type: 'string', default: '0.001' },
    'slow-ms': { type: 'string', default: '150' },
    parallel: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '2' },
    producers: { type: 'string', default: '4' },
  },
})
const N = Number(args.events)
const RATE = Number(args.rate)
const log = (m: string) => console.log(`[bench] ${m}`)
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]

type Receiver = { url: string; ids: Map<string, number>; arrivals: Map<string, number>; requests: number; close(): Promise<void> }

async function receiver(name: string, answer: (respond: (status: number) => void) => void): Promise<Receiver> {
  const ids = new Map<string, number>()
  const arrivals = new Map<string, number>()
  const r: Receiver = { url: '', ids, arrivals, requests: 0, close: async () => {} }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      r.requests++
      const id = String(req.headers['webhook-id'])
      answer((status) => {
        if (status < 300) {
          ids.set(id, (ids.get(id) ?? 0) + 1)
          // The organisation's id, to match its commit time.
          if (!arrivals.has(id)) arrivals.set(JSON.parse(Buffer.concat(chunks).toString('utf8')).data.id, Date.now())
        }
        res.writeHead(status).end()
      })
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}`
  r.close = () => new Promise<void>((ok) => server.close(() => ok()))
  return r
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-bench-webhooks-'))
  fs.chmodSync(dir, 0o755)
  const healthy = await receiver('sain', (respond) => respond(200))
  const slow = await receiver('lent', (respond) => setTimeout(() => respond(200), Number(args['slow-ms'])))
  const failing = await receiver('en-panne', (respond) => respond(500))
  const rt = await startRuntime({ dataDir: dir, ephemeral: true, jobs: 'send', projector: false, webhooks: false, log: () => {} })
  let engine: Awaited<ReturnType<typeof startWebhookEngine>> | null = null
  try {
    const ws = await givenWorkspace(rt.db, 'Banc webhooks')
    const policy = { allowHttp: false, allowLoopback: true }
    const endpoints: Record<string, string> = {}
    for (const r of [healthy, slow, failing]) {
      const { id } = await createEndpoint(
        rt.db,
        { workspaceId: ws.workspaceId, actorId: ws.users.admin, now: new Date(), policy },
        { url: r.url, description: r.url, eventTypes: ['organisation.created'], allowPrivateNetwork: false },
      )
      endpoints[r.url] = id
    }
    engine = await startWebhookEngine({
      db: rt.db,
      sql: rt.sql,
      jobs: rt.jobs,
      log,
      work: true,
      retryScale: Number(args['retry-scale']),
      parallel: Number(args.parallel),
      concurrency: Number(args.concurrency),
      pollMs: 200,
    })

    // Producers at a fixed overall rate: each takes the next slot of the schedule.
    const committed = new Map<string, number>()
    const started = Date.now()
    let next = 0
    const producer = async () => {
      for (;;) {
        const i = next++
        if (i >= N) return
        const due = started + (i * 1000) / RATE
        const wait = due - Date.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        const id = await givenOrganisation(rt.db, ws.ctx(undefined, { now: new Date() }))
        committed.set(id, Date.now())
      }
    }
    await Promise.all(Array.from({ length: Number(args.producers) }, producer))
    log(`${N} organisations en ${((Date.now() - started) / 1000).toFixed(1)} s`)

    // Done when the healthy and slow receivers have every event and the failing endpoint's
    // deliveries are all dead-lettered or held (it was switched off after 100 failures).
    const failingId = endpoints[failing.url]
    for (;;) {
      const open = await sql<{ n: number }>`
        select count(*)::int as n from webhook_deliveries
        where endpoint_id = ${failingId} and status = 'pending' and next_attempt_at is not null`.execute(rt.db)
      const doneFailing = (
        await rt.db
          .selectFrom('webhook_deliveries')
          .select(sql<number>`count(*)::int`.as('n'))
          .where('endpoint_id', '=', failingId)
          .executeTakeFirstOrThrow()
      ).n
      if (healthy.arrivals.size >= N && slow.arrivals.size >= N && doneFailing >= N && open.rows[0].n === 0) break
      if (Date.now() - started > 30 * 60_000) throw new Error('pas terminé en 30 minutes')
      await new Promise((r) => setTimeout(r, 500))
    }
    const elapsedS = (Date.now() - started) / 1000

    // lost: an (event, endpoint) without any delivery row (delivered, pending/held, or dead).
    const rows = await sql<{ endpoint_id: string; status: string; n: number }>`
      select endpoint_id, status, count(*)::int as n from webhook_deliveries where workspace_id = ${ws.workspaceId} group by 1, 2`.execute(rt.db)
    const perEndpoint = new Map<string, number>()
    for (const r of rows.rows) perEndpoint.set(r.endpoint_id, (perEndpoint.get(r.endpoint_id) ?? 0) + r.n)
    const lost = Object.values(endpoints).reduce((s, id) => s + Math.max(0, N - (perEndpoint.get(id) ?? 0)), 0)
    const duplicated = [healthy, slow, failing].reduce((s, r) => s + [...r.ids.values()].filter((n) => n > 1).length, 0)
    const latencies = [...committed].map(([id, at]) => (healthy.arrivals.get(id) ?? Infinity) - at).sort((a, b) => a - b)
    const requests = healthy.requests + slow.requests + failing.requests
    const byStatus = Object.fromEntries(
      rows.rows.map((r) => [`${r.endpoint_id === failingId ? 'failing' : r.endpoint_id === endpoints[slow.url] ? 'slow' : 'healthy'}_${r.status}`, r.n]),
    )
    const failingEp = await rt.db.selectFrom('webhook_endpoints').select(['enabled', 'disabled_reason']).where('id', '=', failingId).executeTakeFirstOrThrow()
    console.log(
      JSON.stringify({
        events: N,
        endpoints: 3,
        deliveries_per_s: Math.round(requests / elapsedS),
        healthy_p50_ms: Math.round(pct(latencies, 50)),
        healthy_p95_ms: Math.round(pct(latencies, 95)),
        healthy_max_ms: Math.round(latencies[latencies.length - 1]),
        lost,
        duplicated,
        requests,
        elapsed_s: Number(elapsedS.toFixed(1)),
        ...byStatus,
        failing_disabled: failingEp.disabled_reason,
        retry_scale: Number(args['retry-scale']),
        rate: RATE,
        loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
      }),
    )
    if (lost || duplicated) process.exitCode = 1
  } finally {
    await engine?.stop()
    await rt.stop()
    for (const r of [healthy, slow, failing]) await r.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
