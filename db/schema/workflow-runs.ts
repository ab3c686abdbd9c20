import type { ColumnType, Generated, Selectable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type Json = ColumnType<unknown, unknown, unknown>
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>

export type RunStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled' | 'skipped'
export type RunStepStatus = 'running' | 'succeeded' | 'failed' | 'retrying' | 'waiting' | 'skipped'

export interface WorkflowRunTable {
  id: string
  workspace_id: string
  workflow_id: string
  workflow_version: number
  trigger_kind: string
  trigger_key: string
  trigger_event_position: number | null
  trigger_event_type: string | null
  trigger_payload: Json
  subject_type: 'deal' | 'organisation' | null
  subject_id: string | null
  status: RunStatus
  skip_reason: string | null
  current_step: string | null
  /** A waiting run (delay step) resumes at this instant. */
  wake_at: Timestamp | null
  depth: Generated<number>
  dry_run: Generated<boolean>
  correlation_id: string
  error: string | null
  failed_step: string | null
  created_at: DefaultedTimestamp
  started_at: Timestamp | null
  first_effect_at: Timestamp | null
  finished_at: Timestamp | null
  updated_at: DefaultedTimestamp
}

export interface WorkflowRunStepTable {
  id: Generated<number>
  run_id: string
  workspace_id: string
  step_id: string
  step_type: string
  attempt: number
  status: RunStepStatus
  input: Json | null
  decision: string | null
  output: Json | null
  error: string | null
  started_at: Timestamp
  finished_at: Timestamp | null
  duration_ms: number | null
  wake_at: Timestamp | null
}

export interface WorkflowSideEffectTable {
  run_id: string
  step_id: string
  kind: string
  target_id: string | null
  created_at: DefaultedTimestamp
}

export interface WorkflowRoundRobinTable {
  workspace_id: string
  team_id: string
  last_user_id: string | null
  updated_at: DefaultedTimestamp
}

/** The accepted ids of inbound webhook deliveries (Standard Webhooks `webhook-id`), pruned after the replay window. */
export interface WorkflowWebhookDeliveryTable {
  workflow_id: string
  webhook_id: string
  received_at: Timestamp
  run_id: string | null
}

// Tables of this part of the app, merged into Database (db/schema.ts).
export interface WorkflowRunTables {
  workflow_runs: WorkflowRunTable
  workflow_run_steps: WorkflowRunStepTable
  workflow_side_effects: WorkflowSideEffectTable
  workflow_round_robin: WorkflowRoundRobinTable
  workflow_webhook_deliveries: WorkflowWebhookDeliveryTable
}

export type WorkflowRun = Selectable<WorkflowRunTable>
export type WorkflowRunStep = Selectable<WorkflowRunStepTable>
