// The event store, command idempotency, projection checkpoints and consistency checks.
import type { Generated } from 'kysely'
import type { Timestamp, Json } from './columns.js'

export interface EventTable {
  position: Generated<number>
  tx_id: Generated<string>
  workspace_id: string
  stream_type: string
  stream_id: string
  stream_version: number
  type: string
  data: Json
  meta: Json
  occurred_at: Timestamp
}

export interface ProcessedCommandTable {
  workspace_id: string
  command_id: string
  command_type: string
  result: Json
  created_at: Generated<Date>
}

export interface ProjectionCheckpointTable {
  name: string
  tx_id: string
  position: number
  updated_at: Generated<Date>
}

export interface ConsistencyCheckTable {
  id: Generated<number>
  workspace_id: string
  checked_at: Generated<Date>
  ok: boolean
  details: Json
}
