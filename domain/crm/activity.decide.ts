import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { instantProblem } from '../shared/plausible.js'
import { collectText } from '../shared/user-text.js'
import { ACTIVITY_KINDS, type ActivityEvent, type ActivityFields, type ActivityState } from './activity.js'

export function validateActivityFields(input: ActivityFields): ActivityFields {
  const errors: FieldProblems = {}
  if (!ACTIVITY_KINDS.includes(input.kind)) errors.kind = 'activity.kind.unknown'
  const subject = collectText(errors, 'subject', input.subject ?? '', 'subject', (max) => ({ code: 'subject.too_long', params: { max } })) ?? ''
  if (!subject) errors.subject ??= 'subject.required'
  const body = collectText(errors, 'body', input.body, 'body')
  const date = instantProblem(input.occurred_at, 'activity.date.invalid')
  if (date) errors.occurred_at = date
  if (input.duration_minutes !== null && (!Number.isInteger(input.duration_minutes) || input.duration_minutes < 0 || input.duration_minutes > 24 * 60)) {
    errors.duration_minutes = 'activity.duration.invalid'
  }
  if (!input.organisation_id && !input.contact_id && !input.deal_id) errors.subject = 'activity.link.required'
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return { ...input, subject, body, occurred_at: new Date(input.occurred_at).toISOString() }
}

export function logActivity(state: ActivityState | null, cmd: { id: string; fields: ActivityFields }, ctx: CommandContext): ActivityEvent[] {
  if (state) throw new DomainError('activity.exists')
  const fields = validateActivityFields(cmd.fields)
  return [{ type: 'ActivityLogged', data: { id: cmd.id, workspace_id: ctx.workspaceId, at: ctx.now.toISOString(), author_id: ctx.actorId, ...fields } }]
}

export function updateActivity(state: ActivityState | null, cmd: { fields: ActivityFields }, ctx: CommandContext): ActivityEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('activity.not_found')
  const fields = validateActivityFields(cmd.fields)
  const changes: Partial<ActivityFields> = {}
  for (const k of Object.keys(fields) as (keyof ActivityFields)[]) {
    const before = k === 'occurred_at' ? state.occurred_at.toISOString() : state[k]
    if (fields[k] !== before) (changes as Record<string, unknown>)[k] = fields[k]
  }
  if (Object.keys(changes).length === 0) return []
  return [{ type: 'ActivityUpdated', data: { id: state.id, at: ctx.now.toISOString(), changes } }]
}

export function deleteActivity(state: ActivityState | null, ctx: CommandContext): ActivityEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('activity.not_found')
  return [{ type: 'ActivityDeleted', data: { id: state.id, at: ctx.now.toISOString() } }]
}
