import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { randomUUID } from 'node:crypto'
import { changeDealStageCommand, createDealCommand } from '../../domain/crm/crm.commands.js'
import { loadPipelines, loadStages } from '../../domain/crm/crm.repository.js'
import { createPipelineCommand, updateStageCommand } from '../../domain/crm/pipeline-config.commands.js'
import { advanceDeals, givenDeals, postgresConfiguredPipeline, postgresDealTotals, postgresPipeline } from '../testing/crm-data.js'
import { pipelineByStage } from './dashboard.js'
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

  it('give one pipeline at a time, weighted by the configured probabilities, as Postgres does', async () => {
    const w = await givenWorkspace(rt.db)
    await givenDeals(rt.db, w.ctx, 8)
    const [main] = await loadPipelines(rt.db, w.workspaceId)
    const renewal = (await createPipelineCommand(rt.db, w.ctx(), { name: 'Renouvellements' })).state!
    const [first, second] = renewal.stages
    const { organisation_id } = await rt.db.selectFrom('deals').select('organisation_id').where('workspace_id', '=', w.workspaceId).executeTakeFirstOrThrow()
    for (let i = 0; i < 5; i++) {
      const id = randomUUID()
      const fields = {
        title: `Renouvellement ${i}`,
        organisation_id,
        amount_cents: 333_333 + i * 1_001,
        expected_close_date: null,
        owner_id: null,
        category: null,
        source: null,
        region: null,
      }
      await createDealCommand(rt.db, w.ctx(), { id, fields, stage: first.code, pipelineId: renewal.id })
      if (i % 2) await changeDealStageCommand(rt.db, w.ctx(), { id, to: second.code })
    }
    // An admin changes probabilities after the deals got there: the figures follow the configuration.
    await updateStageCommand(rt.db, w.ctx(), { id: renewal.id, code: second.code, label: second.label, probability: 33 })
    await updateStageCommand(rt.db, w.ctx(), { id: main.id, code: 'PROSPECT', label: 'Prospect', probability: 15 })
    await rt.projector!.waitForCatchUp()

    const stages = await loadStages(rt.db, w.workspaceId)
    for (const p of [main.id, renewal.id]) {
      const configured = stages.filter((s) => s.pipeline_id === p).map((s) => ({ code: s.code, probability: s.probability }))
      const expected = await postgresConfiguredPipeline(rt.db, w.workspaceId, p)
      expect(expected.length).toBeGreaterThan(0)
      const byCode = <T extends { stage: string }>(rows: T[]) => [...rows].sort((a, b) => a.stage.localeCompare(b.stage))
      expect(byCode(await openPipelineByStage(rt.ch, w.workspaceId, configured))).toEqual(expected)
      const f = { workspaceId: w.workspaceId, from: '2000-01-01', to: '2000-01-01', ownerIds: null, teamId: null, stages: configured }
      expect(byCode((await pipelineByStage(rt.ch, f)).map((r) => ({ ...r, deals: Number(r.deals) })))).toEqual(expected)
    }
    expect((await postgresConfiguredPipeline(rt.db, w.workspaceId, renewal.id)).find((r) => r.stage === second.code)).toMatchObject({ deals: 2 })
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
