import { DomainError, NotFoundError, ValidationError, type FieldProblems, type Problem } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { amountProblem, dayProblem } from '../shared/plausible.js'
import { collectText } from '../shared/user-text.js'
import type { DealEvent, DealFields, DealState } from './deal.js'
import { type Stage, findStage } from './pipeline.js'

export function validateDealFields(input: DealFields): DealFields {
  const errors: FieldProblems = {}
  const title = collectText(errors, 'title', input.title ?? '', 'title', (max) => ({ code: 'title.too_long', params: { max } })) ?? ''
  if (!title) errors.title ??= 'title.required'
  if (!input.organisation_id) errors.organisation_id = 'organisation.required'
  const amount = amountProblem(input.amount_cents, { invalid: 'deal.amount.invalid', negative: 'deal.amount.negative' })
  if (amount) errors.amount_cents = amount
  const close = input.expected_close_date ? dayProblem(input.expected_close_date, 'deal.close_date.invalid') : null
  if (close) errors.expected_close_date = close
  const category = collectText(errors, 'category', input.category, 'label')
  const source = collectText(errors, 'source', input.source, 'label')
  const region = collectText(errors, 'region', input.region, 'label')
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return { ...input, title, category, source, region }
}

export function createDeal(
  state: DealState | null,
  cmd: { id: string; fields: DealFields; stage: string; pipelineId?: string | null },
  stages: Stage[],
  ctx: CommandContext,
): DealEvent[] {
  if (state) throw new DomainError('deal.exists')
  const fields = validateDealFields(cmd.fields)
  const stage = findStage(stages, cmd.stage)
  if (!stage) throw new ValidationError({ stage: 'deal.stage.unknown' })
  if (stage.kind !== 'open') throw new ValidationError({ stage: 'deal.stage.must_be_open' })
  if (stage.archived) throw new ValidationError({ stage: 'deal.stage.archived' })
  // The new-deal form picks a pipeline, then a stage: both must agree.
  if (cmd.pipelineId && stage.pipeline_id && stage.pipeline_id !== cmd.pipelineId) throw new ValidationError({ stage: 'deal.stage.other_pipeline' })
  return [
    {
      type: 'DealCreated',
      data: { id: cmd.id, workspace_id: ctx.workspaceId, at: ctx.now.toISOString(), stage: stage.code, probability: stage.probability, ...fields },
    },
  ]
}

export function updateDeal(state: DealState | null, cmd: { fields: DealFields }, ctx: CommandContext): DealEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('deal.not_found')
  const fields = validateDealFields(cmd.fields)
  const changes: Partial<DealFields> = {}
  for (const k of Object.keys(fields) as (keyof DealFields)[]) {
    // An omitted optional field (undefined) means "unchanged", not "cleared".
    if (fields[k] !== undefined && JSON.stringify(fields[k]) !== JSON.stringify(state[k])) (changes as Record<string, unknown>)[k] = fields[k]
  }
  if (Object.keys(changes).length === 0) return []
  return [{ type: 'DealUpdated', data: { id: state.id, at: ctx.now.toISOString(), changes } }]
}

export function changeDealStage(
  state: DealState | null,
  cmd: { to: string; lostReason?: string | null; reopenReason?: string | null },
  stages: Stage[],
  ctx: CommandContext,
): DealEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('deal.not_found')
  const stage = findStage(stages, cmd.to)
  if (!stage) throw new ValidationError({ stage: 'deal.stage.unknown' })
  if (stage.code === state.stage) return []
  if (stage.archived) throw new ValidationError({ stage: 'deal.stage.archived' })
  // A deal stays in its pipeline: its stage is one of that pipeline's.
  const current = findStage(stages, state.stage)
  if (current?.pipeline_id && stage.pipeline_id && current.pipeline_id !== stage.pipeline_id) throw new ValidationError({ stage: 'deal.stage.other_pipeline' })
  const reasonErrors: FieldProblems = {}
  const tooLong = (max: number): Problem => ({ code: 'reason.too_long', params: { max } })
  const lostReason = collectText(reasonErrors, 'lost_reason', cmd.lostReason ?? null, 'reason', tooLong)
  const reopenReason = collectText(reasonErrors, 'reopen_reason', cmd.reopenReason ?? null, 'reason', tooLong)
  if (Object.keys(reasonErrors).length) throw new ValidationError(reasonErrors)
  if (stage.kind === 'lost' && !lostReason) throw new ValidationError({ lost_reason: 'deal.lost_reason.required' })
  return [
    {
      type: 'DealStageChanged',
      data: {
        id: state.id,
        at: ctx.now.toISOString(),
        from: state.stage,
        to: stage.code,
        probability: stage.probability,
        amount_cents: state.amount_cents,
        lost_reason: stage.kind === 'lost' ? lostReason : null,
        closed: stage.kind !== 'open',
        // Leaving a won stage: why, when the caller asked (the board always does).
        ...(reopenReason && findStage(stages, state.stage)?.kind === 'won' ? { reopen_reason: reopenReason } : {}),
      },
    },
  ]
}

export function deleteDeal(state: DealState | null, ctx: CommandContext): DealEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('deal.not_found')
  return [{ type: 'DealDeleted', data: { id: state.id, at: ctx.now.toISOString() } }]
}
