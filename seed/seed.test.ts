import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../testing/test-runtime.js'
import { changeDealStageCommand } from '../domain/crm/crm.commands.js'
import { evolveDeal, type DealEvent, type DealState } from '../domain/crm/deal.js'
import { isValidSiren, isValidSiret, isValidVatNumber } from '../domain/crm/french-ids.js'
import { evolveOrganisation, type OrganisationEvent, type OrganisationState } from '../domain/crm/organisation.js'
import { createWorkspace } from '../domain/identity/identity.commands.js'
import { verifyPassword } from '../domain/identity/password.js'
import { createDb, type Db } from '../db/kysely.js'
import { DEMO_LOGINS, DEMO_PASSWORD } from './demo-logins.js'
import { demoIdentity, isSeeded, seedDemo } from './seed.js'

const asOf = new Date('2026-11-27T00:00:00Z')
const opts = { seed: 7, organisations: 50, deals: 200, asOf, invoicedDeals: 0 }

let a: ReturnType<typeof createDb>
let b: ReturnType<typeof createDb>
let workspaceId: string
beforeAll(async () => {
  a = createDb(await createTestDatabase(), { max: 2 })
  b = createDb(await createTestDatabase(), { max: 2 })
  expect(await isSeeded(a.db)).toBe(false)
  workspaceId = (await seedDemo(a.db, opts)).workspaceId
  await seedDemo(b.db, opts)
})
afterAll(async () => {
  await a?.db.destroy()
  await b?.db.destroy()
})

const dealsOf = (db: Db) => db.selectFrom('deals').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute()
const eventsOf = (db: Db) =>
  db
    .selectFrom('events')
    .select(['stream_type', 'stream_id', 'stream_version', 'type', 'data', 'meta', 'occurred_at'])
    .where('workspace_id', '=', workspaceId)
    .where('stream_type', 'in', ['organisation', 'deal'])
    .orderBy('stream_id')
    .orderBy('stream_version')
    .execute()

// postgres.js reads a `date` column back as a Date at UTC midnight; events carry 'YYYY-MM-DD'.
const asRow = (s: DealState) => ({ ...s, expected_close_date: s.expected_close_date })
const normaliseRow = (r: DealState) => ({
  ...r,
  expected_close_date: r.expected_close_date === null ? null : new Date(r.expected_close_date as unknown as Date | string).toISOString().slice(0, 10),
})

// Node 20 has no Object.groupBy.
function groupBy<T>(items: T[], key: (t: T) => string): Record<string, T[]> {
  const out: Record<string, T[]> = {}
  for (const it of items) (out[key(it)] ??= []).push(it)
  return out
}

