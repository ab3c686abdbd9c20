import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { givenWorkspace } from '../testing/fixtures.js'
import { startEmbeddedPostgres } from '../db/embedded-postgres.js'
import { createDb, type Db } from '../db/kysely.js'
import { migrateToLatest } from '../db/migrate.js'
import { changeDealStageCommand, createDealCommand, createOrganisationCommand, updateDealCommand } from '../domain/crm/crm.commands.js'
import type { DealFields } from '../domain/crm/deal.js'
import type { CommandContext } from '../domain/shared/events.js'
import { chQuery, createClickHouse } from '../projections/clickhouse.js'
import { migrateClickHouse } from '../projections/migrate.js'
import { startProjector } from '../projections/projector.js'
import { dealTotals } from '../projections/queries/deal-totals.js'

// npm run bench:projector [-- --events 200000 --deals 3000 --rate 50 --seconds 20 --batch 10000]
// A throwaway Postgres + chDB; 1) catch-up: N deal events bulk-loaded, then projected
// from scratch; 2) lag: real domain commands at a fixed rate while the projector runs,
// each timed from its commit to the batch that moved the checkpoint past it.
// The last line printed is one JSON object.

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    deals: { type: 'string', default: '3000' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    batch: { type: 'string', default: '10000' },
  },
})
const N = Number(args.events)
const DEALS = Number(args.deals)
const RATE = Number(args.rate)
const SECONDS = Number(args.seconds)
const BATCH = Number(args.batch)

const log = (m: string) => console.log(`[bench] ${m}`)
const OPEN = [['PROSPECT', 10], ['QUALIFICATION', 25], ['PROPOSITION', 50], ['NEGOCIATION', 75]] as const

const fieldsFor = (organisationId: string, i: number, ownerId: string): DealFields => ({
  title: `Affaire ${i}`, organisation_id: organisationId, amount_cents: 50_000 + ((i * 7_919) % 5_000_000),
  expected_close_date: null, owner_id: ownerId, category: ['Équipement', 'Service', 'Licence'][i % 3],
  source: ['Salon', 'Site web', 'Recommandation'][i % 3], region: ['Bretagne', 'Occitanie', 'Île-de-France'][i % 3],
})

