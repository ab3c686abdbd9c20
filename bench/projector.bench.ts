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
import { chQuery, createClickHouse, insertObserver, insertTable } from '../projections/clickhouse.js'
import { migrateClickHouse } from '../projections/migrate.js'
import { DEFAULT_BATCH_SIZE } from '../projections/project-pending.js'
import { startProjector } from '../projections/projector.js'
import { dealTotals } from '../projections/queries/deal-totals.js'
import { projectionNames } from '../projections/registry.js'

// npm run bench:projector [-- --events 200000 --deals 30000 --rate 50 --seconds 20 --batch 50000]
// A throwaway Postgres + chDB and every projection of projections/registry.ts;
// 1) catch-up: N events bulk-loaded, then projected from scratch; 2) lag: real domain
// commands at a fixed rate while the projector runs, each timed from its commit to the
// batch that moved the checkpoint past it. The last line printed is one JSON object.
//
// The mix is a busy CRM's, interleaved in time (events a few seconds apart): about
// 45 % deal events (creations, stage moves — won, lost, reopened —, amount updates) over
// `--deals` streams, more than the projector's state cache holds per projection
// (projections/state-cache.ts), 30 % activities (calls, meetings, notes, e-mails; a few
// edited), 15 % tasks (created, started, completed) and 10 % quotes (created, lines
// changed, sent with their document snapshot, accepted or refused). Streams are touched
// at random after their creation, as people do, not one after the other.

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    deals: { type: 'string', default: '30000' },
    organisations: { type: 'string', default: '40' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    // The projector's own default (projections/project-pending.ts).
    batch: { type: 'string', default: String(DEFAULT_BATCH_SIZE) },
  },
})
const N = Number(args.events)
const DEALS = Number(args.deals)
const ORGS = Number(args.organisations)
const RATE = Number(args.rate)
const SECONDS = Number(args.seconds)
const BATCH = Number(args.batch)

const log = (m: string) => console.log(`[bench] ${m}`)
const OPEN = [
  ['PROSPECT', 10],
  ['QUALIFICATION', 25],
  ['PROPOSITION', 50],
  ['NEGOCIATION', 75],
] as const

const fieldsFor = (organisationId: string, i: number, ownerId: string): DealFields => ({
  title: `Affaire ${i}`,
  organisation_id: organisationId,
  amount_cents: 50_000 + ((i * 7_919) % 5_000_000),
  expected_close_date: null,
  owner_id: ownerId,
  category: ['Équipement', 'Service', 'Licence'][i % 3],
  source: ['Salon', 'Site web', 'Recommandation'][i % 3],
  region: ['Bretagne', 'Occitanie', 'Île-de-France'][i % 3],
})

