import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import type { DealEvent, DealFields, DealState } from './deal.js'
import { type Stage, findStage } from './pipeline.js'

export function validateDealFields(input: DealFields): DealFields {
  const errors: FieldProblems = {}
  const title = input.title?.trim() ?? ''
  if (!title) errors.title = 'title.required'
  else if (title.length > 200) errors.title = { code: 'title.too_long', params: { max: 200 } }
  if (!input.organisation_id) errors.organisation_id = 'organisation.required'
  if (!Number.isSafeInteger(input.amount_cents)) errors.amount_cents = 'deal.amount.invalid'
  else if (input.amount_cents < 0) errors.amount_cents = 'deal.amount.negative'
  if (input.expected_close_date && !/^\d{4}-\d{2}-\d{2}$/.test(input.expected_close_date)) errors.expected_close_date = 'deal.close_date.invalid'
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return { ...input, title }
}

export function createDeal(state: DealState | null, cmd: { id: string; fields: DealFields; stage: string }, stages: Stage[], ctx: CommandContext): DealEvent[] {
  if (state) throw new DomainError('deal.exists')
  const fields = validateDealFields(cmd.fields)
  const stage = findStage(stages, cmd.stage)
  if (!stage) throw new ValidationError({ stage: 'deal.stage.unknown' })
  if (stage.kind !== 'open') throw new ValidationError({ stage: 'deal.stage.must_be_open' })
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
  const lostReason = cmd.lostReason?.trim() || null
  if (stage.kind === 'lost' && !lostReason) throw new ValidationError({ lost_reason: 'deal.lost_reason.required' })
  const reopenReason = cmd.reopenReason?.trim() || null
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
