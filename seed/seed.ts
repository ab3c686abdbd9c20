import { loadStages } from '../domain/crm/crm.repository.js'
import { seedDemoCompany } from './demo-company.js'
import type { OrganisationEvent, OrganisationState } from '../domain/crm/organisation.js'
import { createTeam, createUser, createWorkspace } from '../domain/identity/identity.commands.js'
import { hashPassword } from '../domain/identity/password.js'
import type { Db } from '../db/kysely.js'
import { eventRows, insertEvents, insertMany, updateMany } from './bulk-insert.js'
import { generateActivities, type GeneratedActivity } from './demo-activities.js'
import { generateContacts } from './demo-contacts.js'
import { generateDeal, organisationPicker, type DealWorld, type GeneratedDeal, type Seller } from './demo-deals.js'
import { generateGoals } from './demo-goals.js'
import { planInvoices, type WonDeal } from './demo-invoices.js'
import { replayInvoiceOps } from './seed-invoices.js'
import { organisationHistory, planOrganisations, type DemoPeople } from './demo-organisations.js'
import { DEMO_PASSWORD } from './demo-logins.js'
import { DEMO_TEAMS, DEMO_USERS, DEMO_WORKSPACE } from './demo-team.js'
import type { TeamKey } from './french-places.js'
import { streamRng } from './prng.js'
import type { SeedStream } from './seed-stream.js'
import { DAY, startOfUtcDay } from './seed-time.js'
import { crashPoint } from './crash-point.js'
import { demoContractCount, seedContract, type ContractWorld } from './demo-contracts.js'
import { completeSeedRun, readSeedRun, recordStep, startSeedRun, withSeedLock } from './seed-progress.js'

export type SeedOptions = {
  log?: (m: string) => void
  seed?: number
  deals?: number
  organisations?: number
  /** The demo's "today": history runs up to it. Defaults to today (UTC midnight). */
  asOf?: Date
  /** Calls, meetings, e-mails and notes per deal, on average (0: none). */
  activitiesPerDeal?: number
  /** At most this many deals won in the last 36 months are invoiced (0: no invoicing history). */
  invoicedDeals?: number
}

export const SEED_DEFAULTS = { seed: 42, deals: 6_000, organisations: 1_500, activitiesPerDeal: 5, invoicedDeals: 600 } as const

// Activity rows per insert statement (their events too): keeps each JSON parameter to
// a few megabytes at ten activities per deal.
const ACTIVITY_BATCH = 20_000

// Deals per transaction statement batch: big enough to amortise round trips, small
// enough to keep memory flat at a million deals.
const DEAL_BATCH = 5_000
const ORGANISATION_BATCH = 5_000
// Invoicing operations per transaction (each a few commands): a resumed run redoes at most one chunk.
const INVOICE_OP_BATCH = 500

/**
 * True once the demo seed has run to its end. A demo workspace whose run is not
 * complete is an interrupted seed (Ctrl+C, kill -9 during the first start), which
 * seedDemo completes.
 */
export async function isSeeded(db: Db): Promise<boolean> {
  return !!(await readSeedRun(db))?.completedAt
}

/** The demo workspace's ids, drawn from the seed so two runs agree. */
export function demoIdentity(seed: number) {
  const rng = streamRng(seed, 'identity')
  const workspaceId = rng.uuid()
  const teamIds = Object.fromEntries(DEMO_TEAMS.map((t) => [t.key, rng.uuid()])) as Record<TeamKey, string>
  const userIds = Object.fromEntries(DEMO_USERS.map((u) => [u.key, rng.uuid()])) as Record<string, string>
  return { workspaceId, teamIds, userIds }
}

/** Workspace, teams and users through the identity commands; skips what an interrupted run already made. */
async function createDemoTeam(db: Db, o: ReturnType<typeof demoIdentity> & { founded: number }) {
  const { workspaceId, teamIds, userIds, founded } = o
  const has = async (table: 'workspaces' | 'teams' | 'users', id: string) => !!(await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst())
  if (!(await has('workspaces', workspaceId))) {
    await createWorkspace(db, { id: workspaceId, name: DEMO_WORKSPACE.name, slug: DEMO_WORKSPACE.slug, now: new Date(founded) })
  }
  crashPoint('identity')
  for (const t of DEMO_TEAMS) {
    if (await has('teams', teamIds[t.key])) continue
    const manager = DEMO_USERS.find((u) => u.role === 'manager' && u.team === t.key)
    await createTeam(db, { workspaceId, id: teamIds[t.key], name: t.name, managerId: manager ? userIds[manager.key] : null, now: new Date(founded) })
  }
  // scrypt costs ~50 ms: hashed once, shared by every demo account.
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  for (const [i, u] of DEMO_USERS.entries()) {
    if (await has('users', userIds[u.key])) continue
    await createUser(db, {
      workspaceId,
      id: userIds[u.key],
      email: u.email,
      fullName: u.fullName,
      password: DEMO_PASSWORD,
      passwordHash,
      role: u.role,
      teamId: u.team ? teamIds[u.team] : null,
      now: new Date(founded + (i + 1) * 60_000),
    })
  }
}

