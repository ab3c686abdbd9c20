import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Database } from '../../db/schema'
import type { Actor } from '../../domain/identity/roles'
import { toInvoiceState } from '../../domain/invoicing/invoice.repository'
import { displayStatus, type InvoiceDisplayStatus } from '../../domain/invoicing/invoice-rules'
import { parisDay } from '../../domain/shared/paris-time'
import { readStream } from '../../domain/shared/run-command'
import type { Auth } from './auth.server'
import { isUuid } from './forms.server'
import { containsPattern } from './records.server'
import { visibleTo } from './visibility.server'

// Invoices for pages: who sees which invoice, the list with its filters, one invoice
// with its payments, credit notes and timeline. Finance and admins see and write every
// invoice of the workspace; managers and reps read the invoices of the clients they see
// (the organisation's visibility rule), never write them.

export const canWriteInvoices = (actor: Pick<Actor, 'role'>) => actor.role === 'admin' || actor.role === 'finance'

export function invoiceVisibleTo(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'invoices'>): Expression<SqlBool> => {
    if (canWriteInvoices(actor)) return sql<SqlBool>`true`
    const orgs = eb
      .selectFrom('organisations')
      .select('organisations.id')
      .where('organisations.workspace_id', '=', actor.workspaceId)
      .where(visibleTo(actor, 'organisations') as never)
    return eb('invoices.organisation_id', 'in', orgs)
  }
}

export { INVOICE_FILTER_STATUSES, isDisplayStatus } from '../../domain/invoicing/invoice-rules'

export type InvoiceListFilters = {
  q: string
  status: InvoiceDisplayStatus | null
  from: string | null
  to: string | null
  overdue: boolean
  organisationId: string | null
}

/** A page of the invoices this user sees, newest first. Statuses are computed for today (Paris) in SQL, like on the page. */
export async function listInvoices(auth: Auth, f: InvoiceListFilters, page: number, pageSize: number) {
  const today = parisDay(auth.now())
  const remaining = sql`(invoices.amount_due_cents - invoices.credited_cents - invoices.paid_cents)`
  let q = auth.tenant
    .selectFrom('invoices')
    .innerJoin('organisations', (j) =>
      j.onRef('organisations.id', '=', 'invoices.organisation_id').onRef('organisations.workspace_id', '=', 'invoices.workspace_id'),
    )
    .select([
      'invoices.id',
      'invoices.number',
      'invoices.type_code',
      'invoices.status',
      'invoices.issue_date',
      'invoices.due_date',
      'invoices.total_ttc_cents',
      'invoices.amount_due_cents',
      'invoices.paid_cents',
      'invoices.credited_cents',
      'invoices.created_at',
      'organisations.name as organisation_name',
    ])
    .where(invoiceVisibleTo(auth.actor) as never)
  if (f.q) {
    const p = containsPattern(f.q)
    q = q.where((eb) => eb.or([eb('invoices.number', 'ilike', p), eb('organisations.name', 'ilike', p)]))
  }
  if (f.organisationId) q = q.where('invoices.organisation_id', '=', f.organisationId)
  if (f.from) q = q.where(sql<SqlBool>`coalesce(invoices.issue_date, invoices.created_at::date) >= ${f.from}::date`)
  if (f.to) q = q.where(sql<SqlBool>`coalesce(invoices.issue_date, invoices.created_at::date) <= ${f.to}::date`)
  const late = sql<SqlBool>`invoices.status = 'emise' and invoices.type_code <> '381' and ${remaining} > 0 and invoices.due_date < ${today}::date`
  if (f.overdue) q = q.where(late)
  switch (f.status) {
    case 'brouillon':
      q = q.where('invoices.status', '=', 'brouillon')
      break
    case 'annulee':
      q = q.where('invoices.status', '=', 'annulee')
      break
    case 'avoir':
      q = q.where('invoices.status', '=', 'emise').where('invoices.type_code', '=', '381')
      break
    case 'payee':
      q = q.where(sql<SqlBool>`invoices.status = 'emise' and invoices.type_code <> '381' and ${remaining} <= 0`)
      break
    case 'en_retard':
      q = q.where(late)
      break
    case 'partiellement_payee':
      q = q.where(
        sql<SqlBool>`invoices.status = 'emise' and invoices.type_code <> '381' and ${remaining} > 0 and invoices.paid_cents > 0 and invoices.due_date >= ${today}::date`,
      )
      break
    case 'non_payee':
      q = q.where(
        sql<SqlBool>`invoices.status = 'emise' and invoices.type_code <> '381' and ${remaining} > 0 and invoices.paid_cents = 0 and invoices.due_date >= ${today}::date`,
      )
      break
  }
  const rows = await q
    .orderBy('invoices.created_at', 'desc')
    .orderBy('invoices.id')
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize)
    .execute()
  return {
    rows: rows.slice(0, pageSize).map((r) => ({
      ...r,
      issue_date: r.issue_date ? String(r.issue_date) : null,
      due_date: r.due_date ? String(r.due_date) : null,
      total_ttc_cents: Number(r.total_ttc_cents),
      display: displayStatus(
        {
          status: r.status,
          type_code: r.type_code,
          amount_due_cents: Number(r.amount_due_cents),
          paid_cents: Number(r.paid_cents),
          credited_cents: Number(r.credited_cents),
          due_date: r.due_date ? String(r.due_date) : null,
        },
        today,
      ),
    })),
    hasNext: rows.length > pageSize,
  }
}

export async function findVisibleInvoice(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  const row = await auth.tenant
    .selectFrom('invoices')
    .innerJoin('organisations', (j) =>
      j.onRef('organisations.id', '=', 'invoices.organisation_id').onRef('organisations.workspace_id', '=', 'invoices.workspace_id'),
    )
    .selectAll('invoices')
    .select(['organisations.name as organisation_name'])
    .where('invoices.id', '=', id)
    .where(invoiceVisibleTo(auth.actor) as never)
    .executeTakeFirst()
  if (!row) return null
  const { organisation_name, ...inv } = row
  return { invoice: toInvoiceState(inv), organisationName: organisation_name, canWrite: canWriteInvoices(auth.actor) }
}

/** Payments, credit notes, the invoice it corrects, reminders (with their e-mail's fate) and the event stream. */
export async function invoiceFollowUp(auth: Auth, id: string) {
  const [payments, creditNotes, reminders, events] = await Promise.all([
    auth.tenant.selectFrom('invoice_payments').selectAll().where('invoice_id', '=', id).orderBy('paid_on').orderBy('created_at').execute(),
    auth.tenant
      .selectFrom('invoices')
      .select(['id', 'number', 'status', 'total_ttc_cents', 'issue_date'])
      .where('corrects_invoice_id', '=', id)
      .orderBy('created_at')
      .execute(),
    auth.tenant
      .selectFrom('invoice_reminders')
      .leftJoin('outbound_emails', 'outbound_emails.id', 'invoice_reminders.email_id')
      .select(['invoice_reminders.stage', 'invoice_reminders.sent_at', 'invoice_reminders.penalty_cents', 'outbound_emails.status as email_status'])
      .where('invoice_reminders.invoice_id', '=', id)
      .orderBy('invoice_reminders.sent_at')
      .execute(),
    readStream(auth.tenant.db, auth.user.workspaceId, id),
  ])
  return { payments, creditNotes, reminders, events }
}
