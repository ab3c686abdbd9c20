import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { terminateContractCommand, amendContractCommand } from '../domain/contracts/contract.commands.js'
import { evolveContract, type ContractEvent, type ContractState } from '../domain/contracts/contract.js'
import { runRenewalPass } from '../domain/contracts/contract-renewals.js'
import { mrrOn, mrrTimeline } from '../domain/contracts/mrr.js'
import { parisDateTime } from '../domain/shared/paris-time.js'
import { givenContract } from '../testing/contract-records.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import type { JobDeps } from './job.js'
import { CONTRACT_RENEWALS, contractRenewalsJob } from './contract-renewals.job.js'

// The nightly renewal pass against the real database: each alert once per term, the
// client proposal only for a running contract, tacit renewal exactly once however often
// the pass runs, billing items written once, and the events replaying to the row.

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

const morning = (day: string) => parisDateTime(day, '06:00')!
const pass = (ws: string, day: string) => runRenewalPass(rt.db, null, morning(day), { workspaceId: ws })

async function sentFor(contractId: string) {
  const [claims, emails, notes] = await Promise.all([
    rt.db.selectFrom('contract_alerts_sent').select(['kind', 'period_index']).where('contract_id', '=', contractId).orderBy('sent_at').execute(),
    rt.db.selectFrom('outbound_emails').select(['to', 'subject']).where('idempotency_key', 'like', `contract_%:${contractId}:%`).execute(),
    rt.db.selectFrom('notifications').select(['title']).where('link', '=', `/contracts/${contractId}`).execute(),
  ])
  return { claims: claims.map((c) => c.kind), emails, notes }
}

const contract = (id: string) => rt.db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('renewal alerts', () => {
  it('sends J-90, J-60 and J-30 each once to the owner, and the J-30 proposal to the client contact', async () => {
    const w = await givenWorkspace(rt.db)
    const c = await givenContract(rt.db, w.ctx(), { owner_id: w.users.commercial, end_date: '2026-12-31' })
    expect((await pass(w.workspaceId, '2026-09-20')).alerts).toEqual([])
    const j90 = await pass(w.workspaceId, '2026-10-02')
    expect(j90.alerts).toMatchObject([{ contractId: c.id, kind: 'j90', ownerEmail: true, clientEmail: false }])
    expect((await contract(c.id)).status).toBe('a_renouveler')
    // Twice the same day, and on the days after: nothing more until the next window.
    expect((await pass(w.workspaceId, '2026-10-02')).alerts).toEqual([])
    expect((await pass(w.workspaceId, '2026-10-10')).alerts).toEqual([])
    expect((await pass(w.workspaceId, '2026-11-01')).alerts).toMatchObject([{ kind: 'j60' }])
    const [j30, again] = await Promise.all([pass(w.workspaceId, '2026-12-01'), pass(w.workspaceId, '2026-12-01')])
    expect([...j30.alerts, ...again.alerts]).toMatchObject([{ kind: 'j30', ownerEmail: true, clientEmail: true }])
    const sent = await sentFor(c.id)
    expect(sent.claims).toEqual(['j90', 'j60', 'j30'])
    expect(sent.notes.map((n) => n.title)).toEqual([
      'Échéance dans 90 jours : Maintenance du parc',
      'Préparer le renouvellement : Maintenance du parc',
      'Échéance dans 30 jours : Maintenance du parc',
    ])
    expect(sent.emails.filter((e) => e.to === c.email)).toEqual([{ to: c.email, subject: 'Renouvellement de votre contrat « Maintenance du parc »' }])
    expect(sent.emails).toHaveLength(4)
  })

  it('counts the windows from the last day to terminate when the contract renews tacitly', async () => {
    const w = await givenWorkspace(rt.db)
    const c = await givenContract(rt.db, w.ctx(), { owner_id: w.users.manager, end_date: '2026-12-31', tacit_renewal: true, notice_months: 3 })
    // Deadline 30 September: J-90 falls on 2 July.
    expect((await pass(w.workspaceId, '2026-07-02')).alerts).toMatchObject([{ contractId: c.id, kind: 'j90' }])
  })

  it('sends no J-30 proposal for a contract terminated before', async () => {
    const w = await givenWorkspace(rt.db)
    const c = await givenContract(rt.db, w.ctx(), { owner_id: w.users.commercial, end_date: '2026-12-31' })
    await pass(w.workspaceId, '2026-10-02')
    await terminateContractCommand(rt.db, w.ctx(), { id: c.id, reason: 'concurrence', effectiveDate: '2026-12-31', comment: null })
    expect((await pass(w.workspaceId, '2026-12-01')).alerts).toEqual([])
    const sent = await sentFor(c.id)
    expect(sent.claims).toEqual(['j90'])
    expect(sent.emails.some((e) => e.to === c.email)).toBe(false)
  })
})

