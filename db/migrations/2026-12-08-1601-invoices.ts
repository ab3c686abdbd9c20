import { type Kysely, sql } from 'kysely'

// Invoicing (domain/invoicing): invoices, deposit invoices and credit notes in one table
// (type_code 380 / 386 / 381), their payments, the dunning e-mails sent (one row per
// invoice and stage: the unique key that makes each reminder go out once), the public
// links (/f/<token>) and the workspace's invoicing settings. Numbers come from
// document_counters (kind 'invoice'), taken in the issuing transaction.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('invoice_settings')
    .addColumn('workspace_id', 'uuid', (c) => c.primaryKey().references('workspaces.id'))
    // "{YYYY}-F-{NNNN}": {YYYY} or {YY} the year of issue (one series per year), {N…} the rank padded.
    .addColumn('number_pattern', 'text', (c) => c.notNull())
    .addColumn('default_operation_category', 'text', (c) => c.notNull().check(sql`default_operation_category in ('goods','services','mixed')`))
    .addColumn('default_payment_terms', 'text', (c) => c.notNull())
    .addColumn('late_penalty_rate_bps', 'integer', (c) => c.notNull().check(sql`late_penalty_rate_bps between 0 and 100000`))
    .addColumn('early_payment_discount', 'text')
    .addColumn('vat_on_debits', 'boolean', (c) => c.notNull())
    // Dunning texts; null = the default wording (domain/invoicing/dunning.ts).
    .addColumn('reminder_friendly', 'text')
    .addColumn('reminder_firm', 'text')
    .addColumn('reminder_formal', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('type_code', 'text', (c) => c.notNull().check(sql`type_code in ('380','386','381')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('brouillon','emise','annulee')`))
    .addColumn('number', 'text')
    .addColumn('year', 'integer')
    .addColumn('sequence', 'integer')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id'))
    .addColumn('quote_id', 'uuid', (c) => c.references('quotes.id'))
    // A credit note: the invoice it corrects.
    .addColumn('corrects_invoice_id', 'uuid', (c) => c.references('invoices.id'))
    .addColumn('deposit_bps', 'integer')
    // A final invoice: the deposit invoices it deducts.
    .addColumn('deducts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('lines', 'jsonb', (c) => c.notNull())
    .addColumn('global_discount', 'jsonb')
    .addColumn('total_ht_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_vat_cents', 'bigint', (c) => c.notNull())
    .addColumn('total_ttc_cents', 'bigint', (c) => c.notNull())
    .addColumn('amount_due_cents', 'bigint', (c) => c.notNull())
    .addColumn('delivery_date', 'date')
    .addColumn('payment_terms_code', 'text', (c) => c.notNull())
    .addColumn('late_penalty_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('early_payment_discount', 'text')
    .addColumn('operation_category', 'text', (c) => c.notNull())
    .addColumn('vat_on_debits', 'boolean', (c) => c.notNull())
    .addColumn('buyer_order_reference', 'text')
    .addColumn('delivery_address', 'jsonb')
    .addColumn('notes', 'text')
    .addColumn('issue_date', 'date')
    .addColumn('due_date', 'date')
    .addColumn('issued_at', 'timestamptz')
    // The frozen InvoiceDocument (domain/invoicing/invoice-document.ts) and its PDF, drawn once.
    .addColumn('document', 'jsonb')
    .addColumn('pdf_sha256', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('paid_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('credited_cents', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('dunning_paused', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('invoices_ws_number_key', ['workspace_id', 'number'])
    .addCheckConstraint('invoices_issued_has_number', sql`(status = 'brouillon') = (number is null)`)
    .execute()
  await sql`create index invoices_ws_created_idx on invoices (workspace_id, created_at desc)`.execute(db)
  await sql`create index invoices_ws_org_idx on invoices (workspace_id, organisation_id)`.execute(db)
  await sql`create index invoices_ws_quote_idx on invoices (workspace_id, quote_id) where quote_id is not null`.execute(db)
  // The dunning pass reads the open issued invoices by due date.
  await sql`create index invoices_open_due_idx on invoices (due_date) where status = 'emise' and type_code <> '381'`.execute(db)

  // The SQL guard of "an issued invoice is immutable": once numbered, its legal content
  // never changes and the row is never deleted, whatever code path writes. Only the
  // follow-up columns move: payments, credits, the PDF (once), sending, dunning, status
  // to 'annulee' (by a credit note).
  await sql`
    create function invoices_issued_immutable() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.status <> 'brouillon' then raise exception 'invoice % is issued: it cannot be deleted', old.number; end if;
        return old;
      end if;
      if old.status = 'brouillon' then return new; end if;
      if new.status = 'brouillon'
        or new.number is distinct from old.number or new.year is distinct from old.year or new.sequence is distinct from old.sequence
        or new.type_code is distinct from old.type_code or new.organisation_id is distinct from old.organisation_id
        or new.contact_id is distinct from old.contact_id or new.quote_id is distinct from old.quote_id
        or new.corrects_invoice_id is distinct from old.corrects_invoice_id or new.deposit_bps is distinct from old.deposit_bps
        or new.deducts is distinct from old.deducts or new.lines is distinct from old.lines
        or new.global_discount is distinct from old.global_discount
        or new.total_ht_cents is distinct from old.total_ht_cents or new.total_vat_cents is distinct from old.total_vat_cents
        or new.total_ttc_cents is distinct from old.total_ttc_cents or new.amount_due_cents is distinct from old.amount_due_cents
        or new.delivery_date is distinct from old.delivery_date or new.payment_terms_code is distinct from old.payment_terms_code
        or new.late_penalty_rate_bps is distinct from old.late_penalty_rate_bps
        or new.early_payment_discount is distinct from old.early_payment_discount
        or new.operation_category is distinct from old.operation_category or new.vat_on_debits is distinct from old.vat_on_debits
        or new.buyer_order_reference is distinct from old.buyer_order_reference
        or new.delivery_address is distinct from old.delivery_address or new.notes is distinct from old.notes
        or new.issue_date is distinct from old.issue_date or new.due_date is distinct from old.due_date
        or new.issued_at is distinct from old.issued_at or new.document is distinct from old.document
        or (old.pdf_sha256 is not null and new.pdf_sha256 is distinct from old.pdf_sha256)
        or new.created_at is distinct from old.created_at or new.created_by is distinct from old.created_by
      then
        raise exception 'invoice % is issued: its content is frozen (corrections go through a credit note)', old.number
          using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db)
  await sql`create trigger invoices_frozen before update or delete on invoices for each row execute function invoices_issued_immutable()`.execute(db)

  await db.schema
    .createTable('invoice_payments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('invoice_id', 'uuid', (c) => c.notNull().references('invoices.id'))
    .addColumn('paid_on', 'date', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull().check(sql`amount_cents > 0`))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('virement','cheque','carte','prelevement','especes')`))
    .addColumn('reference', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await sql`create index invoice_payments_invoice_idx on invoice_payments (workspace_id, invoice_id, paid_on)`.execute(db)

  await db.schema
    .createTable('invoice_reminders')
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('invoice_id', 'uuid', (c) => c.notNull().references('invoices.id'))
    .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('friendly','firm','formal')`))
    .addColumn('email_id', 'uuid')
    .addColumn('penalty_cents', 'bigint')
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('invoice_reminders_pkey', ['invoice_id', 'stage'])
    .execute()

  await db.schema
    .createTable('invoice_links')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('invoice_id', 'uuid', (c) => c.notNull().references('invoices.id'))
    .addColumn('token_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('recipient', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_viewed_at', 'timestamptz')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('invoice_links').ifExists().execute()
  await db.schema.dropTable('invoice_reminders').ifExists().execute()
  await db.schema.dropTable('invoice_payments').ifExists().execute()
  await db.schema.dropTable('invoices').ifExists().execute()
  await sql`drop function if exists invoices_issued_immutable()`.execute(db)
  await db.schema.dropTable('invoice_settings').ifExists().execute()
}
