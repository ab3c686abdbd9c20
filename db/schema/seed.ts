// The demo seed's progress (migration 2026-12-07-0018): one run, its finished steps.
import type { Generated } from 'kysely'
import type { Json, Timestamp } from './columns.js'

export interface SeedRunTable {
  name: string
  options: Json
  started_at: Generated<Date>
  completed_at: Timestamp | null
}

export interface SeedStepTable {
  run: string
  step: string
  done_at: Generated<Date>
}

export interface SeedTables {
  seed_runs: SeedRunTable
  seed_steps: SeedStepTable
}
