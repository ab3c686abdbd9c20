import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '../db/kysely.js'
import { activeWinModel, MIN_CLOSED_DEALS } from '../domain/scoring/win-model-versions.server.js'
import { seededRandom } from '../domain/scoring/random.js'
import { TEST_NOW } from '../testing/clock.js'
import { givenWorkspace } from '../testing/fixtures.js'
import { createTestDatabase } from '../testing/test-runtime.js'
import type { JobDeps } from './job.js'
import { TRAIN_WIN_MODEL, trainWinModelJob } from './train-win-model.job.js'

// scoring.train-win-model through its handler, on a real Postgres (no ClickHouse needed).

let db: Db
beforeAll(async () => {
  db = createDb(await createTestDatabase(), { max: 2 }).db
})
afterAll(async () => {
  await db?.destroy()
})

const deps = (): JobDeps => ({ db, ch: undefined as never, log: () => {}, send: async () => null })
const run = (workspaceId: string) =>
  trainWinModelJob.handle({ workspaceId, now: TEST_NOW.toISOString() }, deps(), { id: randomUUID(), name: TRAIN_WIN_MODEL, data: {} } as never)
const DAY = 86_400_000

/** `n` closed deals over the two years before TEST_NOW; more meetings → more often won. */
async function givenClosedDeals(workspaceId: string, owner: string, n: number) {
  const r = seededRandom(n)
  const rows: {
    workspace_id: string
    stream_type: string
    stream_id: string
    stream_version: number
    type: string
    data: Record<string, unknown>
    meta: Record<string, unknown>
    occurred_at: Date
  }[] = []
  const ev = (stream_type: string, stream_id: string, stream_version: number, type: string, data: Record<string, unknown>, at: number) =>
    rows.push({ workspace_id: workspaceId, stream_type, stream_id, stream_version, type, data, meta: {}, occurred_at: new Date(at) })
  const start = TEST_NOW.getTime() - 730 * DAY
  for (let i = 0; i < n; i++) {
    const org = randomUUID()
    const deal = randomUUID()
    const created = start + Math.floor((i * 680 * DAY) / n)
    const meetings = Math.floor(r() * 6)
    ev('organisation', org, 1, 'OrganisationCreated', { sector: ['Industrie', 'Santé'][i % 2], size: 'PME' }, created - DAY)
    ev(
      'deal',
      deal,
      1,
      'DealCreated',
      { organisation_id: org, owner_id: owner, amount_cents: 500_000, stage: 'QUALIFICATION', probability: 25, source: null, category: null, region: null },
      created,
    )
    for (let k = 0; k < meetings; k++)
      ev(
        'activity',
        randomUUID(),
        1,
        'ActivityLogged',
        { kind: 'meeting', occurred_at: new Date(created + (k + 1) * 4 * DAY).toISOString(), deal_id: deal, organisation_id: org },
        created + (k + 1) * 4 * DAY,
      )
    const won = r() < 1 / (1 + Math.exp(-(-2 + 0.9 * meetings)))
    ev(
      'deal',
      deal,
      2,
      'DealStageChanged',
      { to: won ? 'GAGNE' : 'PERDU', probability: won ? 100 : 0, closed: true, lost_reason: won ? null : 'Prix' },
      created + 45 * DAY,
    )
  }
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('events')
      .values(rows.slice(i, i + 1000))
      .execute()
}

describe('scoring.train-win-model', () => {
  it('falls back to the stage table below the minimum of closed deals, and says so', async () => {
    const w = await givenWorkspace(db)
    await givenClosedDeals(w.workspaceId, w.users.commercial, 20)
    await run(w.workspaceId)
    const v = await db.selectFrom('win_model_versions').selectAll().where('workspace_id', '=', w.workspaceId).execute()
    expect(v).toMatchObject([{ status: 'fallback', fallback_reason: 'cold_start', active: true, closed_deals: 20 }])
    expect(MIN_CLOSED_DEALS).toBe(200)
    expect(await activeWinModel(db, w.workspaceId)).toBeNull()
  })

  it('trains, measures against the stage table on newer deals, activates one version at a time', async () => {
    const w = await givenWorkspace(db)
    await givenClosedDeals(w.workspaceId, w.users.commercial, 400)
    await run(w.workspaceId)
    await run(w.workspaceId)
    const versions = await db.selectFrom('win_model_versions').selectAll().where('workspace_id', '=', w.workspaceId).orderBy('trained_at').execute()
    expect(versions.map((v) => v.active)).toEqual([false, true])
    const v = versions[1]
    expect(v).toMatchObject({ status: 'model', fallback_reason: null, closed_deals: 400 })
    const metrics = v.metrics as { model: { auc: number }; stage_table: { auc: number }; reliability: unknown[] }
    expect(metrics.model.auc).toBeGreaterThan(metrics.stage_table.auc + 0.1)
    expect(metrics.reliability.length).toBe(10)
    expect(v.train_to!.getTime()).toBeLessThanOrEqual(v.test_from!.getTime())
    const model = await activeWinModel(db, w.workspaceId)
    expect(model?.encoder.features.map((f) => f.name)).toContain('meetings_30d')
  })
})
