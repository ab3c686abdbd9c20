import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import { givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { startRuntime } from '../runtime/runtime.js'
import { createDb } from '../db/kysely.js'
import { createDealCommand } from '../domain/crm/crm.commands.js'
import { givenWorkflow } from '../domain/workflows/testing/given-workflow.js'
import { startWorkflowEngine } from '../jobs/workflows-engine.js'
import { deliverEmail } from '../domain/mail/deliver-email.js'
import { MAIL_SEND_QUEUE, type MailSendJob } from '../domain/mail/enqueue-email.js'

// npm run bench:workflows [-- --events 10000 --workflows 20 --rate 250 --batch 16 --concurrency 2 --parallel 16 --pool 32 --producers 8 --outbound 500 --outbound-rate 25 --paced | --backlog | --outbound-only]
// A throwaway embedded Postgres with pg-boss. N workflows on "deal created", each with an
// entry condition on the deal's category (so every event is checked against all of them
// and starts exactly one run): notify the owner (first action), then create a task.
// Deals are created through the real command at a fixed rate while the dispatcher and
// the run workers work. Latency: the deal's commit → the run's first side effect
// committed (workflow_runs.first_effect_at). Two phases, each with its own workspace and
// N events: *paced* (deals created at --rate while the engine runs: the latency, and the
// runs/s the arrival allows) and *backlog* (the deals created first, then the engine
// started: its capacity, runs ÷ engine start → last run finished, with nothing else on the
// two cores). The last line is one JSON object: trigger_* from the paced phase, runs_per_s
// the engine's capacity from the backlog phase (paced_runs_per_s beside it).
//
// A third phase, *outbound* (--outbound deals at --outbound-rate, 0 = skip it), has one
// workflow with the steps that leave the process: an e-mail to the owner (queued by the
// step, delivered by a `mail.send` worker this bench starts, to the local mailbox since
// RESEND_API_KEY is unset), a webhook POSTed to a receiver the bench starts on
// 127.0.0.1 (no traffic leaves the machine), then a task. Webhooks go through the SSRF
// guard (domain/shared/outbound-http), which refuses loopback: the bench turns on the
// explicit test switch ALFORIS_ALLOW_LOOPBACK_WEBHOOKS=1 below (never set in production).
//
// Every phase checks its outcome and the bench fails (exit 1) otherwise: runs = tasks =
// N (and, outbound, e-mails sent = webhooks received = N), none twice (a second run for
// the same workflow and deal, a second task for a deal, a second e-mail per run, a
// webhook delivered twice under the same idempotency key). The last JSON line carries
// `runs`, `tasks`, `duplicates` summed over the phases (`events` the N they should equal)
// and `loadavg` (os.loadavg(): the machine may be shared).

// Before any runtime starts: the engine reads its outbound switches when it is built.
process.env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS = '1'

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    workflows: { type: 'string', default: '20' },
    rate: { type: 'string', default: '250' },
    batch: { type: 'string', default: '16' },
    concurrency: { type: 'string', default: '2' },
    parallel: { type: 'string', default: '16' },
    producers: { type: 'string', default: '8' },
    pool: { type: 'string', default: '32' },
    // Only one of the two phases (default: both, paced first).
    backlog: { type: 'boolean', default: false },
    paced: { type: 'boolean', default: false },
    // The outbound phase: deals, their rate; --outbound-only skips the other two.
    outbound: { type: 'string', default: '500' },
    'outbound-rate': { type: 'string', default: '25' },
    'outbound-only': { type: 'boolean', default: false },
  },
})
const EVENTS = Number(args.events)
const WORKFLOW_COUNT = Number(args.workflows)
const PACED_RATE = Number(args.rate)
const log = (m: string) => console.log(`[bench] ${m}`)
const loadavg = () => os.loadavg().map((x) => Number(x.toFixed(2)))
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]

type Rt = Awaited<ReturnType<typeof startRuntime>>
type Mode = 'paced' | 'backlog' | 'outbound'

