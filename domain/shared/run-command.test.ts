import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { changeDealStageCommand, createDealCommand, createOrganisationCommand, updateDealCommand } from '../crm/crm.commands.js'
import { ConcurrencyError } from './errors.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

const orgFields = {
  name: 'Boulangerie Martin',
  siren: '732829320',
  siret: null,
  vat_number: null,
  address: null,
  postal_code: null,
  city: 'Lyon',
  sector: 'Commerce',
  size: null,
  status: 'prospect' as const,
  owner_id: null,
}
const dealFields = (orgId: string) => ({
  title: 'Fours 2027',
  organisation_id: orgId,
  amount_cents: 1_250_000,
  expected_close_date: null,
  owner_id: null,
  category: null,
  source: null,
  region: null,
})

describe('the command runner', () => {
  it('saves the state and appends its events in one transaction', async () => {
    const w = await givenWorkspace(rt.db)
    const orgId = randomUUID()
    await createOrganisationCommand(rt.db, w.ctx(), { id: orgId, fields: orgFields })
    const dealId = randomUUID()
    await createDealCommand(rt.db, w.ctx(), { id: dealId, fields: dealFields(orgId), stage: 'PROSPECT' })
    await changeDealStageCommand(rt.db, w.ctx(), { id: dealId, expectedVersion: 1, to: 'SIGNE' })
    const deal = await rt.db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirstOrThrow()
    expect(deal).toMatchObject({ stage: 'SIGNE', version: 2, probability: 100 })
    expect(deal.closed_at).not.toBeNull()
    const events = await rt.db
      .selectFrom('events')
      .select(['type', 'stream_version', 'meta'])
      .where('stream_id', '=', dealId)
      .orderBy('stream_version')
      .execute()
    expect(events.map((e) => [e.type, e.stream_version])).toEqual([
      ['DealCreated', 1],
      ['DealStageChanged', 2],
    ])
    expect(events[0].meta).toMatchObject({ actorId: w.users.admin, source: 'web' })
  })

  it('rejects a stale version with a clear message and changes nothing', async () => {
    const w = await givenWorkspace(rt.db)
    const orgId = randomUUID()
    await createOrganisationCommand(rt.db, w.ctx(), { id: orgId, fields: orgFields })
    const dealId = randomUUID()
    await createDealCommand(rt.db, w.ctx(), { id: dealId, fields: dealFields(orgId), stage: 'PROSPECT' })
    await updateDealCommand(rt.db, w.ctx(), { id: dealId, expectedVersion: 1, fields: { ...dealFields(orgId), amount_cents: 2_000_000 } })
    const stale = updateDealCommand(rt.db, w.ctx(), { id: dealId, expectedVersion: 1, fields: { ...dealFields(orgId), amount_cents: 1 } })
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyError)
    await expect(stale).rejects.toThrow('record.changed')
    const deal = await rt.db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirstOrThrow()
    expect(deal).toMatchObject({ amount_cents: 2_000_000, version: 2 })
    const count = await rt.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stream_id', '=', dealId)
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(2)
  })

  it('does nothing twice for a replayed command id, even concurrently', async () => {
    const w = await givenWorkspace(rt.db)
    const orgId = randomUUID()
    await createOrganisationCommand(rt.db, w.ctx(), { id: orgId, fields: orgFields })
    const dealId = randomUUID()
    await createDealCommand(rt.db, w.ctx(), { id: dealId, fields: dealFields(orgId), stage: 'PROSPECT' })
    const commandId = randomUUID()
    const results = await Promise.all(
      [0, 1, 2].map(() => changeDealStageCommand(rt.db, w.ctx(w.users.admin, { commandId }), { id: dealId, to: 'QUALIFICATION' })),
    )
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1)
    const again = await changeDealStageCommand(rt.db, w.ctx(w.users.admin, { commandId }), { id: dealId, to: 'QUALIFICATION' })
    expect(again.duplicate).toBe(true)
    const events = await rt.db.selectFrom('events').select('type').where('stream_id', '=', dealId).execute()
    expect(events.map((e) => e.type)).toEqual(['DealCreated', 'DealStageChanged'])
  })

  it('refuses a deal on an organisation of another workspace', async () => {
    const a = await givenWorkspace(rt.db)
    const b = await givenWorkspace(rt.db)
    const orgOfB = randomUUID()
    await createOrganisationCommand(rt.db, b.ctx(), { id: orgOfB, fields: orgFields })
    await expect(createDealCommand(rt.db, a.ctx(), { id: randomUUID(), fields: dealFields(orgOfB), stage: 'PROSPECT' })).rejects.toThrow(
      'organisation_id: organisation.not_found',
    )
  })
})
