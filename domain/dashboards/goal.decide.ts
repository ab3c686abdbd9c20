import type { GoalScope } from '../../db/schema.js'
import { canSetGoals, type Actor } from '../identity/roles.js'
import { NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { DATE_OUT_OF_RANGE, isPlausibleYear } from '../shared/plausible.js'
import { PERIOD_PATTERN, type GoalEvent, type GoalState } from './goal.js'

export type SetGoal = { id: string; scope: GoalScope; scopeId: string; period: string; targetCents: number }

// Goals above a billion euros are typos: tighter than the general MAX_AMOUNT_CENTS.
const MAX_TARGET_CENTS = 100_000_000_000

export function validateGoal(cmd: SetGoal): void {
  const errors: FieldProblems = {}
  if (cmd.scope !== 'user' && cmd.scope !== 'team') errors.scope = 'goal.scope.required'
  if (!cmd.scopeId) errors.scope_id = cmd.scope === 'team' ? 'goal.team.required' : 'goal.sales_rep.required'
  const period = PERIOD_PATTERN.exec(cmd.period)
  if (!period) errors.period = 'goal.period.invalid'
  else if (!isPlausibleYear(Number(period[1]))) errors.period = DATE_OUT_OF_RANGE
  if (!Number.isSafeInteger(cmd.targetCents) || cmd.targetCents <= 0) errors.target = 'goal.target.not_positive'
  else if (cmd.targetCents > MAX_TARGET_CENTS) errors.target = 'goal.target.too_large'
  if (Object.keys(errors).length) throw new ValidationError(errors)
}

/**
 * Who may set a goal for whom: admins for anyone and any team; managers for their own
 * team and its members (themselves included). Commercials and finance read goals only.
 */
export function canSetGoal(actor: Actor, target: { scope: GoalScope; scopeId: string; teamIdOfUser?: string | null }): boolean {
  if (actor.role === 'admin') return true
  if (!canSetGoals(actor)) return false
  if (target.scope === 'team') return target.scopeId === actor.teamId
  return target.scopeId === actor.id || target.teamIdOfUser === actor.teamId
}

/** Sets (or revives, or changes) the goal of one scope for one period. */
export function setGoal(state: GoalState | null, cmd: SetGoal, ctx: CommandContext): GoalEvent[] {
  validateGoal(cmd)
  if (state && !state.removed_at && state.target_cents === cmd.targetCents) return []
  return [
    {
      type: 'GoalSet',
      data: {
        id: state?.id ?? cmd.id,
        workspace_id: ctx.workspaceId,
        scope: cmd.scope,
        scope_id: cmd.scopeId,
        period: cmd.period,
        target_cents: cmd.targetCents,
        at: ctx.now.toISOString(),
      },
    },
  ]
}

export function removeGoal(state: GoalState | null, ctx: CommandContext): GoalEvent[] {
  if (!state || state.removed_at) throw new NotFoundError('goal.not_found')
  return [{ type: 'GoalRemoved', data: { id: state.id, at: ctx.now.toISOString() } }]
}
