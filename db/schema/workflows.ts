import type { ColumnType, Generated, Selectable } from 'kysely'
import type { WorkflowDefinition } from '../../domain/workflows/workflow.definition.js'

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
  draft: WorkflowDefinition
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
  definition: WorkflowDefinition
  published_at: DefaultTimestamp
  published_by: string | null
}

export interface WorkflowTables {
  workflows: WorkflowTable
  workflow_versions: WorkflowVersionTable
}

export type Workflow = Selectable<WorkflowTable>
export type WorkflowVersion = Selectable<WorkflowVersionTable>