/** A deterministic PRNG (mulberry32): the same mix on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

type Mix = { deal: number; activity: number; task: number; quote: number }
const SHARE: Mix = { deal: 0.45, activity: 0.3, task: 0.15, quote: 0.1 }
// Events per stream on average: a deal 3 (so `--deals` streams for 45 % of N), an
// activity 1.1, a task 2, a quote 4.
const PER_STREAM: Mix = { deal: 0, activity: 1.1, task: 2, quote: 4 }

/** N events of the mix, interleaved: each step picks a kind, then creates a stream of it or moves an existing one. */
async function bulkLoad(db: Db, ctx: CommandContext, organisationIds: string[], users: string[]) {
  const random = prng(42)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]
  const quota: Mix = { deal: Math.round(N * SHARE.deal), activity: Math.round(N * SHARE.activity), task: Math.round(N * SHARE.task), quote: 0 }
  quota.quote = N - quota.deal - quota.activity - quota.task
  const streams: Record<keyof Mix, number> = {
    deal: Math.min(DEALS, quota.deal),
    activity: Math.round(quota.activity / PER_STREAM.activity),
    task: Math.round(quota.task / PER_STREAM.task),
    quote: Math.round(quota.quote / PER_STREAM.quote),
  }
  const left = { ...quota }
  const created = { deal: 0, activity: 0, task: 0, quote: 0 }
  const ids: Record<keyof Mix, string[]> = { deal: [], activity: [], task: [], quote: [] }
  const versions: Record<keyof Mix, number[]> = { deal: [], activity: [], task: [], quote: [] }
  const dealStage: string[] = []
  const dealAmount: number[] = []
  const taskStatus: string[] = []
  const quoteStatus: string[] = []
  const counts: Record<string, number> = {}
  const t0 = Date.UTC(2025, 0, 6, 8)
  const at = (k: number) => new Date(t0 + k * 4_000).toISOString()
  const meta = { actorId: ctx.actorId, source: 'import' }
  const CHUNK = 2_000
  let rows: Record<string, unknown>[] = []
  const flush = async () => {
    if (rows.length)
      await db
        .insertInto('events')
        .values(rows as never)
        .execute()
    rows = []
  }
  const kinds = Object.keys(SHARE) as (keyof Mix)[]
  for (let k = 0; k < N; k++) {
    // A kind in proportion to what it has left, so all four end together.
    let r = random() * (N - k)
    let kind = kinds[0]
    for (const x of kinds) {
      if ((r -= left[x]) < 0) {
        kind = x
        break
      }
    }
    left[kind]--
    // Create while creations are due in proportion, else move a random existing stream.
    const create = created[kind] === 0 || (created[kind] < streams[kind] && random() < (streams[kind] - created[kind]) / (left[kind] + 1))
    let i: number
    if (create) {
      i = created[kind]++
      ids[kind].push(randomUUID())
      versions[kind].push(0)
    } else {
      i = Math.floor(random() * created[kind])
    }
    const id = ids[kind][i]
    const v = ++versions[kind][i]
    const when = at(k)
    const owner = users[i % users.length]
    const org = organisationIds[i % organisationIds.length]
    let type: string
    let data: Record<string, unknown>
    if (kind === 'deal') {
      const fields = fieldsFor(org, i, owner)
      if (v === 1) {
        type = 'DealCreated'
        dealStage[i] = 'PROSPECT'
        dealAmount[i] = fields.amount_cents
        data = { id, workspace_id: ctx.workspaceId, at: when, stage: 'PROSPECT', probability: 10, ...fields }
      } else if (v % 4 === 0) {
        type = 'DealUpdated'
        dealAmount[i] += 10_000
        data = { id, at: when, changes: { amount_cents: dealAmount[i] } }
      } else {
        const from = dealStage[i]
        const step = random()
        const [to, probability] =
          from === 'SIGNE' || from === 'PERDU'
            ? OPEN[1]
            : step < 0.15
              ? ['SIGNE', 100]
              : step < 0.25
                ? ['PERDU', 0]
                : OPEN[Math.min(3, OPEN.findIndex(([c]) => c === from) + 1)][0] === from
                  ? OPEN[2]
                  : OPEN[Math.min(3, OPEN.findIndex(([c]) => c === from) + 1)]
        dealStage[i] = to
        type = 'DealStageChanged'
        data = {
          id,
          at: when,
          from,
          to,
          probability,
          amount_cents: dealAmount[i],
          lost_reason: to === 'PERDU' ? 'Prix' : null,
          closed: to === 'SIGNE' || to === 'PERDU',
        }
      }
    } else if (kind === 'activity') {
      if (v === 1) {
        type = 'ActivityLogged'
        const activityKind = pick(['call', 'meeting', 'note', 'email'] as const)
        data = {
          id,
          workspace_id: ctx.workspaceId,
          at: when,
          author_id: owner,
          kind: activityKind,
          subject: `${activityKind === 'call' ? 'Appel' : 'Échange'} n° ${i}`,
          body: 'Point sur le besoin, relance prévue la semaine prochaine. Le client attend une proposition chiffrée avant la fin du mois.',
          occurred_at: when,
          duration_minutes: activityKind === 'call' ? 15 : activityKind === 'meeting' ? 60 : null,
          organisation_id: org,
          contact_id: null,
          deal_id: ids.deal.length ? pick(ids.deal) : null,
        }
      } else {
        type = 'ActivityUpdated'
        data = { id, at: when, changes: { subject: `Échange n° ${i} (complété)` } }
      }
    } else if (kind === 'task') {
      if (v === 1) {
        type = 'TaskCreated'
        taskStatus[i] = 'a_faire'
        data = {
          id,
          workspace_id: ctx.workspaceId,
          at: when,
          created_by: owner,
          series_id: id,
          occurrence_index: 0,
          title: `Relancer le client ${i}`,
          description: 'Rappeler pour fixer un rendez-vous.',
          due_at: at(k + 20_000),
          all_day: false,
          assignee_id: owner,
          priority: 'normale',
          organisation_id: org,
          contact_id: null,
          deal_id: ids.deal.length ? pick(ids.deal) : null,
          rrule: null,
        }
      } else if (taskStatus[i] === 'a_faire') {
        type = 'TaskStatusChanged'
        taskStatus[i] = 'en_cours'
        data = { id, at: when, from: 'a_faire', to: 'en_cours' }
      } else if (taskStatus[i] === 'en_cours') {
        type = 'TaskCompleted'
        taskStatus[i] = 'terminee'
        data = { id, at: when, completed_by: owner }
      } else {
        type = 'TaskReopened'
        taskStatus[i] = 'a_faire'
        data = { id, at: when, from: 'terminee', to: 'a_faire' }
      }
    } else {
      const lines = Array.from({ length: 3 + (i % 6) }, (_, l) => ({
        product_id: null,
        code: `REF-${l}`,
        description: `Prestation ${l} : installation et paramétrage`,
        unit: 'jour',
        quantity: String(1 + (l % 3)),
        unit_price_cents: 65_000 + l * 5_000,
        discount: null,
        vat_rate: '20',
        vat_exemption: null,
      }))
      const totals = { total_ht_cents: 300_000 + i, total_vat_cents: 60_000, total_ttc_cents: 360_000 + i }
      if (v === 1) {
        type = 'QuoteCreated'
        quoteStatus[i] = 'brouillon'
        data = {
          id,
          workspace_id: ctx.workspaceId,
          at: when,
          number: `DEV-2025-${String(i + 1).padStart(4, '0')}`,
          year: 2025,
          sequence: i + 1,
          created_by: owner,
          lines,
          global_discount: null,
          organisation_id: org,
          contact_id: null,
          deal_id: ids.deal.length ? pick(ids.deal) : null,
          title: `Proposition ${i}`,
          validity_days: 30,
          payment_terms: '30 jours fin de mois',
          notes: null,
          ...totals,
        }
      } else if (quoteStatus[i] === 'brouillon' && v === 2) {
        type = 'QuoteLinesChanged'
        data = { id, at: when, revision: 1, lines, global_discount: null, ...totals }
      } else if (quoteStatus[i] === 'brouillon') {
        type = 'QuoteSent'
        quoteStatus[i] = 'envoye'
        // The document as sent: seller, buyer, lines and totals, frozen (several KB).
        const snapshot = {
          number: `DEV-2025-${String(i + 1).padStart(4, '0')}`,
          revision: 1,
          issued_on: when.slice(0, 10),
          valid_until: at(k + 650_000).slice(0, 10),
          seller: {
            name: 'Alforis Démo SAS',
            siren: '123456789',
            vat_number: 'FR12123456789',
            address: '12 rue des Tanneurs',
            postal_code: '44000',
            city: 'Nantes',
            iban: 'FR7630006000011234567890189',
            legal_mentions: 'SAS au capital de 10 000 €. RCS Nantes 123 456 789.',
          },
          buyer: { name: `Client ${i % 997}`, address: '3 place du Commerce', postal_code: '35000', city: 'Rennes', vat_number: null },
          lines: lines.map((l) => ({ ...l, total_ht_cents: l.unit_price_cents * Number(l.quantity) })),
          ...totals,
        }
        data = { id, at: when, revision: 1, valid_until: at(k + 650_000).slice(0, 10), sha256: 'a'.repeat(64), snapshot, ...totals }
      } else if (quoteStatus[i] === 'envoye') {
        quoteStatus[i] = random() < 0.6 ? 'accepte' : 'refuse'
        type = quoteStatus[i] === 'accepte' ? 'QuoteAccepted' : 'QuoteRefused'
        data =
          quoteStatus[i] === 'accepte'
            ? { id, at: when, revision: 1, sha256: 'a'.repeat(64), total_ht_cents: totals.total_ht_cents, deal_id: null, signed_by: 'M. Client' }
            : { id, at: when, revision: 1, reason: 'Budget reporté' }
      } else {
        type = 'QuoteUpdated'
        data = { id, at: when, revision: 1, changes: { notes: 'Relance envoyée' } }
      }
    }
    counts[type] = (counts[type] ?? 0) + 1
    rows.push({ workspace_id: ctx.workspaceId, stream_type: kind, stream_id: id, stream_version: v, type, data, meta, occurred_at: when })
    if (rows.length === CHUNK) await flush()
  }
  await flush()
  return { streams: created, counts }
}

