import type { ColumnType, Generated, Selectable } from 'kysely'

// A workflow definition as stored (jsonb). Its shape is the domain's business
// (domain/workflows/workflow.definition.ts, read through `storedDefinition`): the
// database layer only knows it is a JSON object.
export type StoredDefinition = ColumnType<Record<string, unknown>, Record<string, unknown> | string, Record<string, unknown> | string>

type Timestamp = ColumnType<Date, Date | string, Date | string>
// A timestamp with a database default. (`Generated<Timestamp>` nests two ColumnTypes and
// selects as the ColumnType itself instead of a Date.)
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface WorkflowTable {
  id: string
  workspace_id: string
  name: string
  description: Generated<string>
  owner_id: string | null
  enabled: Generated<boolean>
  template_key: string | null
  draft: StoredDefinition
  published_version: number | null
  webhook_secret: string
  version: Generated<number>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  deleted_at: Timestamp | null
}

export interface WorkflowVersionTable {
  workflow_id: string
  version: number
  workspace_id: string
  trigger_kind: string
  definition: StoredDefinition
  published_at: DefaultTimestamp
  published_by: string | null
}

export interface WorkflowTables {
  workflows: WorkflowTable
  workflow_versions: WorkflowVersionTable
}

export type Workflow = Selectable<WorkflowTable>
export type WorkflowVersion = Selectable<WorkflowVersionTable>