describe('the demo data', () => {
  it('is the same, ids included, for the same seed on two fresh databases', async () => {
    expect(await isSeeded(a.db)).toBe(true)
    const [dealsA, dealsB] = [await dealsOf(a.db), await dealsOf(b.db)]
    expect(dealsA).toHaveLength(200)
    expect(dealsB).toEqual(dealsA)
    const orgs = (db: Db) => db.selectFrom('organisations').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute()
    expect(await orgs(b.db)).toEqual(await orgs(a.db))
    expect(await eventsOf(b.db)).toEqual(await eventsOf(a.db))
    const users = (db: Db) => db.selectFrom('users').select(['id', 'email', 'role', 'team_id']).where('workspace_id', '=', workspaceId).orderBy('id').execute()
    expect(await users(b.db)).toEqual(await users(a.db))
    const sum = (rows: { amount_cents: number }[]) => rows.reduce((s, r) => s + r.amount_cents, 0)
    expect(sum(dealsB)).toBe(sum(dealsA))
  })

  it('gives every company a valid SIREN, SIRET and VAT number, all different', async () => {
    const orgs = await a.db.selectFrom('organisations').selectAll().where('workspace_id', '=', workspaceId).execute()
    expect(orgs).toHaveLength(50)
    for (const o of orgs) {
      expect(isValidSiren(o.siren!), o.siren!).toBe(true)
      expect(isValidSiret(o.siret!), o.siret!).toBe(true)
      expect(o.siret!.startsWith(o.siren!)).toBe(true)
      expect(isValidVatNumber(o.vat_number!), o.vat_number!).toBe(true)
      expect(o.postal_code).toMatch(/^\d{5}$/)
      expect(o.name).toMatch(/ (SAS|SARL|SA|EURL|SASU|SCOP|SNC)$/)
    }
    expect(new Set(orgs.map((o) => o.siren)).size).toBe(orgs.length)
    expect(new Set(orgs.map((o) => o.name)).size).toBe(orgs.length)
  })

  it('stores each deal and organisation exactly as the fold of its events', async () => {
    const events = await eventsOf(a.db)
    const byStream = new Map<string, typeof events>()
    for (const e of events) byStream.set(e.stream_id, [...(byStream.get(e.stream_id) ?? []), e])
    for (const deal of await dealsOf(a.db)) {
      const stream = byStream.get(deal.id)!
      expect(stream.map((e) => e.stream_version)).toEqual(stream.map((_, i) => i + 1))
      let state: DealState | null = null
      for (const e of stream) state = evolveDeal(state, { type: e.type, data: e.data } as DealEvent)
      expect(normaliseRow(deal)).toEqual(asRow({ ...state!, version: stream.length }))
    }
    const orgs = await a.db.selectFrom('organisations').selectAll().where('workspace_id', '=', workspaceId).execute()
    for (const org of orgs) {
      const stream = byStream.get(org.id)!
      let state: OrganisationState | null = null
      for (const e of stream) state = evolveOrganisation(state, { type: e.type, data: e.data } as OrganisationEvent)
      expect(org).toEqual({ ...state!, version: stream.length })
    }
  })

  it('dates each event in the past, as its actor, from the seed', async () => {
    const events = await eventsOf(a.db)
    for (const e of events) {
      expect(e.occurred_at.getTime()).toBeLessThan(asOf.getTime())
      expect(e.occurred_at.toISOString()).toBe((e.data as { at: string }).at)
      expect(e.meta).toMatchObject({ source: 'seed' })
      expect(typeof (e.meta as { actorId: unknown }).actorId).toBe('string')
    }
    const oldest = Math.min(...events.filter((e) => e.stream_type === 'deal').map((e) => e.occurred_at.getTime()))
    expect(asOf.getTime() - oldest).toBeGreaterThan(600 * 86_400_000)
  })

  it('moves deals through the pipeline to signed, lost with a French reason, or still open', async () => {
    const deals = await dealsOf(a.db)
    const byStage = groupBy(deals, (d) => d.stage)
    expect(byStage.SIGNE?.length).toBeGreaterThan(20)
    expect(byStage.PERDU?.length).toBeGreaterThan(20)
    expect(
      (byStage.PROSPECT?.length ?? 0) + (byStage.QUALIFICATION?.length ?? 0) + (byStage.PROPOSITION?.length ?? 0) + (byStage.NEGOCIATION?.length ?? 0),
    ).toBeGreaterThan(5)
    for (const d of byStage.PERDU!) expect(d.lost_reason).toMatch(/^[A-ZÉ][a-zéèêàç' ]+/)
    for (const d of deals) {
      expect(d.amount_cents % 100).toBe(0)
      expect(d.amount_cents).toBeGreaterThanOrEqual(2_000 * 100 * 0.85)
      expect(d.amount_cents).toBeLessThanOrEqual(250_000 * 100)
    }
    const signedHistory = await a.db
      .selectFrom('events')
      .select('data')
      .where('stream_id', '=', byStage.SIGNE![0].id)
      .where('type', '=', 'DealStageChanged')
      .orderBy('stream_version')
      .execute()
    expect(signedHistory.map((e) => (e.data as { to: string }).to)).toEqual(['QUALIFICATION', 'PROPOSITION', 'NEGOCIATION', 'SIGNE'])
  })

  it('gives reps different win ratios', async () => {
    const deals = await dealsOf(a.db)
    const ratios = Object.values(
      groupBy(
        deals.filter((d) => d.closed_at),
        (d) => d.owner_id!,
      ),
    )
      .filter((ds) => ds.length >= 8)
      .map((ds) => ds.filter((d) => d.stage === 'SIGNE').length / ds.length)
    expect(ratios.length).toBeGreaterThanOrEqual(5)
    expect(Math.max(...ratios) - Math.min(...ratios)).toBeGreaterThan(0.15)
  })

  it('makes the demo logins work with the demo password', async () => {
    for (const login of DEMO_LOGINS) {
      const u = await a.db.selectFrom('users').selectAll().where('email', '=', login.email).executeTakeFirstOrThrow()
      expect(u).toMatchObject({ role: login.role, workspace_id: workspaceId })
    }
    const admin = await a.db.selectFrom('users').select('password_hash').where('email', '=', 'admin@alforis.demo').executeTakeFirstOrThrow()
    expect(await verifyPassword(DEMO_PASSWORD, admin.password_hash)).toBe(true)
  })

  it('resumes a seed interrupted after the workspace was created, and refuses a second one', async () => {
    const c = createDb(await createTestDatabase(), { max: 2 })
    try {
      await createWorkspace(c.db, { id: demoIdentity(opts.seed).workspaceId, name: 'Alforis Démo', slug: 'demo' })
      expect(await isSeeded(c.db)).toBe(false)
      await seedDemo(c.db, opts)
      expect(await isSeeded(c.db)).toBe(true)
      expect(await dealsOf(c.db)).toEqual(await dealsOf(a.db))
      await expect(seedDemo(c.db, opts)).rejects.toThrow(/existe déjà/)
    } finally {
      await c.db.destroy()
    }
  })

  it('gives companies French contacts with valid e-mails, E.164 phones and consistent GDPR fields, the same on both databases', async () => {
    const contacts = (db: Db) => db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute()
    const all = await contacts(a.db)
    expect(await contacts(b.db)).toEqual(all)
    const perOrg = Object.values(groupBy(all, (c) => c.organisation_id!)).map((cs) => cs.length)
    expect(perOrg).toHaveLength(50)
    expect(Math.min(...perOrg)).toBeGreaterThanOrEqual(1)
    expect(Math.max(...perOrg)).toBeLessThanOrEqual(3)
    for (const c of all) {
      expect(['M.', 'Mme']).toContain(c.civility)
      expect(c.emails.length).toBeGreaterThanOrEqual(1)
      for (const e of c.emails) expect(e).toMatch(/^[a-z0-9.]+@[a-z0-9-]+\.(fr|com)$/)
      for (const p of c.phones) expect(p).toMatch(/^\+33[1-7]\d{8}$/)
      expect(c.gdpr_consent ? !!c.consent_source && !!c.consent_date : c.consent_source === null && c.consent_date === null).toBe(true)
    }
    expect(all.some((c) => c.gdpr_consent) && all.some((c) => !c.gdpr_consent)).toBe(true)
  })

  it('logs about five activities per deal within its life, by its owner, linked to its company and contacts', async () => {
    const activities = (db: Db) => db.selectFrom('activities').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute()
    const all = await activities(a.db)
    expect(await activities(b.db)).toEqual(all)
    expect(all.length / 200).toBeGreaterThan(4)
    expect(all.length / 200).toBeLessThan(6)
    const deals = new Map((await dealsOf(a.db)).map((d) => [d.id, d]))
    const contacts = new Map(
      (await a.db.selectFrom('contacts').select(['id', 'organisation_id']).where('workspace_id', '=', workspaceId).execute()).map((c) => [
        c.id,
        c.organisation_id,
      ]),
    )
    for (const x of all) {
      const d = deals.get(x.deal_id!)!
      expect(x.author_id).toBe(d.owner_id)
      expect(x.organisation_id).toBe(d.organisation_id)
      if (x.contact_id) expect(contacts.get(x.contact_id)).toBe(d.organisation_id)
      expect(x.occurred_at.getTime()).toBeGreaterThanOrEqual(d.created_at.getTime())
      expect(x.occurred_at.getTime()).toBeLessThanOrEqual((d.closed_at ?? asOf).getTime())
    }
    expect(new Set(all.map((x) => x.kind))).toEqual(new Set(['call', 'meeting', 'email', 'note']))
    const events = await a.db
      .selectFrom('events')
      .select(['stream_id', 'type'])
      .where('workspace_id', '=', workspaceId)
      .where('stream_type', '=', 'activity')
      .execute()
    expect(events).toHaveLength(all.length)
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['ActivityLogged']))
  })

  it('sets monthly revenue goals for every seller and team, from a year ago to three months ahead', async () => {
    const goals = await a.db.selectFrom('goals').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute()
    expect(await b.db.selectFrom('goals').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute()).toEqual(goals)
    expect(new Set(goals.map((g) => g.period))).toEqual(
      new Set([
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
        '2026-04',
        '2026-05',
        '2026-06',
        '2026-07',
        '2026-08',
        '2026-09',
        '2026-10',
        '2026-11',
        '2026-12',
        '2027-01',
        '2027-02',
      ]),
    )
    expect(goals.filter((g) => g.scope === 'team')).toHaveLength(3 * 15)
    expect(goals.filter((g) => g.scope === 'user')).toHaveLength(9 * 15)
    for (const g of goals) {
      expect(g.target_cents % 50_000).toBe(0)
      expect(g.created_at.getTime()).toBeLessThan(asOf.getTime())
    }
  })

  it('leaves open deals that the commands can carry on', async () => {
    const open = await a.db.selectFrom('deals').selectAll().where('workspace_id', '=', workspaceId).where('stage', '=', 'PROPOSITION').executeTakeFirstOrThrow()
    const r = await changeDealStageCommand(
      a.db,
      { workspaceId, actorId: open.owner_id, now: new Date(), source: 'web' },
      { id: open.id, expectedVersion: open.version, to: 'NEGOCIATION' },
    )
    expect(r.state).toMatchObject({ stage: 'NEGOCIATION', version: open.version + 1 })
  })
})