/** N events over DEALS deals, interleaved like a busy team: creations, then stage moves (some won, some lost, reopened). */
async function bulkLoad(db: Db, ctx: CommandContext, organisationId: string, ownerId: string) {
  const ids = Array.from({ length: DEALS }, () => randomUUID())
  const versions = new Array<number>(DEALS).fill(0)
  const stages = new Array<string>(DEALS).fill('PROSPECT')
  const at = (k: number) => new Date(Date.UTC(2025, 0, 1) + k * 60_000).toISOString()
  const meta = { actorId: ctx.actorId, source: 'import' }
  const CHUNK = 4_000
  let rows: Parameters<ReturnType<Db['insertInto']>['values']>[0][] = []
  const flush = async () => {
    if (rows.length) await db.insertInto('events').values(rows as never).execute()
    rows = []
  }
  for (let k = 0; k < N; k++) {
    const d = k % DEALS
    const id = ids[d]
    const v = ++versions[d]
    let type: string
    let data: Record<string, unknown>
    if (v === 1) {
      type = 'DealCreated'
      data = { id, workspace_id: ctx.workspaceId, at: at(k), stage: 'PROSPECT', probability: 10, ...fieldsFor(organisationId, d, ownerId) }
    } else {
      const from = stages[d]
      const step = v % 11
      const [to, probability] = step === 5 ? ['SIGNE', 100] : step === 9 ? ['PERDU', 0] : OPEN[v % 4][0] === from ? OPEN[(v + 1) % 4] : OPEN[v % 4]
      stages[d] = to
      type = 'DealStageChanged'
      data = {
        id, at: at(k), from, to, probability, amount_cents: fieldsFor(organisationId, d, ownerId).amount_cents,
        lost_reason: to === 'PERDU' ? 'Prix' : null, closed: to === 'SIGNE' || to === 'PERDU',
      }
    }
    rows.push({ workspace_id: ctx.workspaceId, stream_type: 'deal', stream_id: id, stream_version: v, type, data, meta, occurred_at: at(k) })
    if (rows.length === CHUNK) await flush()
  }
  await flush()
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alforis-bench-'))
  const pg = await startEmbeddedPostgres(path.join(dir, 'pg'), { ephemeral: true })
  const { db, sql } = createDb(pg.url, { max: 20 })
  const rawCh = await createClickHouse({ path: path.join(dir, 'ch') })
  // Time spent waiting on ClickHouse, per operation and table, to show where a batch goes.
  const chMs = new Map<string, number>()
  const chMaxMs = new Map<string, number>()
  const ch = new Proxy(rawCh, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver)
      if (typeof v !== 'function' || !['insert', 'query', 'command'].includes(String(prop))) return v
      return async (params: { table?: string }) => {
        const t0 = performance.now()
        try { return await v.call(target, params) } finally {
          const key = `${String(prop)}${params.table ? ` ${params.table}` : ''}`
          const ms = performance.now() - t0
          chMs.set(key, (chMs.get(key) ?? 0) + ms)
          chMaxMs.set(key, Math.max(chMaxMs.get(key) ?? 0, ms))
        }
      }
    },
  })
  let projector: Awaited<ReturnType<typeof startProjector>> | null = null
  try {
    await migrateToLatest(db)
    await migrateClickHouse(ch)
    const w = await givenWorkspace(db, 'Banc d’essai')
    const organisationId = randomUUID()
    await createOrganisationCommand(db, w.ctx(), { id: organisationId, fields: { name: 'Client Banc', siren: null, siret: null, vat_number: null, address: null, postal_code: null, city: 'Nantes', sector: 'Industrie', size: null, status: 'client', owner_id: null } })

    let t = performance.now()
    await bulkLoad(db, w.ctx(), organisationId, w.users.commercial)
    log(`${N} événements insérés sur ${DEALS} affaires en ${Math.round(performance.now() - t)} ms`)

    // 1) Catch-up from an empty read model.
    const projectedAt = new Map<string, number>()
    let batches = 0
    let batchMs = 0
    let track = false
    const lagBatches: number[] = []
    projector = await startProjector({
      db, sql, ch, log: (m) => log(m), batchSize: BATCH,
      onBatch: (b) => {
        batches++
        batchMs += b.ms
        if (!track) return
        lagBatches.push(b.ms)
        const now = performance.now()
        for (const e of b.events) projectedAt.set(`${e.stream_id}:${e.stream_version}`, now)
      },
    })
    chMs.clear()
    const cpu0 = process.cpuUsage()
    t = performance.now()
    await projector.waitForCatchUp(15 * 60_000)
    const catchupMs = performance.now() - t
    const cpu = process.cpuUsage(cpu0)
    const catchupRate = Math.round((N + 1) / (catchupMs / 1000))
    log(`rattrapage : ${N} événements en ${Math.round(catchupMs)} ms → ${catchupRate} év./s (${batches} lots, ${Math.round(batchMs / batches)} ms par lot en moyenne)`)
    log(`  dont attente ClickHouse : ${[...chMs].map(([k, ms]) => `${k} ${Math.round(ms)} ms`).join(', ')}; CPU du processus (Node + chDB) ${Math.round((cpu.user + cpu.system) / 1000)} ms`)

    // 2) Lag under a steady write load through the real commands.
    track = true
    chMaxMs.clear()
    const total = RATE * SECONDS
    const pool = Math.min(total, Math.max(10, RATE * 3))
    const dealIds = Array.from({ length: pool }, () => randomUUID())
    const state = dealIds.map((_, i) => ({ fields: fieldsFor(organisationId, 10_000 + i, w.users.commercial), version: 0, stage: 'PROSPECT', step: 0 }))
    const committedAt = new Map<string, number>()
    const failures: string[] = []
    const commandMs: number[] = []
    const inFlight: Promise<void>[] = []
    const started = performance.now()
    for (let k = 0; k < total; k++) {
      const due = started + (k * 1000) / RATE
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      const d = k % pool
      const s = state[d]
      const id = dealIds[d]
      const ctx = w.ctx(w.users.commercial)
      const run = async () => {
        const began = performance.now()
        let result
        if (s.version === 0) {
          result = await createDealCommand(db, ctx, { id, fields: s.fields, stage: 'PROSPECT' })
        } else if (s.step++ % 5 === 4) {
          s.fields = { ...s.fields, amount_cents: s.fields.amount_cents + 1_000 }
          result = await updateDealCommand(db, ctx, { id, expectedVersion: s.version, fields: s.fields })
        } else {
          const to = s.stage === 'NEGOCIATION' ? (s.step % 3 === 0 ? 'PERDU' : 'SIGNE') : s.stage === 'SIGNE' || s.stage === 'PERDU' ? 'QUALIFICATION' : OPEN[OPEN.findIndex(([c]) => c === s.stage) + 1][0]
          result = await changeDealStageCommand(db, ctx, { id, to, lostReason: to === 'PERDU' ? 'Concurrent moins cher' : null })
          s.stage = to
        }
        const now = performance.now()
        commandMs.push(now - began)
        s.version = result.state!.version
        for (let v = s.version - result.events.length + 1; v <= s.version; v++) committedAt.set(`${id}:${v}`, now)
      }
      inFlight.push(run().catch((e) => { failures.push((e as Error).message) }))
    }
    await Promise.all(inFlight)
    const writeMs = performance.now() - started
    await projector.waitForCatchUp(60_000)
    const lags = [...committedAt].map(([key, at]) => (projectedAt.get(key) ?? Number.NaN) - at)
    const missing = lags.filter((l) => Number.isNaN(l)).length
    const sorted = lags.filter((l) => !Number.isNaN(l)).sort((a, b) => a - b)
    const p50 = percentile(sorted, 50)
    const p95 = percentile(sorted, 95)
    const max = sorted[sorted.length - 1]
    const batchSorted = [...lagBatches].sort((a, b) => a - b)
    log(`lots pendant l'écriture : ${lagBatches.length}, durée p50 ${percentile(batchSorted, 50).toFixed(1)} ms, p95 ${percentile(batchSorted, 95).toFixed(1)} ms, max ${batchSorted[batchSorted.length - 1].toFixed(1)} ms`)
    const commandSorted = commandMs.sort((a, b) => a - b)
    log(`  appel ClickHouse le plus long : ${[...chMaxMs].map(([k, ms]) => `${k} ${Math.round(ms)} ms`).join(', ')}`)
    log(`écriture : ${total} commandes en ${Math.round(writeMs)} ms (${(total / (writeMs / 1000)).toFixed(1)}/s), ${failures.length} en échec${failures.length ? ` (${failures[0]})` : ''}; durée d'une commande p50 ${percentile(commandSorted, 50).toFixed(1)} ms, p95 ${percentile(commandSorted, 95).toFixed(1)} ms`)
    log(`retard commit → checkpoint : p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms sur ${sorted.length} événements${missing ? `, ${missing} jamais vus` : ''}`)

    const parts = await chQuery<{ table: string; n: number }>(ch, "SELECT table, toInt64(count()) AS n FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table")
    log(`parts actives : ${parts.map((p) => `${p.table} ${p.n}`).join(', ')}`)
    const totals = await dealTotals(ch, w.workspaceId)
    const pgDeals = await db.selectFrom('deals').select((eb) => eb.fn.countAll<string>().as('n')).where('workspace_id', '=', w.workspaceId).executeTakeFirstOrThrow()
    log(`ClickHouse : ${totals.deals} affaires (${DEALS} chargées + ${Number(pgDeals.n)} par commandes)`)

    console.log(JSON.stringify({
      events: N, deals: DEALS, batch_size: BATCH,
      catchup_ms: Math.round(catchupMs), catchup_events_per_s: catchupRate,
      lag_rate_per_s: RATE, lag_commands: total, lag_events: sorted.length, lag_missing: missing, lag_failures: failures.length,
      lag_p50_ms: Math.round(p50 * 10) / 10, lag_p95_ms: Math.round(p95 * 10) / 10, lag_max_ms: Math.round(max * 10) / 10,
      cpus: os.cpus().length, node: process.version,
    }))
  } finally {
    await projector?.stop()
    await rawCh.close()
    await db.destroy()
    await pg.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
