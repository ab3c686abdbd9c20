import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { readCsv } from '../crm/import/csv.js'
import { withoutControls } from '../crm/import/decode-text.js'
import { DomainError, NotFoundError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { appendEvents } from '../shared/run-command.js'
import { proposeMatches, type MatchProposal, type OpenInvoice } from './bank-matching.js'
import { parseStatement } from './bank-statement.js'
import { recordInvoicePaymentCommand } from './invoice.commands.js'

// Bank statement import (rapprochement bancaire): a CSV's credit lines are stored once
// (their hash is unique per workspace), proposed against the open invoices, and each
// match a person confirms records a payment through the payment command — so the bank
// journal entry follows — and marks the line in the same transaction.

const MAX_BYTES = 5 * 1024 * 1024

export type BankImportReport = { id: string; read: number; added: number; duplicate: number; debit: number; rejected: { line_no: number; reason: string }[] }

export async function importBankStatementCommand(db: Db, ctx: CommandContext, input: { fileName: string; bytes: Uint8Array }): Promise<BankImportReport> {
  if (input.bytes.byteLength === 0) throw new ValidationError({ file: 'import.file.empty' })
  if (input.bytes.byteLength > MAX_BYTES) throw new ValidationError({ file: 'import.file.too_large' })
  const table = readCsv(input.bytes)
  const { lines, rejected } = parseStatement([table.headers, ...table.rows])
  // Receipts only: outgoing payments are not customers paying invoices.
  const credits = lines.filter((l) => l.amount_cents > 0)
  const id = randomUUID()
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('bank_statement_imports')
      .values({
        id,
        workspace_id: ctx.workspaceId,
        file_name: withoutControls(input.fileName).slice(0, 200) || 'releve.csv',
        encoding: table.encoding,
        lines_read: lines.length,
        lines_added: 0,
        lines_duplicate: 0,
        lines_debit: lines.length - credits.length,
        created_by: ctx.actorId,
        created_at: ctx.now,
      })
      .execute()
    const added = credits.length
      ? await trx
          .insertInto('bank_statement_lines')
          .values(
            credits.map((l) => ({
              id: randomUUID(),
              workspace_id: ctx.workspaceId,
              import_id: id,
              line_no: l.line_no,
              booked_on: l.booked_on,
              label: l.label,
              amount_cents: l.amount_cents,
              line_hash: l.line_hash,
              status: 'a_rapprocher' as const,
            })),
          )
          .onConflict((oc) => oc.columns(['workspace_id', 'line_hash']).doNothing())
          .returning('id')
          .execute()
      : []
    await trx
      .updateTable('bank_statement_imports')
      .set({ lines_added: added.length, lines_duplicate: credits.length - added.length })
      .where('id', '=', id)
      .execute()
    await appendEvents(trx, ctx, 'bank_statement', id, 0, [
      { type: 'BankStatementImported', data: { at: ctx.now.toISOString(), read: lines.length, added: added.length, duplicate: credits.length - added.length } },
    ])
    return { id, read: lines.length, added: added.length, duplicate: credits.length - added.length, debit: lines.length - credits.length, rejected }
  })
}

/** Issued invoices (not credit notes) with something left to pay: what a receipt may settle. */
export async function openInvoices(db: Db, workspaceId: string): Promise<OpenInvoice[]> {
  const rows = await db
    .selectFrom('invoices')
    .innerJoin('organisations', (j) =>
      j.onRef('organisations.id', '=', 'invoices.organisation_id').onRef('organisations.workspace_id', '=', 'invoices.workspace_id'),
    )
    .select([
      'invoices.id',
      'invoices.number',
      'invoices.due_date',
      'organisations.name as organisation_name',
      sql<string>`invoices.amount_due_cents - invoices.credited_cents - invoices.paid_cents`.as('remaining'),
    ])
    .where('invoices.workspace_id', '=', workspaceId)
    .where('invoices.status', '=', 'emise')
    .where('invoices.type_code', '<>', '381')
    .where(sql<boolean>`invoices.amount_due_cents - invoices.credited_cents - invoices.paid_cents > 0`)
    .orderBy('invoices.due_date')
    .orderBy('invoices.number')
    .limit(2000)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    number: r.number!,
    due_date: r.due_date ? String(r.due_date) : null,
    organisation_name: r.organisation_name,
    remaining_cents: Number(r.remaining),
  }))
}

export type PendingLine = { id: string; booked_on: string; label: string; amount_cents: number; proposals: MatchProposal[] }

/** The lines still to match, oldest first, each with its proposals. */
export async function pendingBankLines(db: Db, workspaceId: string, limit = 200): Promise<{ lines: PendingLine[]; open: OpenInvoice[] }> {
  const [rows, open] = await Promise.all([
    db
      .selectFrom('bank_statement_lines')
      .select(['id', 'booked_on', 'label', 'amount_cents'])
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'a_rapprocher')
      .orderBy('booked_on')
      .orderBy('line_no')
      .limit(limit)
      .execute(),
    openInvoices(db, workspaceId),
  ])
  return {
    open,
    lines: rows.map((r) => {
      const line = { id: r.id, booked_on: String(r.booked_on), label: r.label, amount_cents: Number(r.amount_cents) }
      return { ...line, proposals: proposeMatches(line, open) }
    }),
  }
}

async function lockPendingLine(trx: Db, ws: string, lineId: string) {
  const line = await trx.selectFrom('bank_statement_lines').selectAll().where('workspace_id', '=', ws).where('id', '=', lineId).forUpdate().executeTakeFirst()
  if (!line) throw new NotFoundError('invoice.bank.line.not_found')
  if (line.status !== 'a_rapprocher') throw new DomainError('invoice.bank.line.done', undefined, { status: 409 })
  return line
}

/**
 * Confirms that bank line `lineId` pays invoice `invoiceId`: a transfer payment of the
 * line's amount on its date (the payment command refuses an over-payment), and the line
 * marked matched — both or neither.
 */
export async function confirmBankMatchCommand(db: Db, ctx: CommandContext, cmd: { lineId: string; invoiceId: string }) {
  return db.transaction().execute(async (trx) => {
    const line = await lockPendingLine(trx, ctx.workspaceId, cmd.lineId)
    const paymentId = randomUUID()
    await recordInvoicePaymentCommand(
      trx,
      { ...ctx, commandId: undefined },
      {
        invoiceId: cmd.invoiceId,
        paymentId,
        paidOn: String(line.booked_on),
        amountCents: Number(line.amount_cents),
        method: 'virement',
        reference: line.label || null,
      },
    )
    await trx
      .updateTable('bank_statement_lines')
      .set({ status: 'rapprochee', invoice_id: cmd.invoiceId, payment_id: paymentId, matched_by: ctx.actorId, matched_at: ctx.now })
      .where('id', '=', line.id)
      .execute()
    return { paymentId }
  })
}

/** A receipt that pays no invoice (a refund, a grant…): set aside, so it leaves the list. */
export async function ignoreBankLineCommand(db: Db, ctx: CommandContext, cmd: { lineId: string }) {
  return db.transaction().execute(async (trx) => {
    const line = await lockPendingLine(trx, ctx.workspaceId, cmd.lineId)
    await trx.updateTable('bank_statement_lines').set({ status: 'ignoree', matched_by: ctx.actorId, matched_at: ctx.now }).where('id', '=', line.id).execute()
  })
}
