import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { advanceDeals, givenDeals, postgresDealTotals, postgresPipeline } from '../testing/crm-data.js'
import { dealTotals } from './deal-totals.js'
import { openPipelineByStage } from './pipeline.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime({ projector: true })
})
afterAll(async () => {
  await rt?.stop()
})

describe('the pipeline queries', () => {
  it('give the open pipeline by stage that Postgres gives, one workspace at a time', async () => {
    const w = await givenWorkspace(rt.db)
    const other = await givenWorkspace(rt.db)
    const { dealIds } = await givenDeals(rt.db, w.ctx, 20, w.users.commercial)
    await givenDeals(rt.db, other.ctx, 5)
    await advanceDeals(rt.db, w.ctx, dealIds.slice(0, 4))
    await rt.projector!.waitForCatchUp()

    const pipeline = await openPipelineByStage(rt.ch, w.workspaceId)
    expect(pipeline).toEqual(await postgresPipeline(rt.db, w.workspaceId))
    expect(pipeline.map((s) => s.stage)).toContain('NEGOCIATION')
    expect(pipeline.every((s) => Number.isInteger(s.weighted_cents) && s.weighted_cents <= s.amount_cents)).toBe(true)
    expect(await openPipelineByStage(rt.ch, other.workspaceId)).toEqual(await postgresPipeline(rt.db, other.workspaceId))
  })

  it('give the deal totals the nightly check compares with Postgres', async () => {
    const w = await givenWorkspace(rt.db)
    await givenDeals(rt.db, w.ctx, 14)
    await rt.projector!.waitForCatchUp()
    const totals = await dealTotals(rt.ch, w.workspaceId)
    expect(totals).toEqual(await postgresDealTotals(rt.db, w.workspaceId))
    expect(totals.won_deals).toBeGreaterThan(0)
  })

  it('give zeros and no stages for a workspace without deals', async () => {
    const w = await givenWorkspace(rt.db)
    expect(await openPipelineByStage(rt.ch, w.workspaceId)).toEqual([])
    expect(await dealTotals(rt.ch, w.workspaceId)).toEqual({ deals: 0, open_deals: 0, open_amount_cents: 0, won_deals: 0, won_amount_cents: 0 })
  })
})