/**
 * CPU time of the main (JavaScript) thread alone, in ms, from Linux's per-thread
 * counters (10 ms ticks); null elsewhere. process.cpuUsage() also counts chDB's and
 * the garbage collector's helper threads, which swell with a busy machine: the main
 * thread is where the projector spends its time (docs/performance.md).
 */
function mainThreadCpuMs(): number | null {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return null
  }
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
  // Rows written per table: what each event costs in ClickHouse rows (and JSON encoding).
  const chRows = new Map<string, number>()
  insertObserver.onInsert = (table, rows) => chRows.set(table, (chRows.get(table) ?? 0) + rows)
  const ch = new Proxy(rawCh, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver)
      if (typeof v !== 'function' || !['insert', 'query', 'command', 'exec'].includes(String(prop))) return v
      return async (params: { table?: string; query?: string }) => {
        const t0 = performance.now()
        try {
          return await v.call(target, params)
        } finally {
          // The projections insert through `exec` (projections/clickhouse.ts chInsert).
          const table = prop === 'exec' && params.query ? insertTable(params.query) : null
          const key = table ? `insert ${table}` : `${String(prop)}${params.table ? ` ${params.table}` : ''}`
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
    const organisationIds = Array.from({ length: ORGS }, () => randomUUID())
    for (const [i, id] of organisationIds.entries()) {
      await createOrganisationCommand(db, w.ctx(), {
        id,
        fields: {
          name: `Client Banc ${i}`,
          siren: null,
          siret: null,
          vat_number: null,
          address: null,
          postal_code: null,
          city: 'Nantes',
          sector: 'Industrie',
          size: null,
          status: 'client',
          owner_id: null,
        },
      })
    }
    const organisationId = organisationIds[0]

    let t = performance.now()
    const mix = await bulkLoad(db, w.ctx(), organisationIds, [w.users.commercial, w.users.manager, w.users.admin])
    await sql`analyze events`
    log(
      `${N} événements insérés en ${Math.round(performance.now() - t)} ms : flux ${JSON.stringify(mix.streams)}; ${Object.entries(mix.counts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    )
    // Everything the projector will read: the mix, the organisations, the workspace's users and team.
    const catchupEvents = Number((await sql<{ n: string }[]>`select count(*)::text as n from events`)[0].n)
    const load0 = os.loadavg()
    log(`charge moyenne avant le rattrapage : ${load0.map((x) => x.toFixed(2)).join(' ')}`)

    // 1) Catch-up from an empty read model.
    const projectedAt = new Map<string, number>()
    let batches = 0
    let batchMs = 0
    let track = false
    const lagBatches: number[] = []
    projector = await startProjector({
      db,
      sql,
      ch,
      log: (m) => log(m),
      batchSize: BATCH,
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
    chRows.clear()
    const cpu0 = process.cpuUsage()
    const main0 = mainThreadCpuMs()
    t = performance.now()
    // The window in the clock of `node --cpu-prof` (µs): bench/cpuprofile-summary.mjs --from --to.
    const window0 = process.hrtime.bigint() / 1000n
    await projector.waitForCatchUp(15 * 60_000)
    const catchupMs = performance.now() - t
    log(`fenêtre du rattrapage pour le profil : --from ${window0} --to ${process.hrtime.bigint() / 1000n}`)
    const cpu = process.cpuUsage(cpu0)
    const main1 = mainThreadCpuMs()
    const mainCpuMs = main0 === null || main1 === null ? null : main1 - main0
    const catchupRate = Math.round(catchupEvents / (catchupMs / 1000))
    const loadCatchup = os.loadavg()
    log(
      `rattrapage : ${catchupEvents} événements en ${Math.round(catchupMs)} ms → ${catchupRate} év./s (${batches} lots, ${Math.round(batchMs / batches)} ms par lot en moyenne)`,
    )
    log(
      `  dont attente ClickHouse : ${[...chMs].map(([k, ms]) => `${k} ${Math.round(ms)} ms`).join(', ')}; CPU du processus (Node + chDB) ${Math.round((cpu.user + cpu.system) / 1000)} ms`,
    )

    const rowsWritten = [...chRows.values()].reduce((a, b) => a + b, 0)
    log(
      `  lignes écrites : ${rowsWritten} (${(rowsWritten / catchupEvents).toFixed(2)} par événement) : ${[...chRows]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    )

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
          const to =
            s.stage === 'NEGOCIATION'
              ? s.step % 3 === 0
                ? 'PERDU'
                : 'SIGNE'
              : s.stage === 'SIGNE' || s.stage === 'PERDU'
                ? 'QUALIFICATION'
                : OPEN[OPEN.findIndex(([c]) => c === s.stage) + 1][0]
          result = await changeDealStageCommand(db, ctx, { id, to, lostReason: to === 'PERDU' ? 'Concurrent moins cher' : null })
          s.stage = to
        }
        const now = performance.now()
        commandMs.push(now - began)
        s.version = result.state!.version
        for (let v = s.version - result.events.length + 1; v <= s.version; v++) committedAt.set(`${id}:${v}`, now)
      }
      inFlight.push(
        run().catch((e) => {
          failures.push((e as Error).message)
        }),
      )
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
    log(
      `lots pendant l'écriture : ${lagBatches.length}, durée p50 ${percentile(batchSorted, 50).toFixed(1)} ms, p95 ${percentile(batchSorted, 95).toFixed(1)} ms, max ${batchSorted[batchSorted.length - 1].toFixed(1)} ms`,
    )
    const commandSorted = commandMs.sort((a, b) => a - b)
    log(`  appel ClickHouse le plus long : ${[...chMaxMs].map(([k, ms]) => `${k} ${Math.round(ms)} ms`).join(', ')}`)
    log(
      `écriture : ${total} commandes en ${Math.round(writeMs)} ms (${(total / (writeMs / 1000)).toFixed(1)}/s), ${failures.length} en échec${failures.length ? ` (${failures[0]})` : ''}; durée d'une commande p50 ${percentile(commandSorted, 50).toFixed(1)} ms, p95 ${percentile(commandSorted, 95).toFixed(1)} ms`,
    )
    log(
      `retard commit → checkpoint : p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms sur ${sorted.length} événements${missing ? `, ${missing} jamais vus` : ''}`,
    )

    const parts = await chQuery<{ table: string; n: number }>(
      ch,
      'SELECT table, toInt64(count()) AS n FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table',
    )
    log(`parts actives : ${parts.map((p) => `${p.table} ${p.n}`).join(', ')}`)
    const totals = await dealTotals(ch, w.workspaceId)
    const pgDeals = await db
      .selectFrom('deals')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('workspace_id', '=', w.workspaceId)
      .executeTakeFirstOrThrow()
    log(`ClickHouse : ${totals.deals} affaires (${mix.streams.deal} chargées + ${Number(pgDeals.n)} par commandes)`)
    if (totals.deals !== mix.streams.deal + Number(pgDeals.n)) throw new Error('ClickHouse ne compte pas toutes les affaires')
    const loadEnd = os.loadavg()

    console.log(
      JSON.stringify({
        events: catchupEvents,
        streams: mix.streams,
        batch_size: BATCH,
        projections: projectionNames.length,
        catchup_ms: Math.round(catchupMs),
        catchup_events_per_s: catchupRate,
        catchup_cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
        catchup_main_thread_cpu_ms: mainCpuMs,
        catchup_main_thread_us_per_event: mainCpuMs === null ? null : Math.round((mainCpuMs * 1000) / catchupEvents),
        catchup_rows_per_event: Math.round((rowsWritten / catchupEvents) * 100) / 100,
        lag_rate_per_s: RATE,
        lag_commands: total,
        lag_events: sorted.length,
        lag_missing: missing,
        lag_failures: failures.length,
        lag_p50_ms: Math.round(p50 * 10) / 10,
        lag_p95_ms: Math.round(p95 * 10) / 10,
        lag_max_ms: Math.round(max * 10) / 10,
        loadavg: {
          before_catchup: load0.map((x) => Math.round(x * 100) / 100),
          after_catchup: loadCatchup.map((x) => Math.round(x * 100) / 100),
          end: loadEnd.map((x) => Math.round(x * 100) / 100),
        },
        cpus: os.cpus().length,
        node: process.version,
      }),
    )
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
