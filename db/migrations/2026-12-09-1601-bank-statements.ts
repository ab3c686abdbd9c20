import { type Kysely, sql } from 'kysely'

// Bank statement import (domain/invoicing/bank-statement*.ts): each uploaded CSV, and its
// credit lines waiting to be matched to an open invoice. A line's hash (date, amount,
// label) is unique per workspace, so a statement imported twice, or two overlapping
// statements, never bring the same receipt in twice. Also the workspace's choice for
// contract billing items (drafts by default, or issued invoices), and the index of an
// invoice series' last sequence (the issue command's read under its lock).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bank_statement_imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('lines_read', 'integer', (c) => c.notNull())
    .addColumn('lines_added', 'integer', (c) => c.notNull())
    .addColumn('lines_duplicate', 'integer', (c) => c.notNull())
    .addColumn('lines_debit', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('bank_statement_lines')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('import_id', 'uuid', (c) => c.notNull().references('bank_statement_imports.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('booked_on', 'date', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('line_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('a_rapprocher','rapprochee','ignoree')`))
    .addColumn('invoice_id', 'uuid', (c) => c.references('invoices.id'))
    .addColumn('payment_id', 'uuid')
    .addColumn('matched_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('matched_at', 'timestamptz')
    .addUniqueConstraint('bank_statement_lines_hash_key', ['workspace_id', 'line_hash'])
    .execute()
  await sql`create index bank_statement_lines_ws_status_idx on bank_statement_lines (workspace_id, status, booked_on)`.execute(db)
  // The issue command reads the series' last issue instant under the counter's lock: its
  // highest sequence, through this index, instead of max(issued_at) over the workspace's
  // invoices (a scan that grew with every invoice while every issuer waited). Unique: a
  // sequence is never given twice in a workspace's year, whatever the number pattern.
  await sql`create unique index invoices_ws_series_idx on invoices (workspace_id, year, sequence) where sequence is not null`.execute(db)
  await db.schema
    .alterTable('invoice_settings')
    .addColumn('contract_billing_issue', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invoice_settings').dropColumn('contract_billing_issue').execute()
  await sql`drop index if exists invoices_ws_series_idx`.execute(db)
  await db.schema.dropTable('bank_statement_lines').ifExists().execute()
  await db.schema.dropTable('bank_statement_imports').ifExists().execute()
}
