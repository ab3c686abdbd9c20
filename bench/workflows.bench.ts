import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
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

// npm run bench:workflows [-- --events 10000 --workflows 20 --rate 250 --batch 16 --concurrency 2 --parallel 16 --pool 32 --producers 8 --paced | --backlog]
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
  },
})
const N = Number(args.events)
const WORKFLOWS = Number(args.workflows)
const RATE = Number(args.rate)
const log = (m: string) => console.log(`[bench] ${m}`)
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]

type Rt = Awaited<ReturnType<typeof startRuntime>>

async function measure(rt: Rt, backlog: boolean) {
  {
    const w = await givenWorkspace(rt.db, backlog ? 'Bench Workflows (capacité)' : 'Bench Workflows')
    const orgId = await givenOrganisation(rt.db, w.ctx(w.users.commercial), { name: 'Menuiserie Bench', ownerId: w.users.commercial })
    for (let k = 0; k < WORKFLOWS; k++) {
      await givenWorkflow(rt.db, {
        workspaceId: w.workspaceId, ownerId: w.users.manager, name: `Bench ${k}`,
        definition: {
          trigger: { kind: 'deal.created' },
          conditions: { combinator: 'and', rules: [{ field: 'affaire.categorie', op: 'eq', value: `C${k}` }] },
          start: 'prevenir',
          steps: [
            { id: 'prevenir', type: 'notify', to: { kind: 'owner' }, title: 'Nouvelle affaire : {{affaire.titre}}', body: '{{organisation.nom}} — {{affaire.montant}} €', next: 'tache' },
            { id: 'tache', type: 'create_task', title: 'Qualifier {{affaire.titre}}', assignee: { kind: 'owner' }, dueInDays: 2, next: null },
          ],
        },
      })
    }
    await sql`select 1`.execute(rt.db)
    // The engine on its own pool, as in a worker process; the producers stand for the web.
    const enginePool = createDb(rt.databaseUrl, { max: Number(args.pool) })
    // Statements the engine sends (dispatcher and workers; BEGIN/COMMIT not counted).
    let statements = 0
    const engineDb = enginePool.db.withPlugin({ transformQuery: (a) => { statements++; return a.node }, transformResult: async (a) => a.result })
    const startEngine = () => startWorkflowEngine({ db: engineDb, sql: enginePool.sql, jobs: rt.jobs, log, work: true, batchSize: Number(args.batch), concurrency: Number(args.concurrency), parallel: Number(args.parallel) })
    let engine = backlog ? null : await startEngine()
    log(`${WORKFLOWS} workflows actifs, ${N} affaires à ${RATE}/s, charge ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`)

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
        await createDealCommand(rt.db, w.ctx(w.users.commercial), { id, stage: 'PROSPECT', fields: {
          title: `Affaire ${i}`, organisation_id: orgId, amount_cents: 100_000 + i, expected_close_date: null, owner_id: w.users.commercial,
          category: `C${i % WORKFLOWS}`, source: null, region: null,
        } })
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
      const r = await sql<{ done: number; failed: number }>`select count(*) filter (where status = 'succeeded')::int as done, count(*) filter (where status = 'failed')::int as failed from workflow_runs where workspace_id = ${w.workspaceId}`.execute(rt.db)
      done = r.rows[0].done
      if (done + r.rows[0].failed >= N) break
      await new Promise((res) => setTimeout(res, 250))
    }
    const rows = (await sql<{ subject_id: string; created_at: Date; first_effect_at: Date; finished_at: Date; status: string }>`select subject_id, created_at, first_effect_at, finished_at, status from workflow_runs where workspace_id = ${w.workspaceId}`.execute(rt.db)).rows
    await engine.stop()
    await enginePool.db.destroy()
    const latencies = rows.filter((r) => r.first_effect_at).map((r) => new Date(r.first_effect_at).getTime() - committed.get(r.subject_id)!).sort((a, b) => a - b)
    // Where the time goes: commit → run inserted by the dispatcher, then run inserted → first effect.
    const dispatch = rows.map((r) => new Date(r.created_at).getTime() - committed.get(r.subject_id)!).sort((a, b) => a - b)
    const queued = rows.filter((r) => r.first_effect_at).map((r) => new Date(r.first_effect_at).getTime() - new Date(r.created_at).getTime()).sort((a, b) => a - b)
    const lastFinished = Math.max(...rows.map((r) => new Date(r.finished_at ?? 0).getTime()))
    const seconds = (lastFinished - engineStarted) / 1000
    const tasks = Number((await sql<{ n: number }>`select count(*)::int as n from tasks where workspace_id = ${w.workspaceId}`.execute(rt.db)).rows[0].n)
    const result = {
      mode: backlog ? 'backlog' : 'paced', events: N, workflows: WORKFLOWS, rate: RATE, runs: rows.length, runs_succeeded: done, tasks_created: tasks,
      dispatch_p50_ms: pct(dispatch, 50), dispatch_p95_ms: pct(dispatch, 95), run_start_p50_ms: pct(queued, 50), run_start_p95_ms: pct(queued, 95),
      produced_per_s: Number((N / ((produced - started) / 1000)).toFixed(1)),
      trigger_p50_ms: pct(latencies, 50), trigger_p95_ms: pct(latencies, 95), trigger_max_ms: latencies[latencies.length - 1],
      runs_per_s: Number((done / seconds).toFixed(1)), statements_per_run: Number((statements / Math.max(1, rows.length)).toFixed(1)), load_avg: os.loadavg().map((x) => Number(x.toFixed(2))), cpus: os.cpus().length,
    }
    log(`${result.mode} : latence déclencheur → première action p50 ${result.trigger_p50_ms} ms, p95 ${result.trigger_p95_ms} ms ; ${result.runs_per_s} exécutions/s`)
    log(JSON.stringify(result))
    return result
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-wf-bench-'))
  fs.chmodSync(dir, 0o755)
  const rt = await startRuntime({ dataDir: dir, ephemeral: true, jobs: 'send', projector: false, log: () => {} })
  try {
    const paced = args.backlog ? null : await measure(rt, false)
    const capacity = args.paced ? null : await measure(rt, true)
    const headline = paced ?? capacity!
    console.log(JSON.stringify({
      ...headline,
      mode: paced && capacity ? 'paced+backlog' : headline.mode,
      trigger_p50_ms: paced?.trigger_p50_ms ?? null, trigger_p95_ms: paced?.trigger_p95_ms ?? null,
      runs_per_s: (capacity ?? paced)!.runs_per_s, paced_runs_per_s: paced?.runs_per_s ?? null,
      load_avg: os.loadavg().map((x) => Number(x.toFixed(2))),
    }))
  } finally {
    await rt.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e)
  process.exit(1)
})
