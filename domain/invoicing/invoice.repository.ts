import { sql } from 'kysely'
import type { Selectable } from 'kysely'
import type { InvoiceTable } from '../../db/schema.js'
import type { Repository } from '../shared/run-command.js'
import { INVOICE_STREAM, type InvoiceState } from './invoice.js'

// A JS array or object sent as a parameter would be encoded as a Postgres array: send text, cast.
const jsonb = (v: unknown) => (v === null || v === undefined ? null : sql`cast(cast(${JSON.stringify(v)} as text) as jsonb)`)

/** An invoices row as the domain's state (jsonb columns typed, bigints as numbers). */
export const toInvoiceState = (r: Selectable<InvoiceTable>): InvoiceState =>
  ({
    ...r,
    total_ht_cents: Number(r.total_ht_cents),
    total_vat_cents: Number(r.total_vat_cents),
    total_ttc_cents: Number(r.total_ttc_cents),
    amount_due_cents: Number(r.amount_due_cents),
    paid_cents: Number(r.paid_cents),
    credited_cents: Number(r.credited_cents),
    lines: r.lines ?? [],
    deducts: r.deducts ?? [],
    global_discount: r.global_discount ?? null,
    delivery_address: r.delivery_address ?? null,
    document: r.document ?? null,
    issue_date: r.issue_date ? String(r.issue_date) : null,
    due_date: r.due_date ? String(r.due_date) : null,
    delivery_date: r.delivery_date ? String(r.delivery_date) : null,
  }) as InvoiceState

const row = (s: InvoiceState) => ({
  ...s,
  lines: jsonb(s.lines),
  deducts: jsonb(s.deducts),
  global_discount: jsonb(s.global_discount),
  delivery_address: jsonb(s.delivery_address),
  document: jsonb(s.document),
})

export const invoiceRepository: Repository<InvoiceState> = {
  streamType: INVOICE_STREAM,
  load: (trx, ws, id) =>
    trx
      .selectFrom('invoices')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
      .then((r) => (r ? toInvoiceState(r) : null)),
  insert: async (trx, s) => {
    await trx.insertInto('invoices').values(row(s)).execute()
  },
  update: async (trx, s, expected) => {
    const { id, workspace_id, ...rest } = row(s)
    const r = await trx
      .updateTable('invoices')
      .set(rest)
      .where('id', '=', id)
      .where('workspace_id', '=', workspace_id)
      .where('version', '=', expected)
      .executeTakeFirst()
    return Number(r.numUpdatedRows)
  },
}
