import { type Kysely, sql } from 'kysely'

// Contracts (domain/contracts): the contract row (its current terms), the renewal alerts
// already claimed (once per contract, period and kind), the renewal steps with their
// outcome, and the recurring billing items the invoicing part turns into invoices.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contracts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('deal_id', 'uuid', (c) => c.references('deals.id'))
    .addColumn('quote_id', 'uuid', (c) => c.references('quotes.id'))
    // The client contact who receives the renewal proposal (J-30).
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id'))
    .addColumn('owner_id', 'uuid', (c) => c.references('users.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('prestation','abonnement','maintenance')`))
    // Calendar days (Paris), the end day included.
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date', (c) => c.notNull())
    // Price of one unit per period, in cents; the contract is worth unit × quantity per period.
    .addColumn('unit_amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('amount_period', 'text', (c) => c.notNull().check(sql`amount_period in ('mensuel','trimestriel','annuel')`))
    .addColumn('billing_frequency', 'text', (c) => c.notNull().check(sql`billing_frequency in ('mensuel','trimestriel','annuel')`))
    .addColumn('payment_terms_days', 'integer', (c) => c.notNull().defaultTo(30))
    .addColumn('tacit_renewal', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('renewal_months', 'integer', (c) => c.notNull().defaultTo(12))
    .addColumn('notice_months', 'integer', (c) => c.notNull().defaultTo(0))
    // Price indexation at each tacit renewal, in basis points (250 = +2,5 %); null: none.
    .addColumn('indexation_bp', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('brouillon','actif','a_renouveler','resilie','expire')`))
    .addColumn('amendment_number', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('period_index', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('signed_file_sha256', 'text')
    .addColumn('signed_file_name', 'text')
    .addColumn('notes', 'text')
    .addColumn('termination_reason', 'text')
    .addColumn('termination_effective_date', 'date')
    .addColumn('termination_notice_respected', 'boolean')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await sql`create index contracts_ws_status_end_idx on contracts (workspace_id, status, end_date)`.execute(db)
  await sql`create index contracts_ws_owner_idx on contracts (workspace_id, owner_id)`.execute(db)
  await sql`create index contracts_ws_org_idx on contracts (workspace_id, organisation_id)`.execute(db)
  // The nightly pass reads every live contract of every workspace by end date.
  await sql`create index contracts_live_end_idx on contracts (end_date) where status in ('actif','a_renouveler')`.execute(db)

  await db.schema
    .createTable('contract_alerts_sent')
    .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contracts.id'))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('period_index', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('j90','j60','j30')`))
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // The claim: the first pass to insert (contract, period, kind) sends; a second finds it taken.
    .addPrimaryKeyConstraint('contract_alerts_sent_key', ['contract_id', 'period_index', 'kind'])
    .execute()

  await db.schema
    .createTable('contract_renewal_steps')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contracts.id'))
    .addColumn('period_index', 'integer', (c) => c.notNull())
    // j90/j60/j30 alerts, the end-of-term step (renewal or expiry), billing items.
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('fait','echec')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('detail', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('contract_renewal_steps_key', ['contract_id', 'period_index', 'step'])
    .execute()

  await db.schema
    .createTable('billing_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workspace_id', 'uuid', (c) => c.notNull().references('workspaces.id'))
    .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contracts.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('due_date', 'date', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('a_facturer','facture','annule')`))
    // Set by the invoicing part when it bills the item.
    .addColumn('invoice_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    // One item per contract and period start: writing the schedule twice adds nothing.
    .addUniqueConstraint('billing_items_period_key', ['contract_id', 'period_start'])
    .execute()
  await sql`create index billing_items_ws_status_due_idx on billing_items (workspace_id, status, due_date)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('billing_items').ifExists().execute()
  await db.schema.dropTable('contract_renewal_steps').ifExists().execute()
  await db.schema.dropTable('contract_alerts_sent').ifExists().execute()
  await db.schema.dropTable('contracts').ifExists().execute()
}
