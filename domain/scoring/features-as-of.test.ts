import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '../../db/kysely.js'
import { TEST_NOW } from '../../testing/clock.js'
import { givenWorkspace } from '../../testing/fixtures.js'
import { createTestDatabase } from '../../testing/test-runtime.js'
import { dealFeaturesAsOf } from './features-as-of.js'
import { dealFeaturesFromLog, loadEventsUntil } from './features-as-of.server.js'

// The leakage test of issue 19: a training set built "as of" a date must not change when
// events recorded after that date are added — whatever they would say.

let db: Db
let end: () => Promise<void>
beforeAll(async () => {
  const c = createDb(await createTestDatabase(), { max: 2 })
  db = c.db
  end = () => db.destroy()
})
afterAll(async () => {
  await end?.()
})

const DAY = 86_400_000
const at = (days: number) => new Date(TEST_NOW.getTime() + days * DAY)

describe('deal features as of a date, from the event log', () => {
  it('reads no event recorded after the date', async () => {
    const { workspaceId, users } = await givenWorkspace(db)
    const org = randomUUID()
    const deal = randomUUID()
    const oldDeal = randomUUID()
    const versions = new Map<string, number>()
    const log = (stream_type: string, stream_id: string, type: string, data: Record<string, unknown>, when: Date) => {
      const v = (versions.get(stream_id) ?? 0) + 1
      versions.set(stream_id, v)
      return db
        .insertInto('events')
        .values({ workspace_id: workspaceId, stream_type, stream_id, stream_version: v, type, data, meta: {}, occurred_at: when })
        .execute()
    }
    const dealData = (id: string) => ({
      id,
      organisation_id: org,
      owner_id: users.commercial,
      amount_cents: 1_200_000,
      source: 'Salon',
      category: 'Logiciel',
      region: 'Bretagne',
      stage: 'QUALIFICATION',
    })
    const activity = (kind: string, when: Date, dealId = deal) =>
      log('activity', randomUUID(), 'ActivityLogged', { kind, occurred_at: when.toISOString(), deal_id: dealId, organisation_id: org }, when)

    await log('organisation', org, 'OrganisationCreated', { sector: 'Industrie', size: 'PME' }, at(-200))
    await log('deal', oldDeal, 'DealCreated', dealData(oldDeal), at(-150))
    await log('deal', oldDeal, 'DealStageChanged', { to: 'GAGNE', closed: true, lost_reason: null }, at(-100))
    await log('deal', deal, 'DealCreated', dealData(deal), at(-60))
    await log('deal', deal, 'DealStageChanged', { to: 'PROPOSITION', closed: false, lost_reason: null }, at(-45))
    await activity('meeting', at(-20))
    await activity('meeting', at(-10))
    await activity('call', at(-40))

    const asOf = at(0)
    const before = await dealFeaturesFromLog(db, workspaceId, asOf)
    expect(before.get(deal)).toMatchObject({
      stage: 'PROPOSITION',
      days_in_stage: 45,
      meetings_30d: 2,
      calls_30d: 0,
      activities_90d: 3,
      days_since_contact: 10,
      org_won_before: 1,
      sector: 'Industrie',
    })
    expect(before.has(oldDeal)).toBe(false)

    // Later history that would change every feature if it were read.
    await log('deal', deal, 'DealStageChanged', { to: 'NEGOCIATION', closed: false, lost_reason: null }, at(1))
    await log('deal', deal, 'DealUpdated', { changes: { amount_cents: 99_000_000, region: 'Occitanie' } }, at(2))
    await activity('meeting', at(3))
    await activity('email', at(-1)) // back-dated, but recorded (logged) only after the date:
    await db
      .updateTable('events')
      .set({ occurred_at: at(4) })
      .where('workspace_id', '=', workspaceId)
      .where('type', '=', 'ActivityLogged')
      .where('occurred_at', '=', at(-1))
      .execute()
    await log('organisation', org, 'OrganisationUpdated', { changes: { sector: 'Santé' } }, at(5))
    const other = randomUUID()
    await log('deal', other, 'DealCreated', dealData(other), at(6))
    await log('deal', other, 'DealStageChanged', { to: 'PERDU', closed: true, lost_reason: 'Prix' }, at(7))
    await log('deal', deal, 'DealStageChanged', { to: 'GAGNE', closed: true, lost_reason: null }, at(30))

    const after = await dealFeaturesFromLog(db, workspaceId, asOf)
    expect(after).toEqual(before)
    const events = await loadEventsUntil(db, workspaceId, asOf)
    expect(events.every((e) => e.occurred_at.getTime() <= asOf.getTime())).toBe(true)
    // And the later state does differ: the test would notice a leak.
    const later = await dealFeaturesFromLog(db, workspaceId, at(8))
    expect(later.get(deal)).toMatchObject({ stage: 'NEGOCIATION', sector: 'Santé', region: 'Occitanie', org_lost_before: 1 })
  })

  it('refuses to build features from an event recorded after the date', () => {
    const e = { stream_type: 'deal', stream_id: 'd', type: 'DealCreated', data: {}, occurred_at: at(1) }
    expect(() => dealFeaturesAsOf([e], at(0))).toThrow(/postérieur/)
  })
})
