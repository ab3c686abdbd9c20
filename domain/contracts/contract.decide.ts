import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { parisDay } from '../shared/paris-time.js'
import { amountProblem, dayProblem } from '../shared/plausible.js'
import { collectText } from '../shared/user-text.js'
import type { TerminationReason } from '../../db/schema.js'
import { addDays, noticeDeadline, termEnd } from './contract-dates.js'
import {
  CONTRACT_PERIODS,
  CONTRACT_TYPES,
  TERMINATION_REASONS,
  isClosed,
  isLive,
  type AmendmentChanges,
  type ContractEvent,
  type ContractFields,
  type ContractState,
} from './contract.js'

const intIn = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max

export function validateContractFields(input: ContractFields): ContractFields {
  const errors: FieldProblems = {}
  const title = collectText(errors, 'title', input.title ?? '', 'title', (max) => ({ code: 'title.too_long', params: { max } })) ?? ''
  if (!title) errors.title ??= 'title.required'
  const notes = collectText(errors, 'notes', input.notes ?? null, 'notes', (max) => ({ code: 'text.too_long', params: { max } }))
  if (!input.organisation_id) errors.organisation_id = 'organisation.required'
  if (!CONTRACT_TYPES.includes(input.type)) errors.type = 'contract.type.unknown'
  if (!CONTRACT_PERIODS.includes(input.amount_period)) errors.amount_period = 'contract.period.unknown'
  if (!CONTRACT_PERIODS.includes(input.billing_frequency)) errors.billing_frequency = 'contract.period.unknown'
  const start = dayProblem(input.start_date ?? '', 'contract.date.invalid')
  if (start) errors.start_date = start
  const end = dayProblem(input.end_date ?? '', 'contract.date.invalid')
  if (end) errors.end_date = end
  if (!start && !end && input.end_date < input.start_date) errors.end_date = 'contract.end_before_start'
  const amount = amountProblem(input.unit_amount_cents)
  if (amount) errors.unit_amount_cents = amount
  if (!intIn(input.quantity, 1, 1_000_000)) errors.quantity = 'contract.quantity.invalid'
  if (!amount && !errors.quantity && !Number.isSafeInteger(input.unit_amount_cents * input.quantity)) errors.quantity = 'amount.too_large'
  if (!intIn(input.payment_terms_days, 0, 120)) errors.payment_terms_days = 'contract.payment_terms.range'
  if (!intIn(input.renewal_months, 1, 120)) errors.renewal_months = 'contract.renewal_months.range'
  if (!intIn(input.notice_months, 0, 24)) errors.notice_months = 'contract.notice_months.range'
  if (input.indexation_bp !== null && !intIn(input.indexation_bp, -5000, 5000)) errors.indexation_bp = 'contract.indexation.range'
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return { ...input, title, notes }
}

export function createContract(
  state: ContractState | null,
  cmd: { id: string; fields: ContractFields; activate?: boolean },
  ctx: CommandContext,
): ContractEvent[] {
  if (state) throw new DomainError('contract.exists')
  const fields = validateContractFields(cmd.fields)
  return [
    {
      type: 'ContractCreated',
      data: {
        id: cmd.id,
        workspace_id: ctx.workspaceId,
        at: ctx.now.toISOString(),
        created_by: ctx.actorId,
        status: cmd.activate ? 'actif' : 'brouillon',
        ...fields,
      },
    },
  ]
}

/**
 * Edits a contract. On a draft every field may change; once running, what the client
 * pays (dates, price, quantity, period) changes only through an amendment, so the
 * history of versions stays true.
 */
