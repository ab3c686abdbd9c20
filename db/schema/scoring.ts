import type { ColumnType } from 'kysely'

// Win-probability model versions (migration 2026-12-09-1901-win-models).
type Json = ColumnType<unknown, unknown, unknown>

export interface WinModelVersionTable {
  id: string
  workspace_id: string
  trained_at: Date
  status: 'model' | 'fallback'
  fallback_reason: 'cold_start' | 'below_stage_table' | null
  active: ColumnType<boolean, boolean | undefined, boolean>
  closed_deals: number
  features: Json
  params: Json | null
  train_from: Date | null
  train_to: Date | null
  test_from: Date | null
  test_to: Date | null
  metrics: Json | null
  model: Json | null
}

export interface ScoringTables {
  win_model_versions: WinModelVersionTable
}
