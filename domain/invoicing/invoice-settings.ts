import { createHash } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import type { InvoiceSettingsTable } from '../../db/schema.js'
import { ConcurrencyError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { appendEvents } from '../shared/run-command.js'
import { hasControlCharacters } from '../shared/user-text.js'
import { checkNumberPattern, DEFAULT_LATE_PENALTY_RATE_BPS, DEFAULT_NUMBER_PATTERN, isPaymentTermsCode, OPERATION_CATEGORIES } from './invoice-rules.js'

// What company settings lack for invoicing, per workspace: the number pattern, the
// default conditions printed on each invoice, and the dunning texts (null = default).

export type InvoiceSettingsFields = Omit<InvoiceSettingsTable, 'workspace_id' | 'version' | 'updated_at'>
export type InvoiceSettings = InvoiceSettingsFields & { workspace_id: string; version: number }

export const DEFAULT_INVOICE_SETTINGS: InvoiceSettingsFields = {
  number_pattern: DEFAULT_NUMBER_PATTERN,
  default_operation_category: 'services',
  default_payment_terms: '30j',
  late_penalty_rate_bps: DEFAULT_LATE_PENALTY_RATE_BPS,
  early_payment_discount: null,
  vat_on_debits: false,
  reminder_friendly: null,
  reminder_firm: null,
  reminder_formal: null,
  contract_billing_issue: false,
}

export async function loadInvoiceSettings(db: Db, workspaceId: string): Promise<InvoiceSettings> {
  const r = await db.selectFrom('invoice_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst()
  if (!r) return { ...DEFAULT_INVOICE_SETTINGS, workspace_id: workspaceId, version: 0 }
  const { updated_at: _u, ...rest } = r
  return rest
}

const TEMPLATE_MAX = 5000

/** The settings' event stream id: a UUID derived from the workspace's (its own stream already uses that one). */
function settingsStreamId(workspaceId: string): string {
  const h = createHash('sha256').update(`invoice_settings:${workspaceId}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export function validateInvoiceSettings(f: InvoiceSettingsFields): InvoiceSettingsFields {
  const errors: FieldProblems = {}
  let pattern = f.number_pattern
  try {
    pattern = checkNumberPattern(f.number_pattern)
  } catch (e) {
    if (e instanceof ValidationError) Object.assign(errors, e.fieldErrors)
    else throw e
  }
  if (!OPERATION_CATEGORIES.includes(f.default_operation_category)) errors.default_operation_category = 'invoice.operation_category.invalid'
  if (!isPaymentTermsCode(f.default_payment_terms)) errors.default_payment_terms = 'invoice.payment_terms.invalid'
  if (!Number.isInteger(f.late_penalty_rate_bps) || f.late_penalty_rate_bps < 0 || f.late_penalty_rate_bps > 100_000)
    errors.late_penalty_rate_bps = 'invoice.penalty_rate.invalid'
  const text = (k: 'early_payment_discount' | 'reminder_friendly' | 'reminder_firm' | 'reminder_formal', max: number) => {
    const v = (f[k] ?? '').replace(/\r\n/g, '\n').trim()
    if (!v) return null
    if (hasControlCharacters(v, true)) errors[k] = 'text.control_characters'
    else if (v.length > max) errors[k] = { code: 'text.too_long', params: { max } }
    return v
  }
  const out = {
    ...f,
    number_pattern: pattern,
    early_payment_discount: text('early_payment_discount', 500),
    reminder_friendly: text('reminder_friendly', TEMPLATE_MAX),
    reminder_firm: text('reminder_firm', TEMPLATE_MAX),
    reminder_formal: text('reminder_formal', TEMPLATE_MAX),
  }
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return out
}

/** Saves the settings if their version is still `expectedVersion` (0: never saved). */
export async function saveInvoiceSettingsCommand(db: Db, ctx: CommandContext, cmd: { expectedVersion: number; fields: InvoiceSettingsFields }) {
  const fields = validateInvoiceSettings(cmd.fields)
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('invoice_settings').select('version').where('workspace_id', '=', ctx.workspaceId).forUpdate().executeTakeFirst()
    if ((before?.version ?? 0) !== cmd.expectedVersion) throw new ConcurrencyError()
    const version = cmd.expectedVersion + 1
    const values = { ...fields, workspace_id: ctx.workspaceId, version, updated_at: ctx.now }
    if (before) await trx.updateTable('invoice_settings').set(values).where('workspace_id', '=', ctx.workspaceId).execute()
    else {
      const r = await trx
        .insertInto('invoice_settings')
        .values(values)
        .onConflict((oc) => oc.column('workspace_id').doNothing())
        .returning('version')
        .executeTakeFirst()
      if (!r) throw new ConcurrencyError()
    }
    await appendEvents(trx, ctx, 'invoice_settings', settingsStreamId(ctx.workspaceId), cmd.expectedVersion, [
      { type: 'InvoiceSettingsChanged', data: { at: ctx.now.toISOString(), ...fields } },
    ])
    return { ...fields, workspace_id: ctx.workspaceId, version }
  })
}