export function updateContract(state: ContractState | null, cmd: { fields: ContractFields }, ctx: CommandContext): ContractEvent[] {
  if (!state) throw new NotFoundError('contract.not_found')
  if (isClosed(state)) throw new DomainError('contract.closed')
  const fields = validateContractFields(cmd.fields)
  const changes: Record<string, unknown> = {}
  const errors: FieldProblems = {}
  for (const k of Object.keys(fields) as (keyof ContractFields)[]) {
    if (fields[k] === state[k]) continue
    if (state.status !== 'brouillon' && (k === 'start_date' || k === 'end_date' || k === 'unit_amount_cents' || k === 'quantity' || k === 'amount_period')) {
      errors[k] = 'contract.terms.need_amendment'
      continue
    }
    changes[k] = fields[k]
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  if (!Object.keys(changes).length) return []
  return [{ type: 'ContractUpdated', data: { id: state.id, at: ctx.now.toISOString(), changes } }]
}

export function activateContract(state: ContractState | null, ctx: CommandContext): ContractEvent[] {
  if (!state) throw new NotFoundError('contract.not_found')
  if (state.status !== 'brouillon') throw new DomainError('contract.not_draft')
  return [{ type: 'ContractActivated', data: { id: state.id, at: ctx.now.toISOString() } }]
}

/**
 * An amendment (avenant): a new numbered version in force from `effectiveDate`, changing
 * the unit price, the quantity and/or the end date. Only a running contract is amended;
 * the effective date falls within its current term.
 */
export function amendContract(
  state: ContractState | null,
  cmd: { effectiveDate: string; changes: AmendmentChanges; reason: string | null },
  ctx: CommandContext,
): ContractEvent[] {
  if (!state) throw new NotFoundError('contract.not_found')
  if (!isLive(state)) throw new DomainError('contract.not_running')
  const errors: FieldProblems = {}
  const date = dayProblem(cmd.effectiveDate ?? '', 'contract.date.invalid')
  if (date) errors.effective_date = date
  else if (cmd.effectiveDate < state.start_date || cmd.effectiveDate > state.end_date) errors.effective_date = 'contract.amendment.date_outside_term'
  const reason = collectText(errors, 'reason', cmd.reason, 'reason', (max) => ({ code: 'reason.too_long', params: { max } }))
  const changes: AmendmentChanges = {}
  const before: AmendmentChanges = {}
  const c = cmd.changes
  if (c.unit_amount_cents !== undefined && c.unit_amount_cents !== state.unit_amount_cents) {
    const p = amountProblem(c.unit_amount_cents)
    if (p) errors.unit_amount_cents = p
    changes.unit_amount_cents = c.unit_amount_cents
    before.unit_amount_cents = state.unit_amount_cents
  }
  if (c.quantity !== undefined && c.quantity !== state.quantity) {
    if (!intIn(c.quantity, 1, 1_000_000)) errors.quantity = 'contract.quantity.invalid'
    changes.quantity = c.quantity
    before.quantity = state.quantity
  }
  if (c.end_date !== undefined && c.end_date !== state.end_date) {
    const p = dayProblem(c.end_date, 'contract.date.invalid')
    if (p) errors.end_date = p
    else if (c.end_date < (date ? state.start_date : cmd.effectiveDate)) errors.end_date = 'contract.end_before_start'
    changes.end_date = c.end_date
    before.end_date = state.end_date
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  if (!Object.keys(changes).length) throw new ValidationError({ unit_amount_cents: 'contract.amendment.empty' })
  return [
    {
      type: 'ContractAmended',
      data: { id: state.id, at: ctx.now.toISOString(), number: state.amendment_number + 1, effective_date: cmd.effectiveDate, changes, before, reason },
    },
  ]
}

/** Whether notice given today respects the contract's notice period for the current term. */
export function noticeRespected(state: Pick<ContractState, 'end_date' | 'notice_months'>, today: string): boolean {
  return today <= noticeDeadline(state.end_date, state.notice_months)
}

/**
 * Terminates (résiliation). The contract stops after `effectiveDate` (its last day in
 * force). Notice is respected when given by the notice deadline of the current term.
 */
export function terminateContract(
  state: ContractState | null,
  cmd: { reason: TerminationReason; effectiveDate: string; comment: string | null },
  ctx: CommandContext,
): ContractEvent[] {
  if (!state) throw new NotFoundError('contract.not_found')
  if (!isLive(state)) throw new DomainError('contract.not_running')
  const errors: FieldProblems = {}
  if (!TERMINATION_REASONS.includes(cmd.reason)) errors.reason = 'contract.termination.reason.unknown'
  const date = dayProblem(cmd.effectiveDate ?? '', 'contract.date.invalid')
  if (date) errors.effective_date = date
  else if (cmd.effectiveDate < state.start_date) errors.effective_date = 'contract.termination.before_start'
  const comment = collectText(errors, 'comment', cmd.comment, 'reason', (max) => ({ code: 'reason.too_long', params: { max } }))
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return [
    {
      type: 'ContractTerminated',
      data: {
        id: state.id,
        at: ctx.now.toISOString(),
        reason: cmd.reason,
        effective_date: cmd.effectiveDate,
        notice_respected: noticeRespected(state, parisDay(ctx.now)),
        comment,
      },
    },
  ]
}

export function markRenewalDue(state: ContractState | null, cmd: { deadline: string }, ctx: CommandContext): ContractEvent[] {
  if (!state) throw new NotFoundError('contract.not_found')
  if (state.status !== 'actif') return []
  return [{ type: 'ContractRenewalDue', data: { id: state.id, at: ctx.now.toISOString(), period_index: state.period_index, deadline: cmd.deadline } }]
}

/** The price of the next period: indexed by `indexation_bp` (basis points), rounded half-up to the cent. */
export const indexedPrice = (cents: number, bp: number | null) => (bp ? Math.floor((cents * (10_000 + bp) * 2 + 10_000) / 20_000) : cents)

/**
 * The end of a term. With tacit renewal the next period starts the day after the end,
 * same terms, price indexed; without it the contract expires. `periodIndex` is the term
 * the caller saw ending: a second run for the same term changes nothing.
 */
export function closeTerm(state: ContractState | null, cmd: { periodIndex: number; renew?: boolean }, ctx: CommandContext): ContractEvent[] {
  if (!state) throw new NotFoundError('contract.not_found')
  if (!isLive(state) || state.period_index !== cmd.periodIndex) return []
  const at = ctx.now.toISOString()
  const renew = cmd.renew ?? state.tacit_renewal
  if (!renew) return [{ type: 'ContractExpired', data: { id: state.id, at, end_date: state.end_date } }]
  const start = addDays(state.end_date, 1)
  return [
    {
      type: 'ContractRenewed',
      data: {
        id: state.id,
        at,
        period_index: state.period_index + 1,
        start_date: start,
        end_date: termEnd(start, state.renewal_months),
        unit_amount_cents: indexedPrice(state.unit_amount_cents, state.indexation_bp),
        indexation_bp: state.indexation_bp,
        tacit: cmd.renew === undefined,
      },
    },
  ]
}

export function attachSignedFile(state: ContractState | null, cmd: { sha256: string; name: string }, ctx: CommandContext): ContractEvent[] {
  if (!state) throw new NotFoundError('contract.not_found')
  return [{ type: 'ContractFileAttached', data: { id: state.id, at: ctx.now.toISOString(), sha256: cmd.sha256, name: cmd.name } }]
}
