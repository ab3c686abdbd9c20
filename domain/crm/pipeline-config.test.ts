import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import { ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { changeDealStageCommand, createDealCommand, createOrganisationCommand } from './crm.commands.js'
import { loadPipelines, loadStages } from './crm.repository.js'
import { evolvePipeline, type PipelineEvent, type PipelineState } from './pipeline-config.js'
import { archiveStageCommand, createPipelineCommand } from './pipeline-config.commands.js'
import { addStage, archiveStage, createPipeline, moveStage, updateStage } from './pipeline-config.decide.js'

// The stage configuration rules (pure), then the handlers against the real Postgres:
// a second pipeline, and archiving a stage that holds open deals.

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: new Date('2026-03-29T09:00:00Z') }
const fold = (events: PipelineEvent[], s: PipelineState | null = null) => events.reduce((a, e) => evolvePipeline(a, e), s) as PipelineState
const fresh = () => fold(createPipeline(null, { id: 'p-1', name: 'Renouvellements', position: 2, codePrefix: 'R_' }, ctx))
const order = (s: PipelineState) => s.stages.filter((x) => !x.archived).map((x) => x.code)
const refusal = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return (e as ValidationError).fieldErrors
  }
  throw new Error('accepted')
}

describe('pipeline configuration rules', () => {
  it('starts with the default stages, exactly one won and one lost, last', () => {
    const s = fresh()
    expect(order(s)).toEqual(['R_PROSPECT', 'R_QUALIFICATION', 'R_PROPOSITION', 'R_NEGOCIATION', 'R_SIGNE', 'R_PERDU'])
    expect(s.stages.filter((x) => x.kind === 'won')).toHaveLength(1)
    expect(s.stages.filter((x) => x.kind === 'lost')).toHaveLength(1)
  })

  it('adds an open stage before won and lost, and renames with its probability', () => {
    let s = fold(addStage(fresh(), { code: 'S_1', label: 'Démo', probability: 60 }, ctx), fresh())
    expect(order(s).slice(-3)).toEqual(['S_1', 'R_SIGNE', 'R_PERDU'])
    s = fold(updateStage(s, { code: 'S_1', label: 'Démonstration', probability: 65 }, ctx), s)
    expect(s.stages.find((x) => x.code === 'S_1')).toMatchObject({ label: 'Démonstration', probability: 65, kind: 'open' })
    expect(refusal(() => addStage(s, { code: 'S_2', label: 'démonstration', probability: 10 }, ctx))).toEqual({ label: 'pipeline.stage.label.taken' })
    expect(refusal(() => addStage(s, { code: 'S_2', label: 'Essai', probability: 101 }, ctx))).toEqual({ probability: 'pipeline.stage.probability.invalid' })
    expect(refusal(() => updateStage(s, { code: 'R_SIGNE', label: 'Gagné', probability: 90 }, ctx))).toEqual({
      probability: 'pipeline.stage.closed_probability',
    })
    // Won and lost may be renamed; they stay won and lost.
    s = fold(updateStage(s, { code: 'R_SIGNE', label: 'Gagné' }, ctx), s)
    expect(s.stages.find((x) => x.code === 'R_SIGNE')).toMatchObject({ label: 'Gagné', kind: 'won', probability: 100 })
  })

  it('reorders open stages one step at a time, never past won and lost', () => {
    let s = fresh()
    s = fold(moveStage(s, { code: 'R_QUALIFICATION', direction: 'up' }, ctx), s)
    expect(order(s).slice(0, 2)).toEqual(['R_QUALIFICATION', 'R_PROSPECT'])
    expect(moveStage(s, { code: 'R_QUALIFICATION', direction: 'up' }, ctx)).toEqual([])
    expect(moveStage(s, { code: 'R_NEGOCIATION', direction: 'down' }, ctx)).toEqual([])
    expect(refusal(() => moveStage(s, { code: 'R_SIGNE', direction: 'up' }, ctx))).toEqual({ code: 'pipeline.stage.closed_kept' })
    expect(s.stages.map((x) => x.position)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('keeps won, lost and one open stage; an archive with open deals asks where they go', () => {
    let s = fresh()
    expect(refusal(() => archiveStage(s, { code: 'R_SIGNE', openDeals: 0 }, ctx))).toEqual({ code: 'pipeline.stage.closed_kept' })
    expect(refusal(() => archiveStage(s, { code: 'R_PERDU', openDeals: 0 }, ctx))).toEqual({ code: 'pipeline.stage.closed_kept' })
    expect(refusal(() => archiveStage(s, { code: 'R_PROSPECT', openDeals: 3 }, ctx))).toEqual({
      move_to: { code: 'pipeline.stage.move_target_required', params: { count: 3 } },
    })
    expect(refusal(() => archiveStage(s, { code: 'R_PROSPECT', openDeals: 3, moveTo: 'R_SIGNE' }, ctx))).toEqual({
      move_to: 'pipeline.stage.move_target_invalid',
    })
    for (const code of ['R_PROSPECT', 'R_QUALIFICATION', 'R_PROPOSITION']) s = fold(archiveStage(s, { code, openDeals: 0 }, ctx), s)
    expect(order(s)).toEqual(['R_NEGOCIATION', 'R_SIGNE', 'R_PERDU'])
    expect(refusal(() => archiveStage(s, { code: 'R_NEGOCIATION', openDeals: 0 }, ctx))).toEqual({ code: 'pipeline.stage.last_open' })
  })
})

let rt: Awaited<ReturnType<typeof startTestRuntime>>
beforeAll(async () => {
  rt = await startTestRuntime()
})
afterAll(async () => {
  await rt?.stop()
})

describe('pipeline configuration handlers', () => {
  it('a second pipeline gets its own stages; a deal stays in its pipeline; archiving moves the open deals', async () => {
    const w = await givenWorkspace(rt.db)
    const [main] = await loadPipelines(rt.db, w.workspaceId)
    const { state } = await createPipelineCommand(rt.db, w.ctx(), { name: 'Renouvellements' })
    await expect(createPipelineCommand(rt.db, w.ctx(), { name: ' renouvellements ' })).rejects.toThrow('pipeline.name.taken')
    const renewal = state!
    const stages = await loadStages(rt.db, w.workspaceId)
    expect(stages.filter((s) => s.pipeline_id === main.id).map((s) => s.code)).toEqual([
      'PROSPECT',
      'QUALIFICATION',
      'PROPOSITION',
      'NEGOCIATION',
      'SIGNE',
      'PERDU',
    ])
    const [first, second] = renewal.stages
    expect(stages.filter((s) => s.pipeline_id === renewal.id)).toHaveLength(6)

    const orgId = randomUUID()
    await createOrganisationCommand(rt.db, w.ctx(), {
      id: orgId,
      fields: {
        name: 'Garnier SA',
        siren: null,
        siret: null,
        vat_number: null,
        address: null,
        postal_code: null,
        city: null,
        sector: null,
        size: null,
        status: 'client',
        owner_id: null,
      },
    })
    const fields = {
      title: 'Renouvellement 2027',
      organisation_id: orgId,
      amount_cents: 1_200_000,
      expected_close_date: null,
      owner_id: null,
      category: null,
      source: null,
      region: null,
    }
    await expect(createDealCommand(rt.db, w.ctx(), { id: randomUUID(), fields, stage: 'PROSPECT', pipelineId: renewal.id })).rejects.toThrow(
      'deal.stage.other_pipeline',
    )
    const dealId = randomUUID()
    await createDealCommand(rt.db, w.ctx(), { id: dealId, fields, stage: first.code, pipelineId: renewal.id })
    await expect(changeDealStageCommand(rt.db, w.ctx(), { id: dealId, to: 'NEGOCIATION' })).rejects.toThrow('deal.stage.other_pipeline')

    await expect(archiveStageCommand(rt.db, w.ctx(), { id: renewal.id, code: first.code })).rejects.toThrow('move_to: pipeline.stage.move_target_required')
    await archiveStageCommand(rt.db, w.ctx(), { id: renewal.id, code: first.code, moveTo: second.code })
    const deal = await rt.db.selectFrom('deals').select(['stage', 'probability']).where('id', '=', dealId).executeTakeFirstOrThrow()
    expect(deal).toEqual({ stage: second.code, probability: second.probability })
    const after = await loadStages(rt.db, w.workspaceId)
    expect(after.find((s) => s.code === first.code)).toMatchObject({ archived: true })
    await expect(createDealCommand(rt.db, w.ctx(), { id: randomUUID(), fields, stage: first.code })).rejects.toThrow('deal.stage.archived')
    const events = await rt.db.selectFrom('events').select('type').where('stream_id', '=', renewal.id).orderBy('stream_version').execute()
    expect(events.map((e) => e.type)).toEqual(['PipelineCreated', 'PipelineStageArchived'])
  })
})
