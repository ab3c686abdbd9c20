import type { ClickHouseMigration } from './types.js'

// The finance dashboard's read models, folded from the invoice streams (checkpoint
// 'finance'): one row per invoice (current state) and one per payment received.
export const migration: ClickHouseMigration = {
  version: 11,
  name: 'finance',
  statements: [
    `
    CREATE TABLE IF NOT EXISTS finance_invoices{on_cluster} (
      workspace_id UUID,
      invoice_id UUID,
      organisation_id UUID,
      organisation_name String,
      type_code LowCardinality(String),
      status LowCardinality(String),
      number String,
      issue_date Nullable(Date),
      due_date Nullable(Date),
      invoiced_cents Int64,
      revenue_ht_cents Int64,
      amount_due_cents Int64,
      paid_cents Int64,
      credited_cents Int64,
      version UInt32
    )
    ENGINE = {replicated}ReplacingMergeTree(version)
    ORDER BY (workspace_id, invoice_id)`,
    `
    CREATE TABLE IF NOT EXISTS finance_payments{on_cluster} (
      workspace_id UUID,
      payment_id UUID,
      invoice_id UUID,
      organisation_id UUID,
      paid_on Date,
      amount_cents Int64,
      issue_date Date,
      due_date Date
    )
    ENGINE = {replicated}ReplacingMergeTree
    ORDER BY (workspace_id, payment_id)`,
  ],
}
