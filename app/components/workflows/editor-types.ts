import type { Variable } from '../../../domain/workflows/workflow.definition'

// What the editors' field components need besides the definition: the workspace's
// choices, the variables of the current trigger, and the errors keyed like
// domain/workflows/workflow.validate.ts ('steps.<id>.<field>').
export type EditorChoices = {
  stages: Array<{ code: string; label: string }>
  users: Array<{ id: string; name: string }>
  teams: Array<{ id: string; name: string }>
  variables: Variable[]
  /** Webhook triggers: `webhook.*` fields are typed freely. */
  freeFields: boolean
}

export type Errors = Record<string, string>

/** The header an inbound webhook's sender signs with (Standard Webhooks: v1,<base64 HMAC of "id.timestamp.body">). */
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature'