/** The options a run was started with, as stored in its progress record. */
type RunOptions = { seed: number; deals: number; organisations: number; activitiesPerDeal: number; asOf: string; invoicedDeals?: number }

function runOptions(opts: SeedOptions): RunOptions {
  return {
    seed: opts.seed ?? SEED_DEFAULTS.seed,
    deals: opts.deals ?? SEED_DEFAULTS.deals,
    organisations: Math.max(1, opts.organisations ?? SEED_DEFAULTS.organisations),
    activitiesPerDeal: opts.activitiesPerDeal ?? SEED_DEFAULTS.activitiesPerDeal,
    invoicedDeals: opts.invoicedDeals ?? SEED_DEFAULTS.invoicedDeals,
    asOf: startOfUtcDay(opts.asOf ?? new Date()).toISOString(),
  }
}

/**
 * Loads the "Alforis Démo" workspace: its team through the identity commands, then
 * organisations, contacts, deals with their activities, the companies' status changes
 * and the goals, whose rows and events come from the domain's own decide and evolve
 * functions, written in bulk. The same seed and `asOf` give the same data, ids included.
 *
 * Resumable: each step commits its rows together with its progress row (seed_steps),
 * the deals one transaction per batch, and the run keeps the options it started with.
 * A run interrupted at any point (even kill -9) is completed by the next call, with its
 * own options, to the same data as an uninterrupted run. `ifNeeded` returns quietly when
 * the demo is already loaded (the app's start); otherwise that is an error (db:seed).
 *
 * @example await seedDemo(db, { seed: 42, deals: 6000, organisations: 1500, log: console.log })
 */
export async function seedDemo(db: Db, opts: SeedOptions & { ifNeeded?: boolean } = {}): Promise<{ workspaceId: string }> {
  return withSeedLock(db, (conn) => seedLocked(conn, opts))
}

