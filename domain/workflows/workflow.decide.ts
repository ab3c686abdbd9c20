import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { definitionSchema, type WorkflowDefinition } from './workflow.definition.js'
import type { ValidationResult } from './workflow.validate.js'
import { DESCRIPTION_MAX, NAME_MAX, type WorkflowEvent, type WorkflowState } from './workflow.js'

// One function per command. Validation against the workspace (stages, users, teams) is
// done by the command handler before deciding; decide receives its result, so these
// stay pure and testable without a database.

function checkName(name: string, description: string) {
  const errors: FieldProblems = {}
  if (!name.trim()) errors.name = 'name.required'
  else if (name.trim().length > NAME_MAX) errors.name = { code: 'name.too_long', params: { max: NAME_MAX } }
  if (description.length > DESCRIPTION_MAX) errors.description = { code: 'description.too_long', params: { max: DESCRIPTION_MAX } }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return { name: name.trim(), description: description.trim() }
}

/** A draft must have the definition's shape (it may be incomplete: publishing checks the rest). */
function checkDraft(draft: unknown): WorkflowDefinition {
  const r = definitionSchema.safeParse(draft)
  if (!r.success) throw new ValidationError({ workflow: 'workflow.draft.malformed' })
  return r.data
}

const live = (s: WorkflowState | null): WorkflowState => {
  if (!s || s.deleted_at) throw new NotFoundError('workflow.not_found')
  return s
}

export function createWorkflow(
  state: WorkflowState | null,
  cmd: { id: string; name: string; description?: string; templateKey?: string | null; draft: WorkflowDefinition },
  ctx: CommandContext,
): WorkflowEvent[] {
  if (state) throw new DomainError('workflow.exists')
  const { name, description } = checkName(cmd.name, cmd.description ?? '')
  return [
    {
      type: 'WorkflowCreated',
      data: {
        id: cmd.id,
        workspace_id: ctx.workspaceId,
        at: ctx.now.toISOString(),
        name,
        description,
        owner_id: ctx.actorId,
        template_key: cmd.templateKey ?? null,
        draft: checkDraft(cmd.draft),
      },
    },
  ]
}

/** Saves what the editor holds: name and description (WorkflowRenamed) and the draft (WorkflowDraftSaved), each only if it changed. */
export function saveDraft(state: WorkflowState | null, cmd: { name: string; description: string; draft: unknown }, ctx: CommandContext): WorkflowEvent[] {
  const s = live(state)
  const { name, description } = checkName(cmd.name, cmd.description)
  const draft = checkDraft(cmd.draft)
  const at = ctx.now.toISOString()
  const events: WorkflowEvent[] = []
  if (name !== s.name || description !== s.description) events.push({ type: 'WorkflowRenamed', data: { id: s.id, at, name, description } })
  if (canonical(draft) !== canonical(s.draft)) events.push({ type: 'WorkflowDraftSaved', data: { id: s.id, at, draft } })
  return events
}

/** Publishes the (saved) draft as the next version, if it passed validation. */
export function publish(state: WorkflowState | null, cmd: { validation: ValidationResult }, ctx: CommandContext): WorkflowEvent[] {
  const s = live(state)
  if (!cmd.validation.ok) throw new ValidationError(cmd.validation.errors)
  return [
    {
      type: 'WorkflowPublished',
      data: { id: s.id, at: ctx.now.toISOString(), version: (s.published_version ?? 0) + 1, trigger_kind: cmd.validation.definition.trigger.kind },
    },
  ]
}

/**
 * Turns a workflow on. One never published is published first (if its draft is valid),
 * so "Activer" on a finished draft does what the user means; an invalid one is refused
 * with the errors beside its fields.
 */
export function enable(state: WorkflowState | null, cmd: { validation: ValidationResult | null }, ctx: CommandContext): WorkflowEvent[] {
  const s = live(state)
  if (s.enabled) return []
  const events: WorkflowEvent[] = []
  if (s.published_version === null) {
    if (!cmd.validation) throw new DomainError('workflow.enable.unpublished')
    events.push(...publish(s, { validation: cmd.validation }, ctx))
  }
  events.push({ type: 'WorkflowEnabled', data: { id: s.id, at: ctx.now.toISOString() } })
  return events
}

export function disable(state: WorkflowState | null, ctx: CommandContext): WorkflowEvent[] {
  const s = live(state)
  return s.enabled ? [{ type: 'WorkflowDisabled', data: { id: s.id, at: ctx.now.toISOString() } }] : []
}

/** Soft delete: the row and its versions stay for the runs that point at them. */
export function deleteWorkflow(state: WorkflowState | null, ctx: CommandContext): WorkflowEvent[] {
  const s = live(state)
  return [{ type: 'WorkflowDeleted', data: { id: s.id, at: ctx.now.toISOString() } }]
}

export function rotateSecret(state: WorkflowState | null, cmd: { fingerprint: string }, ctx: CommandContext): WorkflowEvent[] {
  const s = live(state)
  return [{ type: 'WebhookSecretRotated', data: { id: s.id, at: ctx.now.toISOString(), fingerprint: cmd.fingerprint } }]
}

/** JSON with sorted keys: jsonb does not keep key order, so drafts compare by content. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(v)
}
