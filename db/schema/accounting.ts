import type { ColumnType } from 'kysely'

// Accounting tables (migration 2026-12-08-1901-accounting): the chart per workspace and
// the journal. Dates are 'YYYY-MM-DD' strings (db/kysely.ts), cents JS numbers.

export interface AccountingSettingsTable {
  workspace_id: string
  chart: ColumnType<unknown, unknown, unknown>
  version: number
  updated_at: Date
  updated_by: string | null
}

export interface JournalCounterTable {
  workspace_id: string
  journal_code: string
  last_number: number
}

export interface JournalEntryTable {
  id: string
  workspace_id: string
  journal_code: string
  journal_label: string
  number: number
  entry_date: string
  piece_ref: string
  piece_date: string
  label: string
  source_kind: 'invoice' | 'payment' | 'manual'
  source_id: string
  validated_at: Date
}

export interface JournalLineTable {
  entry_id: string
  workspace_id: string
  position: number
  account: string
  account_label: string
  aux_account: string | null
  aux_label: string | null
  label: string
  debit_cents: number
  credit_cents: number
  match_ref: string | null
  lettering: string | null
  lettered_on: string | null
}

export interface AccountingTables {
  accounting_settings: AccountingSettingsTable
  journal_counters: JournalCounterTable
  journal_entries: JournalEntryTable
  journal_lines: JournalLineTable
}