async function seedLocked(db: Db, opts: SeedOptions & { ifNeeded?: boolean }): Promise<{ workspaceId: string }> {
  const log = opts.log ?? (() => {})
  const started = Date.now()
  const run = await readSeedRun(db)
  if (run?.completedAt) {
    const ws = await db.selectFrom('workspaces').select('id').where('slug', '=', DEMO_WORKSPACE.slug).executeTakeFirst()
    if (opts.ifNeeded && ws) return { workspaceId: ws.id }
    throw new Error(`Un espace « ${DEMO_WORKSPACE.slug} » existe déjà : repartez d'une base vide (db:seed --reset).`)
  }
  let o: RunOptions
  if (run) {
    o = run.options as RunOptions
    log(`démo : reprise du chargement interrompu (graine ${o.seed}, ${o.organisations} organisations, ${o.deals} affaires)`)
  } else {
    o = runOptions(opts)
    const existing = await db.selectFrom('workspaces').select('id').where('slug', '=', DEMO_WORKSPACE.slug).executeTakeFirst()
    const hasData = existing && !!(await db.selectFrom('organisations').select('id').where('workspace_id', '=', existing.id).limit(1).executeTakeFirst())
    if (existing && (existing.id !== demoIdentity(o.seed).workspaceId || hasData)) {
      throw new Error(
        `Un espace « ${DEMO_WORKSPACE.slug} » existe déjà${existing.id !== demoIdentity(o.seed).workspaceId ? ' (autre graine)' : ''} : repartez d'une base vide (db:seed --reset).`,
      )
    }
    await startSeedRun(db, o)
  }
  const done = run?.steps ?? new Set<string>()
  /** Runs a step's writes and records it, in one transaction; skips a recorded step. */
  const step = async (name: string, write: (trx: Db) => Promise<void>) => {
    if (done.has(name)) return false
    await db.transaction().execute(async (trx) => {
      await write(trx)
      await recordStep(trx, name)
    })
    done.add(name)
    return true
  }

  const { seed, deals: dealCount, organisations: orgCount, activitiesPerDeal } = o
  const asOf = new Date(o.asOf).getTime()
  const { workspaceId, teamIds, userIds } = demoIdentity(seed)
  // The workspace predates the CRM history by a few months (set-up, import).
  const founded = asOf - 1200 * DAY

  // Identity: the commands commit one by one and skip what exists, so the step is redone whole.
  if (!done.has('identity')) {
    await createDemoTeam(db, { workspaceId, teamIds, userIds, founded })
    await seedDemoCompany(db, workspaceId, userIds.admin, new Date(founded))
    await recordStep(db, 'identity')
    done.add('identity')
  }
  log(`démo : espace « ${DEMO_WORKSPACE.name} », ${DEMO_TEAMS.length} équipes, ${DEMO_USERS.length} utilisateurs`)

  const sellers = new Map<string, Seller>()
  const sellersByTeam = { idf: [], ouest: [], 'sud-est': [] } as Record<TeamKey, Seller[]>
  for (const u of DEMO_USERS) {
    if (!u.team || u.accountWeight === 0) continue
    const s: Seller = { id: userIds[u.key], winRate: u.winRate, weight: u.accountWeight }
    sellers.set(s.id, s)
    sellersByTeam[u.team].push(s)
  }
  const people: DemoPeople = { adminId: userIds.admin, ownersByTeam: sellersByTeam }
  const stages = await loadStages(db, workspaceId)
  const organisations = planOrganisations({ seed, count: orgCount, asOf, people })
  const world: DealWorld = { seed, workspaceId, asOf, stages, organisations, sellers, sellersByTeam }
  const pick = organisationPicker(organisations)

  // Created first (deals reference them); status changes follow once deals are known.
  await step('organisations', async (trx) => {
    const created = organisations.map((plan) => organisationHistory(plan, { workspaceId, adminId: people.adminId, asOf, wins: [], creationOnly: true }))
    for (let i = 0; i < created.length; i += ORGANISATION_BATCH) {
      const batch = created.slice(i, i + ORGANISATION_BATCH)
      await insertMany(
        trx,
        'organisations',
        batch.map((s) => s.state!),
      )
      await insertEvents(trx, eventRows(workspaceId, batch))
      crashPoint('organisations')
    }
  })
  log(`démo : ${organisations.length} organisations`)

  // One to three contacts per company; only their ids stay in memory (activities link them).
  const contactIds: string[][] = []
  let contactCount = 0
  const contactsOf = (from: number) =>
    organisations.slice(from, from + ORGANISATION_BATCH).flatMap((plan, k) => {
      const cs = generateContacts(seed, workspaceId, plan, from + k, asOf)
      contactIds.push(cs.map((c) => c.streamId))
      contactCount += cs.length
      return cs
    })
  const wroteContacts = await step('contacts', async (trx) => {
    for (let i = 0; i < organisations.length; i += ORGANISATION_BATCH) {
      const batch = contactsOf(i)
      await insertMany(
        trx,
        'contacts',
        batch.map((c) => c.state!),
      )
      await insertEvents(trx, eventRows(workspaceId, batch))
      crashPoint('contacts')
    }
  })
  // Written by an earlier run: drawn again from the seed for their ids.
  if (!wroteContacts) for (let i = 0; i < organisations.length; i += ORGANISATION_BATCH) contactsOf(i)
  log(`démo : ${contactCount} contacts`)

  const wins: number[][] = organisations.map(() => [])
  // Revenue won per seller over the last year: the goals are set from it.
  const wonLastYear = new Map<string, number>()
  // Deals signed: the invoicing step bills them.
  const wonDeals: WonDeal[] = []
  let activityCount = 0
  const logEvery = Math.max(DEAL_BATCH, Math.ceil(dealCount / 10 / DEAL_BATCH) * DEAL_BATCH)
  // One transaction per batch of deals and their activities: a million deals resume where
  // they stopped. Deals of finished batches are drawn again (the wins feed the statuses
  // and goals) but not written. Postgres writes batch n while Node generates batch n+1.
  let writing: Promise<unknown> = Promise.resolve()
  for (let from = 0; from < dealCount; from += DEAL_BATCH) {
    const name = `deals:${from}`
    const pending = !done.has(name)
    const batch: GeneratedDeal[] = []
    const activities: GeneratedActivity[] = []
    for (let i = from; i < Math.min(dealCount, from + DEAL_BATCH); i++) {
      const d = generateDeal(world, i, pick)
      if (d.wonAt !== null) {
        wins[d.organisationIndex].push(d.wonAt)
        wonDeals.push({
          id: d.streamId,
          index: i,
          organisationIndex: d.organisationIndex,
          organisationId: organisations[d.organisationIndex].id,
          contactId: contactIds[d.organisationIndex]?.[0] ?? null,
          title: d.state!.title,
          amountCents: d.state!.amount_cents,
          wonAt: d.wonAt,
        })
        if (d.wonAt >= asOf - 365 * DAY) wonLastYear.set(d.state!.owner_id!, (wonLastYear.get(d.state!.owner_id!) ?? 0) + d.state!.amount_cents)
      }
      if (!pending) continue
      batch.push(d)
      for (const a of generateActivities(seed, workspaceId, d, i, contactIds[d.organisationIndex], asOf, activitiesPerDeal)) activities.push(a)
    }
    await writing
    const upTo = Math.min(dealCount, from + DEAL_BATCH)
    activityCount += activities.length
    writing = (async () => {
      await step(name, async (trx) => {
        await insertMany(
          trx,
          'deals',
          batch.map((d) => d.state!),
        )
        await insertEvents(trx, eventRows(workspaceId, batch))
        crashPoint('deals')
        for (let k = 0; k < activities.length; k += ACTIVITY_BATCH) {
          const chunk = activities.slice(k, k + ACTIVITY_BATCH)
          await insertMany(
            trx,
            'activities',
            chunk.map((a) => a.state!),
          )
          await insertEvents(trx, eventRows(workspaceId, chunk))
          crashPoint('activities')
        }
      })
      if (upTo % logEvery === 0 || upTo === dealCount) log(`démo : ${upTo} / ${dealCount} affaires, ${activityCount} activités écrites`)
    })()
  }
  await writing

  // Companies that signed become clients (and former clients after a long silence).
  await step('statuses', async (trx) => {
    const changed: SeedStream<OrganisationState, OrganisationEvent>[] = []
    organisations.forEach((plan, i) => {
      const full = organisationHistory(plan, { workspaceId, adminId: people.adminId, asOf, wins: wins[i] })
      if (full.events.length > 1) changed.push({ ...full, events: full.events.slice(1) })
    })
    for (let i = 0; i < changed.length; i += ORGANISATION_BATCH) {
      const batch = changed.slice(i, i + ORGANISATION_BATCH)
      await updateMany(
        trx,
        'organisations',
        batch.map((s) => s.state!),
      )
      await insertEvents(
        trx,
        eventRows(workspaceId, batch, () => 1),
      )
      crashPoint('statuses')
    }
  })

  // Monthly revenue goals for every seller and team: the past year, this month, the next
  // three.
  const goals = generateGoals({
    seed,
    workspaceId,
    adminId: people.adminId,
    asOf,
    wonLastYear,
    teams: Object.fromEntries(DEMO_TEAMS.map((t) => [teamIds[t.key], sellersByTeam[t.key].map((s) => s.id)])),
  })
  await step('goals', async (trx) => {
    await insertMany(
      trx,
      'goals',
      goals.map((g) => g.state!),
    )
    await insertEvents(trx, eventRows(workspaceId, goals))
    crashPoint('goals')
  })
  log(`démo : ${goals.length} objectifs`)

  // Contracts over the last 36 months, through the contract commands (their events feed
  // the recurring-revenue read model).
  const contractCount = demoContractCount(orgCount)
  await step('contracts', async (trx) => {
    const world: ContractWorld = {
      seed,
      workspaceId,
      asOf,
      organisationIds: organisations.map((p) => p.id),
      ownerIds: [...sellers.keys()],
      actorId: people.adminId,
    }
    for (let i = 0; i < contractCount; i++) await seedContract(trx, world, i)
  })
  log(`démo : ${contractCount} contrats`)

  // 36 months of invoices, deposits, credit notes and payments, through the invoicing
  // commands (the journal follows), in time order, in chunks that each commit with their
  // progress row. The last step: its transaction also marks the run complete.
  const invoiceStarted = Date.now()
  const ops = planInvoices({ seed, asOf, wonDeals, max: o.invoicedDeals ?? SEED_DEFAULTS.invoicedDeals })
  const financeId = userIds['fin-1'] ?? people.adminId
  const made = { invoices: 0, creditNotes: 0, payments: 0 }
  for (let from = 0; from < ops.length || from === 0; from += INVOICE_OP_BATCH) {
    const last = from + INVOICE_OP_BATCH >= ops.length
    await step(`invoices:${from}`, async (trx) => {
      const c = await replayInvoiceOps(trx, { workspaceId, actorId: financeId, ops: ops.slice(from, from + INVOICE_OP_BATCH) })
      made.invoices += c.invoices
      made.creditNotes += c.creditNotes
      made.payments += c.payments
      if (last) await completeSeedRun(trx)
    })
  }
  await completeSeedRun(db)
  log(
    `démo : ${ops.length} opérations de facturation (${made.invoices} factures, ${made.creditNotes} avoirs, ${made.payments} règlements) en ${((Date.now() - invoiceStarted) / 1000).toFixed(1)} s`,
  )
  log(`démo chargée en ${((Date.now() - started) / 1000).toFixed(1)} s (graine ${seed})`)
  return { workspaceId }
}