/** The webhook receiver on loopback: every POST's idempotency key and arrival time. */
async function startReceiver() {
  const received: { key: string; at: number; signed: boolean }[] = []
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received.push({ key: String(req.headers['idempotency-key'] ?? ''), at: Date.now(), signed: !!req.headers['webhook-signature'] })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function measure(rt: Rt, mode: Mode) {
  {
    const backlog = mode === 'backlog'
    const outbound = mode === 'outbound'
    const N = outbound ? Number(args.outbound) : EVENTS
    const RATE = outbound ? Number(args['outbound-rate']) : PACED_RATE
    const WORKFLOWS = outbound ? 1 : WORKFLOW_COUNT
    const w = await givenWorkspace(rt.db, { paced: 'Bench Workflows', backlog: 'Bench Workflows (capacité)', outbound: 'Bench Workflows (sortants)' }[mode])
    const orgId = await givenOrganisation(rt.db, w.ctx(w.users.commercial), { name: 'Menuiserie Bench', ownerId: w.users.commercial })
    const receiver = outbound ? await startReceiver() : null
    for (let k = 0; k < WORKFLOWS; k++) {
      await givenWorkflow(rt.db, {
        workspaceId: w.workspaceId,
        ownerId: w.users.manager,
        name: `Bench ${k}`,
        definition: receiver
          ? {
              trigger: { kind: 'deal.created' },
              conditions: { combinator: 'and', rules: [{ field: 'affaire.categorie', op: 'eq', value: `C${k}` }] },
              start: 'courriel',
              steps: [
                {
                  id: 'courriel',
                  type: 'send_email',
                  to: { kind: 'owner' },
                  subject: 'Nouvelle affaire : {{affaire.titre}}',
                  body: '{{organisation.nom}} — {{affaire.montant}} €',
                  next: 'crochet',
                },
                { id: 'crochet', type: 'webhook', url: receiver.url, body: '', timeoutMs: 5_000, next: 'tache' },
                { id: 'tache', type: 'create_task', title: 'Qualifier {{affaire.titre}}', assignee: { kind: 'owner' }, dueInDays: 2, next: null },
              ],
            }
          : {
              trigger: { kind: 'deal.created' },
              conditions: { combinator: 'and', rules: [{ field: 'affaire.categorie', op: 'eq', value: `C${k}` }] },
              start: 'prevenir',
              steps: [
                {
                  id: 'prevenir',
                  type: 'notify',
                  to: { kind: 'owner' },
                  title: 'Nouvelle affaire : {{affaire.titre}}',
                  body: '{{organisation.nom}} — {{affaire.montant}} €',
                  next: 'tache',
                },
                { id: 'tache', type: 'create_task', title: 'Qualifier {{affaire.titre}}', assignee: { kind: 'owner' }, dueInDays: 2, next: null },
              ],
            },
      })
    }
    // Outbound: the e-mails the runs queue are delivered by a mail.send worker, as in a
    // worker process (jobs/send-email.job.ts), to the local mailbox.
    let mailWorker: string | null = null
    if (outbound) {
      if (process.env.RESEND_API_KEY) throw new Error('RESEND_API_KEY est défini : ce banc n’envoie que vers la boîte locale')
      mailWorker = await rt.jobs!.boss.work<MailSendJob>(MAIL_SEND_QUEUE, { batchSize: 8, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const j of jobs) await deliverEmail(rt.db, j.data.id)
      })
    }
    await sql`select 1`.execute(rt.db)
    // The engine on its own pool, as in a worker process; the producers stand for the web.
    const enginePool = createDb(rt.databaseUrl, { max: Number(args.pool) })
    // Statements the engine sends (dispatcher and workers; BEGIN/COMMIT not counted).
    let statements = 0
    const engineDb = enginePool.db.withPlugin({
      transformQuery: (a) => {
        statements++
        return a.node
      },
      transformResult: async (a) => a.result,
    })
    const startEngine = () =>
      startWorkflowEngine({
        db: engineDb,
        sql: enginePool.sql,
        jobs: rt.jobs,
        log,
        work: true,
        batchSize: Number(args.batch),
        concurrency: Number(args.concurrency),
        parallel: Number(args.parallel),
      })
    let engine = backlog ? null : await startEngine()
    const loadAtStart = loadavg()
    log(`${mode} : ${WORKFLOWS} workflow(s) actif(s), ${N} affaires à ${RATE}/s, charge ${loadAtStart.join(' ')}`)

    const committed = new Map<string, number>()
    const started = Date.now()
    let next = 0
    const producer = async () => {
      for (;;) {
        const i = next++
        if (i >= N) return
        // Paced: event i is due at started + i / RATE.
        const due = started + (i * 1000) / RATE
        const wait = due - Date.now()
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        const id = randomUUID()
        await createDealCommand(rt.db, w.ctx(w.users.commercial), {
          id,
          stage: 'PROSPECT',
          fields: {
            title: `Affaire ${i}`,
            organisation_id: orgId,
            amount_cents: 100_000 + i,
            expected_close_date: null,
            owner_id: w.users.commercial,
            category: `C${i % WORKFLOWS}`,
            source: null,
            region: null,
          },
        })
        committed.set(id, Date.now())
      }
    }
    await Promise.all(Array.from({ length: Number(args.producers) }, producer))
    const produced = Date.now()
    log(`${N} affaires créées en ${((produced - started) / 1000).toFixed(1)} s (${(N / ((produced - started) / 1000)).toFixed(0)}/s)`)

    const engineStarted = engine ? started : Date.now()
    if (!engine) engine = await startEngine()
    const deadline = Date.now() + 10 * 60_000
    let done = 0
    while (Date.now() < deadline) {
      const r = await sql<{
        done: number
        failed: number
      }>`select count(*) filter (where status = 'succeeded')::int as done, count(*) filter (where status = 'failed')::int as failed from workflow_runs where workspace_id = ${w.workspaceId}`.execute(
        rt.db,
      )
      done = r.rows[0].done
      if (done + r.rows[0].failed >= N) break
      await new Promise((res) => setTimeout(res, 250))
    }
    // Outbound: the e-mails delivered and the webhooks received too (bounded wait). One
    // e-mail per deal: its subject carries the deal's title, unique here.
    let emails = { sent: 0, total: 0, duplicates: 0 }
    while (outbound) {
      const r = await sql<{ sent: number; total: number; runs: number }>`
        select count(*) filter (where status = 'sent' and provider = 'mailbox')::int as sent, count(*)::int as total,
          count(distinct subject)::int as runs
        from outbound_emails where workspace_id = ${w.workspaceId}`.execute(rt.db)
      emails = { sent: r.rows[0].sent, total: r.rows[0].total, duplicates: r.rows[0].total - r.rows[0].runs }
      if ((emails.sent >= N && receiver!.received.length >= N) || Date.now() > deadline) break
      await new Promise((res) => setTimeout(res, 250))
    }
    const rows = (
      await sql<{
        id: string
        workflow_id: string
        subject_id: string
        created_at: Date
        first_effect_at: Date
        finished_at: Date
        status: string
      }>`select id, workflow_id, subject_id, created_at, first_effect_at, finished_at, status from workflow_runs where workspace_id = ${w.workspaceId}`.execute(
        rt.db,
      )
    ).rows
    await engine.stop()
    await enginePool.db.destroy()
    if (mailWorker) await rt.jobs!.boss.offWork({ id: mailWorker })
    await receiver?.close()
    const latencies = rows
      .filter((r) => r.first_effect_at)
      .map((r) => new Date(r.first_effect_at).getTime() - committed.get(r.subject_id)!)
      .sort((a, b) => a - b)
    // Where the time goes: commit → run inserted by the dispatcher, then run inserted → first effect.
    const dispatch = rows.map((r) => new Date(r.created_at).getTime() - committed.get(r.subject_id)!).sort((a, b) => a - b)
    const queued = rows
      .filter((r) => r.first_effect_at)
      .map((r) => new Date(r.first_effect_at).getTime() - new Date(r.created_at).getTime())
      .sort((a, b) => a - b)
    const lastFinished = Math.max(...rows.map((r) => new Date(r.finished_at ?? 0).getTime()))
    const seconds = (lastFinished - engineStarted) / 1000
    const t = (
      await sql<{
        n: number
        deals: number
      }>`select count(*)::int as n, count(distinct deal_id)::int as deals from tasks where workspace_id = ${w.workspaceId} and deleted_at is null`.execute(
        rt.db,
      )
    ).rows[0]
    const tasks = t.n
    // None twice: one run per (workflow, deal), one task per deal, one e-mail per run, one webhook per key.
    const runDuplicates = rows.length - new Set(rows.map((r) => `${r.workflow_id}|${r.subject_id}`)).size
    const taskDuplicates = t.n - t.deals
    const webhookDuplicates = receiver ? receiver.received.length - new Set(receiver.received.map((x) => x.key)).size : 0
    const duplicates = runDuplicates + taskDuplicates + emails.duplicates + webhookDuplicates
    // Outbound: the deal's commit → its webhook received by the receiver (the key is `run id:step id`).
    const subjectOfRun = new Map(rows.map((r) => [r.id, r.subject_id]))
    const webhookLatencies = (receiver?.received ?? [])
      .map((x) => x.at - committed.get(subjectOfRun.get(x.key.split(':')[0]) ?? '')!)
      .filter((x) => Number.isFinite(x))
      .sort((a, b) => a - b)
    const problems = [
      rows.length !== N && `${rows.length} exécutions pour ${N} événements`,
      done !== N && `${done} exécutions réussies sur ${N}`,
      tasks !== N && `${tasks} tâches pour ${N} événements`,
      runDuplicates && `${runDuplicates} exécutions en double`,
      taskDuplicates && `${taskDuplicates} tâches en double`,
      outbound && emails.sent !== N && `${emails.sent} e-mails envoyés (boîte locale) sur ${N} (${emails.total} en file)`,
      emails.duplicates && `${emails.duplicates} e-mails en double`,
      receiver && receiver.received.length - webhookDuplicates !== N && `${receiver.received.length - webhookDuplicates} webhooks reçus sur ${N}`,
      receiver && receiver.received.some((x) => !x.signed) && 'webhook reçu sans signature',
      webhookDuplicates && `${webhookDuplicates} webhooks reçus deux fois`,
    ].filter((x): x is string => !!x)
    const result = {
      mode,
      events: N,
      workflows: WORKFLOWS,
      rate: RATE,
      runs: rows.length,
      runs_succeeded: done,
      tasks,
      duplicates,
      ...(outbound
        ? {
            emails_sent: emails.sent,
            webhooks_received: receiver!.received.length,
            webhook_p50_ms: pct(webhookLatencies, 50),
            webhook_p95_ms: pct(webhookLatencies, 95),
          }
        : {}),
      dispatch_p50_ms: pct(dispatch, 50),
      dispatch_p95_ms: pct(dispatch, 95),
      run_start_p50_ms: pct(queued, 50),
      run_start_p95_ms: pct(queued, 95),
      produced_per_s: Number((N / ((produced - started) / 1000)).toFixed(1)),
      trigger_p50_ms: pct(latencies, 50),
      trigger_p95_ms: pct(latencies, 95),
      trigger_max_ms: latencies[latencies.length - 1],
      runs_per_s: Number((done / seconds).toFixed(1)),
      statements_per_run: Number((statements / Math.max(1, rows.length)).toFixed(1)),
      loadavg: loadavg(),
      load_at_start: loadAtStart,
      cpus: os.cpus().length,
      problems,
    }
    log(
      `${result.mode} : latence déclencheur → première action p50 ${result.trigger_p50_ms} ms, p95 ${result.trigger_p95_ms} ms ; ${result.runs_per_s} exécutions/s ; ${rows.length} exécutions, ${tasks} tâches, ${duplicates} en double${problems.length ? ` ; ÉCHEC : ${problems.join(' ; ')}` : ''} ; charge ${loadavg().join(' ')}`,
    )
    log(JSON.stringify(result))
    return result
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-wf-bench-'))
  fs.chmodSync(dir, 0o755)
  const rt = await startRuntime({ dataDir: dir, ephemeral: true, jobs: 'send', projector: false, log: () => {} })
  try {
    const only = args['outbound-only']
    const paced = args.backlog || only ? null : await measure(rt, 'paced')
    const capacity = args.paced || only ? null : await measure(rt, 'backlog')
    const outbound = Number(args.outbound) > 0 ? await measure(rt, 'outbound') : null
    const phases = [paced, capacity, outbound].filter((x): x is NonNullable<typeof x> => !!x)
    const headline = paced ?? capacity ?? outbound!
    const problems = phases.flatMap((p) => p.problems.map((x) => `${p.mode} : ${x}`))
    console.log(
      JSON.stringify({
        ...headline,
        mode: phases.map((p) => p.mode).join('+'),
        // Every phase's N together, and what they gave: runs = tasks = events, duplicates 0.
        events: phases.reduce((a, p) => a + p.events, 0),
        runs: phases.reduce((a, p) => a + p.runs, 0),
        runs_succeeded: phases.reduce((a, p) => a + p.runs_succeeded, 0),
        tasks: phases.reduce((a, p) => a + p.tasks, 0),
        duplicates: phases.reduce((a, p) => a + p.duplicates, 0),
        trigger_p50_ms: paced?.trigger_p50_ms ?? null,
        trigger_p95_ms: paced?.trigger_p95_ms ?? null,
        runs_per_s: (capacity ?? paced ?? outbound)!.runs_per_s,
        paced_runs_per_s: paced?.runs_per_s ?? null,
        outbound: outbound
          ? {
              events: outbound.events,
              runs: outbound.runs,
              tasks: outbound.tasks,
              emails_sent: outbound.emails_sent,
              webhooks_received: outbound.webhooks_received,
              trigger_p95_ms: outbound.trigger_p95_ms,
              webhook_p50_ms: outbound.webhook_p50_ms,
              webhook_p95_ms: outbound.webhook_p95_ms,
              runs_per_s: outbound.runs_per_s,
            }
          : null,
        phases_loadavg: Object.fromEntries(phases.map((p) => [p.mode, { start: p.load_at_start, end: p.loadavg }])),
        problems,
        loadavg: loadavg(),
      }),
    )
    if (problems.length) throw new Error(`le banc a échoué : ${problems.join(' ; ')}`)
  } finally {
    await rt.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e)
    process.exit(1)
  },
)
