import type { Workflow } from '../../db/schema/workflows.js'
import type { DomainEvent } from '../shared/events.js'
import type { TriggerKind, WorkflowDefinition } from './workflow.definition.js'

// The workflow aggregate: a name, an editable draft, the published versions (rows of
// workflow_versions, written by the publish command), on/off, a webhook secret. The
// secret never goes into an event (events are an audit trail readable by admins): the
// command sets it on the row and the event only says it changed.

export type WorkflowState = Workflow

export const WORKFLOW_STREAM = 'workflow'
export const NAME_MAX = 120
export const DESCRIPTION_MAX = 1000

export const blankDefinition = (): WorkflowDefinition => ({ trigger: { kind: 'deal.created' }, conditions: null, start: null, steps: [], layout: {} })

export type WorkflowCreated = DomainEvent<
  'WorkflowCreated',
  {
    id: string
    workspace_id: string
    at: string
    name: string
    description: string
    owner_id: string | null
    template_key: string | null
    draft: WorkflowDefinition
  }
>
export type WorkflowDraftSaved = DomainEvent<'WorkflowDraftSaved', { id: string; at: string; draft: WorkflowDefinition }>
export type WorkflowRenamed = DomainEvent<'WorkflowRenamed', { id: string; at: string; name: string; description: string }>
/** `version`: the number the new workflow_versions row carries; runs already started keep theirs. */
export type WorkflowPublished = DomainEvent<'WorkflowPublished', { id: string; at: string; version: number; trigger_kind: TriggerKind }>
export type WorkflowEnabled = DomainEvent<'WorkflowEnabled', { id: string; at: string }>
export type WorkflowDisabled = DomainEvent<'WorkflowDisabled', { id: string; at: string }>
export type WorkflowDeleted = DomainEvent<'WorkflowDeleted', { id: string; at: string }>
/** `fingerprint`: the first characters of the new secret's SHA-256, to tell rotations apart without the secret. */
export type WebhookSecretRotated = DomainEvent<'WebhookSecretRotated', { id: string; at: string; fingerprint: string }>

export type WorkflowEvent =
  WorkflowCreated | WorkflowDraftSaved | WorkflowRenamed | WorkflowPublished | WorkflowEnabled | WorkflowDisabled | WorkflowDeleted | WebhookSecretRotated

/** `secret`: the webhook secret the command generated for a creation or rotation. */
export function evolveWorkflow(state: WorkflowState | null, event: WorkflowEvent, secret?: string): WorkflowState {
  const at = new Date(event.data.at)
  switch (event.type) {
    case 'WorkflowCreated': {
      const { at: _at, ...d } = event.data
      return { ...d, enabled: false, published_version: null, webhook_secret: secret ?? '', version: 0, created_at: at, updated_at: at, deleted_at: null }
    }
    case 'WorkflowDraftSaved':
      return { ...state!, draft: event.data.draft, updated_at: at }
    case 'WorkflowRenamed':
      return { ...state!, name: event.data.name, description: event.data.description, updated_at: at }
    case 'WorkflowPublished':
      return { ...state!, published_version: event.data.version, updated_at: at }
    case 'WorkflowEnabled':
      return { ...state!, enabled: true, updated_at: at }
    case 'WorkflowDisabled':
      return { ...state!, enabled: false, updated_at: at }
    case 'WorkflowDeleted':
      return { ...state!, enabled: false, deleted_at: at, updated_at: at }
    case 'WebhookSecretRotated':
      return { ...state!, webhook_secret: secret ?? state!.webhook_secret, updated_at: at }
  }
}
