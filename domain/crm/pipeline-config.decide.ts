import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { collectText } from '../shared/user-text.js'
import { DEFAULT_STAGES } from './pipeline.js'
import type { ConfigStage, PipelineEvent, PipelineState } from './pipeline-config.js'

// The rules of a pipeline's configuration. Every pipeline keeps exactly one won stage
// and one lost stage (created with it; neither can be added nor archived) and at least
// one open stage; won and lost keep 100 % and 0 %. Archiving a stage that holds open
// deals needs the open stage they move to. Names are unique: pipelines in a workspace
// (checked by the handler, which sees them all), stages within their pipeline.

const at = (ctx: CommandContext) => ctx.now.toISOString()

function name(raw: string, field: string, required: 'pipeline.name.required' | 'pipeline.stage.label.required'): string {
  const errors: FieldProblems = {}
  const v = collectText(errors, field, raw, 'short_name')
  if (!v) errors[field] ??= required
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return v!
}

function probability(raw: number): number {
  if (!Number.isInteger(raw) || raw < 0 || raw > 100) throw new ValidationError({ probability: 'pipeline.stage.probability.invalid' })
  return raw
}

const activeOpen = (s: PipelineState) => s.stages.filter((x) => x.kind === 'open' && !x.archived).sort((a, b) => a.position - b.position)

function stageOf(state: PipelineState | null, code: string): ConfigStage {
  if (!state) throw new NotFoundError('pipeline.not_found')
  const stage = state.stages.find((s) => s.code === code && !s.archived)
  if (!stage) throw new NotFoundError('pipeline.stage.not_found')
  return stage
}

function labelFree(state: PipelineState, label: string, except?: string) {
  const key = label.toLocaleLowerCase('fr')
  if (state.stages.some((s) => !s.archived && s.code !== except && s.label.toLocaleLowerCase('fr') === key)) {
    throw new ValidationError({ label: 'pipeline.stage.label.taken' })
  }
}

/**
 * A new pipeline with the default stages (their codes made unique in the workspace by
 * `codePrefix`: a deal's stage code names its pipeline too).
 */
export function createPipeline(
  state: PipelineState | null,
  cmd: { id: string; name: string; position: number; codePrefix: string },
  ctx: CommandContext,
): PipelineEvent[] {
  if (state) throw new DomainError('pipeline.exists')
  const n = name(cmd.name, 'name', 'pipeline.name.required')
  const stages = DEFAULT_STAGES.map(({ code, label, position, probability, kind }) => ({
    code: `${cmd.codePrefix}${code}`,
    label,
    position,
    probability,
    kind,
  }))
  return [{ type: 'PipelineCreated', data: { id: cmd.id, workspace_id: ctx.workspaceId, at: at(ctx), name: n, position: cmd.position, stages } }]
}

export function renamePipeline(state: PipelineState | null, cmd: { name: string }, ctx: CommandContext): PipelineEvent[] {
  if (!state) throw new NotFoundError('pipeline.not_found')
  const n = name(cmd.name, 'name', 'pipeline.name.required')
  if (n === state.name) return []
  return [{ type: 'PipelineRenamed', data: { id: state.id, at: at(ctx), name: n } }]
}

export function addStage(state: PipelineState | null, cmd: { code: string; label: string; probability: number }, ctx: CommandContext): PipelineEvent[] {
  if (!state) throw new NotFoundError('pipeline.not_found')
  const label = name(cmd.label, 'label', 'pipeline.stage.label.required')
  const p = probability(cmd.probability)
  labelFree(state, label)
  const position = Math.max(0, ...activeOpen(state).map((s) => s.position)) + 1
  return [{ type: 'PipelineStageAdded', data: { id: state.id, at: at(ctx), stage: { code: cmd.code, label, probability: p, position, kind: 'open' } } }]
}

/** Renames a stage and, for an open one, sets its probability (won and lost keep theirs). */
export function updateStage(state: PipelineState | null, cmd: { code: string; label: string; probability?: number }, ctx: CommandContext): PipelineEvent[] {
  const stage = stageOf(state, cmd.code)
  const label = name(cmd.label, 'label', 'pipeline.stage.label.required')
  const p = cmd.probability === undefined ? stage.probability : probability(cmd.probability)
  if (stage.kind !== 'open' && p !== stage.probability) throw new ValidationError({ probability: 'pipeline.stage.closed_probability' })
  labelFree(state!, label, stage.code)
  if (label === stage.label && p === stage.probability) return []
  return [{ type: 'PipelineStageUpdated', data: { id: state!.id, at: at(ctx), code: stage.code, label, probability: p } }]
}

/** One step up or down among the open stages (the keyboard path); nothing at either end. */
export function moveStage(state: PipelineState | null, cmd: { code: string; direction: 'up' | 'down' }, ctx: CommandContext): PipelineEvent[] {
  const stage = stageOf(state, cmd.code)
  if (stage.kind !== 'open') throw new ValidationError({ code: 'pipeline.stage.closed_kept' })
  const order = activeOpen(state!).map((s) => s.code)
  const i = order.indexOf(stage.code)
  const j = cmd.direction === 'up' ? i - 1 : i + 1
  if (j < 0 || j >= order.length) return []
  ;[order[i], order[j]] = [order[j], order[i]]
  return [{ type: 'PipelineStagesReordered', data: { id: state!.id, at: at(ctx), order } }]
}

/**
 * Archives an open stage. `openDeals`: how many open deals it holds now (the handler
 * counts them in the same transaction); they need `moveTo`, another open stage of this
 * pipeline, and the handler moves them there.
 */
export function archiveStage(
  state: PipelineState | null,
  cmd: { code: string; moveTo?: string | null; openDeals: number },
  ctx: CommandContext,
): PipelineEvent[] {
  const stage = stageOf(state, cmd.code)
  if (stage.kind !== 'open') throw new ValidationError({ code: 'pipeline.stage.closed_kept' })
  const others = activeOpen(state!).filter((s) => s.code !== stage.code)
  if (!others.length) throw new ValidationError({ code: 'pipeline.stage.last_open' })
  let movedTo: string | null = null
  if (cmd.openDeals > 0) {
    if (!cmd.moveTo) throw new ValidationError({ move_to: { code: 'pipeline.stage.move_target_required', params: { count: cmd.openDeals } } })
    if (!others.some((s) => s.code === cmd.moveTo)) throw new ValidationError({ move_to: 'pipeline.stage.move_target_invalid' })
    movedTo = cmd.moveTo
  }
  return [{ type: 'PipelineStageArchived', data: { id: state!.id, at: at(ctx), code: stage.code, moved_to: movedTo, open_deals: cmd.openDeals } }]
}