describe('end of term', () => {
  it('renews a tacit contract exactly once, even when the job runs twice, and writes each billing item once', async () => {
    const w = await givenWorkspace(rt.db)
    const c = await givenContract(rt.db, w.ctx(), { end_date: '2026-12-31', tacit_renewal: true, indexation_bp: 250, unit_amount_cents: 100_00 })
    const deps = { db: rt.db, ch: rt.ch, log: () => {}, send: async () => null } as unknown as JobDeps
    const data = { workspaceId: w.workspaceId, now: morning('2027-01-01').toISOString() }
    const job = { id: randomUUID(), name: CONTRACT_RENEWALS, data } as never
    const [a, b] = await Promise.all([contractRenewalsJob.handle(data, deps, job), contractRenewalsJob.handle(data, deps, job)])
    await contractRenewalsJob.handle(data, deps, job)
    expect([a, b].map((r) => (r as { closed: number }).closed).sort()).toEqual([0, 1])
    const events = await rt.db.selectFrom('events').select(['type', 'data']).where('stream_id', '=', c.id).orderBy('stream_version').execute()
    expect(events.filter((e) => e.type === 'ContractRenewed')).toHaveLength(1)
    expect(await contract(c.id)).toMatchObject({ status: 'actif', period_index: 1, end_date: '2027-12-31', unit_amount_cents: 102_50 })
    const items = await rt.db
      .selectFrom('billing_items')
      .select(['period_start', 'amount_cents'])
      .where('contract_id', '=', c.id)
      .orderBy('period_start')
      .execute()
    expect(items.map((i) => i.period_start)).toEqual([...Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`), '2027-01-01'])
    expect(items.at(-1)!.amount_cents).toBe(102_50)
    const steps = await rt.db.selectFrom('contract_renewal_steps').select(['step', 'status', 'detail']).where('contract_id', '=', c.id).execute()
    expect(steps).toEqual([{ step: 'fin_periode', status: 'fait', detail: 'renouvele' }])
  })

  it('lets a contract without tacit renewal expire', async () => {
    const w = await givenWorkspace(rt.db)
    const c = await givenContract(rt.db, w.ctx(), { end_date: '2026-12-31' })
    expect((await pass(w.workspaceId, '2027-01-01')).closed).toEqual([{ contractId: c.id, outcome: 'expire' }])
    expect((await contract(c.id)).status).toBe('expire')
    expect((await pass(w.workspaceId, '2027-01-02')).closed).toEqual([])
  })

  it('replays its stored events to the row and to the MRR the pages show (Postgres replay)', async () => {
    const w = await givenWorkspace(rt.db)
    const c = await givenContract(rt.db, w.ctx(), { end_date: '2026-12-31', tacit_renewal: true, unit_amount_cents: 1_200_00, amount_period: 'annuel' })
    await amendContractCommand(rt.db, w.ctx(), { id: c.id, effectiveDate: '2026-07-01', changes: { quantity: 2 }, reason: null })
    await pass(w.workspaceId, '2027-01-01')
    const stored = await rt.db.selectFrom('events').select(['type', 'data']).where('stream_id', '=', c.id).orderBy('stream_version').execute()
    const events = stored as unknown as ContractEvent[]
    let state: ContractState | null = null
    for (const e of events) state = evolveContract(state, e)
    const row = await contract(c.id)
    const { created_at, updated_at, version, ...rest } = row
    expect(state).toMatchObject(rest)
    expect(version).toBe(events.length)
    const t = mrrTimeline(events)!
    expect([mrrOn(t, '2026-06-30'), mrrOn(t, '2026-07-31'), mrrOn(t, '2027-01-31')]).toEqual([100_00, 200_00, 200_00])
  })
})
