import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../testing/fixtures.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { readCheckpoints } from './checkpoints.js'
import { chQuery } from './clickhouse.js'
import { startProjector } from './projector.js'
import { rebuildProjections } from './rebuild.js'
import { projectionNames } from './registry.js'
import { advanceDeals, givenDeals } from './testing/crm-data.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

async function project() {
  const p = await startProjector({ db: rt.db, sql: rt.sql, ch: rt.ch, log: () => {} })
  try {
    await p.waitForCatchUp()
  } finally {
    await p.stop()
  }
}

const snapshot = async () => ({
  deals: await chQuery(rt.ch, 'SELECT * FROM deals_current FINAL ORDER BY workspace_id, deal_id'),
  history: await chQuery(rt.ch, 'SELECT * FROM deal_stage_history FINAL ORDER BY workspace_id, deal_id, position'),
  organisations: await chQuery(rt.ch, 'SELECT * FROM organisations_current FINAL ORDER BY workspace_id, organisation_id'),
})

describe('rebuilding the read models', () => {
  it('gives rows identical to the incremental projection', async () => {
    const w = await givenWorkspace(rt.db)
    const { dealIds } = await givenDeals(rt.db, w.ctx, 10)
    await project()
    await advanceDeals(rt.db, w.ctx, dealIds)
    await project()
    const incremental = await snapshot()
    expect(incremental.deals.length).toBe(10)

    const r = await rebuildProjections({ db: rt.db, ch: rt.ch })
    expect(r.projections).toEqual(projectionNames)
    expect(r.rows).toMatchObject({ deal_stage_history: incremental.history.length, deals_current: 10, organisations_current: 1, deal_facts: 10 })
    expect(await snapshot()).toEqual(incremental)
  })

  it('rebuilds only the projections named, from the origin', async () => {
    const before = await readCheckpoints(rt.db, ['deals', 'organisations'])
    const r = await rebuildProjections({ db: rt.db, ch: rt.ch }, ['organisations'], { batchSize: 2 })
    expect(r.projections).toEqual(['organisations'])
    expect(r.rows).toEqual({ organisations_current: 1 })
    expect(await readCheckpoints(rt.db, ['deals', 'organisations'])).toEqual(before)
    await expect(rebuildProjections({ db: rt.db, ch: rt.ch }, ['contrats'])).rejects.toThrow(/inconnue/)
  })

  it('refuses to run beside a live projector', async () => {
    const p = await startProjector({ db: rt.db, sql: rt.sql, ch: rt.ch, log: () => {} })
    try {
      expect(p.isLeader()).toBe(true)
      await expect(rebuildProjections({ db: rt.db, ch: rt.ch })).rejects.toThrow(/arrêtez-le/)
    } finally {
      await p.stop()
    }
  })
})
