// Saved reports (domain/reports).
import type { ColumnType } from 'kysely'
import type { Timestamp } from './columns.js'

export type ReportSharing = 'prive' | 'equipe' | 'espace'

export interface ReportTable {
  id: string
  workspace_id: string
  owner_id: string
  name: string
  /** The ReportSpec (domain/reports/report-spec.ts), written as jsonb text. */
  spec: ColumnType<unknown, string, string>
  sharing: ReportSharing
  /** The owner's team when shared with it. */
  team_id: string | null
  created_at: ColumnType<Date, string | undefined, string>
  updated_at: ColumnType<Date, string | undefined, string>
  deleted_at: Timestamp | null
}

export interface ReportTables {
  reports: ReportTable
}
