import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import type { InvoiceDocument } from '../invoicing/invoice-document.js'
import { ForbiddenError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { loadChart } from './chart-settings.js'
import { bankEntryFor, isBalanced, salesEntryFor, type JournalEntryDraft, type RecordedPayment } from './entries.js'

// The journal in Postgres: recordJournalEntry appends one entry with the next number of
// its journal (no gap: the counter row is locked in the same transaction), once per
// source document (a replay returns the entry already written, never recomputes it),
// then letters the client's lines it settles. The invoicing bridge calls
// postInvoiceIssued / postPaymentRecorded in the transaction that issues or records.

export type RecordedEntry = { id: string; journal_code: string; number: number; created: boolean }

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))

/** The lettering counter shares journal_counters under a code no journal can take ([A-Z0-9] only). */
const LETTERING_COUNTER = '#LET'

export async function recordJournalEntry(db: Db, ctx: CommandContext, draft: JournalEntryDraft): Promise<RecordedEntry> {
  if (!isBalanced(draft.lines)) throw new ValidationError({ lines: 'accounting.entry.unbalanced' })
  return inTransaction(db, async (trx) => {
    const ws = ctx.workspaceId
    const code = draft.journal.code
    await trx
      .insertInto('journal_counters')
      .values({ workspace_id: ws, journal_code: code, last_number: 0 })
      .onConflict((oc) => oc.doNothing())
      .execute()
    // The lock serialises the writers of one journal; the source is checked under it.
    const counter = await trx
      .selectFrom('journal_counters')
      .select('last_number')
      .where('workspace_id', '=', ws)
      .where('journal_code', '=', code)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const existing = await trx
      .selectFrom('journal_entries')
      .select(['id', 'journal_code', 'number'])
      .where('workspace_id', '=', ws)
      .where('source_kind', '=', draft.source_kind)
      .where('source_id', '=', draft.source_id)
      .executeTakeFirst()
    if (existing) return { ...existing, created: false }
    const number = counter.last_number + 1
    await trx.updateTable('journal_counters').set({ last_number: number }).where('workspace_id', '=', ws).where('journal_code', '=', code).execute()
    const id = randomUUID()
    await trx
      .insertInto('journal_entries')
      .values({
        id,
        workspace_id: ws,
        journal_code: code,
        journal_label: draft.journal.label,
        number,
        entry_date: draft.entry_date,
        piece_ref: draft.piece_ref,
        piece_date: draft.piece_date,
        label: draft.label,
        source_kind: draft.source_kind,
        source_id: draft.source_id,
        validated_at: ctx.now,
      })
      .execute()
    await trx
      .insertInto('journal_lines')
      .values(draft.lines.map((l, i) => ({ ...l, entry_id: id, workspace_id: ws, position: i + 1, lettering: null, lettered_on: null })))
      .execute()
    for (const l of draft.lines) if (l.match_ref && l.aux_account) await letterIfSettled(trx, ws, l.account, l.aux_account, l.match_ref)
    return { id, journal_code: code, number, created: true }
  })
}

/** 1 → A, 26 → Z, 27 → AA… (the letters accountants read in the lettering column). */
export function letterCode(n: number): string {
  let s = ''
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s
  return s
}

/**
 * Letters the open lines of one client account and one invoice when they cancel out (the
 * invoice fully paid or credited): one letter, dated by the latest of their entries. A
 * partial payment leaves them open; an overpayment too (it needs a person's look).
 */
async function letterIfSettled(trx: Db, ws: string, account: string, aux: string, matchRef: string): Promise<void> {
  const open = await trx
    .selectFrom('journal_lines as l')
    .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
    .select(['l.debit_cents', 'l.credit_cents', 'e.entry_date'])
    .where('l.workspace_id', '=', ws)
    .where('l.account', '=', account)
    .where('l.aux_account', '=', aux)
    .where('l.match_ref', '=', matchRef)
    .where('l.lettering', 'is', null)
    .execute()
  const debit = open.reduce((a, l) => a + l.debit_cents, 0)
  const credit = open.reduce((a, l) => a + l.credit_cents, 0)
  if (debit === 0 || debit !== credit) return
  await trx
    .insertInto('journal_counters')
    .values({ workspace_id: ws, journal_code: LETTERING_COUNTER, last_number: 0 })
    .onConflict((oc) => oc.doNothing())
    .execute()
  const { last_number } = await trx
    .updateTable('journal_counters')
    .set((eb) => ({ last_number: eb('last_number', '+', 1) }))
    .where('workspace_id', '=', ws)
    .where('journal_code', '=', LETTERING_COUNTER)
    .returning('last_number')
    .executeTakeFirstOrThrow()
  const on = open
    .map((l) => l.entry_date)
    .sort()
    .at(-1)!
  // One statement for the lines read above (same predicate, same transaction).
  await trx
    .updateTable('journal_lines')
    .set({ lettering: letterCode(last_number), lettered_on: on })
    .where('workspace_id', '=', ws)
    .where('account', '=', account)
    .where('aux_account', '=', aux)
    .where('match_ref', '=', matchRef)
    .where('lettering', 'is', null)
    .execute()
}

/** Posts an issued invoice, deposit invoice or credit note to the sales journal (once). */
export async function postInvoiceIssued(db: Db, ctx: CommandContext, doc: InvoiceDocument): Promise<RecordedEntry> {
  if (doc.seller.workspace_id !== ctx.workspaceId) throw new ForbiddenError()
  const { chart } = await loadChart(db, ctx.workspaceId)
  return recordJournalEntry(db, ctx, salesEntryFor(doc, chart))
}

/**
 * Posts a payment received to the bank journal (once). Without a customer code, the
 * client's auxiliary account is the one its invoice was posted to.
 */
export async function postPaymentRecorded(db: Db, ctx: CommandContext, payment: RecordedPayment): Promise<RecordedEntry> {
  const { chart } = await loadChart(db, ctx.workspaceId)
  let p = payment
  if (!p.customer_code) {
    const invoiceLine = await db
      .selectFrom('journal_lines')
      .select('aux_account')
      .where('workspace_id', '=', ctx.workspaceId)
      .where('account', '=', chart.customers)
      .where('match_ref', '=', p.invoice_number)
      .where('aux_account', 'is not', null)
      .limit(1)
      .executeTakeFirst()
    if (invoiceLine?.aux_account) p = { ...p, customer_code: invoiceLine.aux_account }
  }
  return recordJournalEntry(db, ctx, bankEntryFor(p, chart))
}
