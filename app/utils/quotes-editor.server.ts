import { z } from 'zod'
import { listProducts, lineFromProduct } from '../../domain/sales/sales.queries'
import { validateQuoteFields, validateQuoteLines } from '../../domain/sales/quote.decide'
import type { QuoteFields } from '../../domain/sales/quote'
import type { Discount } from '../../domain/sales/quote-totals'
import { parseQuantity } from '../../domain/sales/money'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '../i18n/errors'
import type { Locale } from '../i18n/i18n'
import {
  globalDiscountFrom,
  isBlankRow,
  LINE_FIELDS,
  linesFromRows,
  rowErrorKey,
  rowFromLine,
  rowsFromForm,
  type LineRow,
} from '~/components/quotes/quote-form'
import type { ProductChoice } from '~/components/quotes/quote-lines-editor'
import type { Auth } from './auth.server'
import { contactsOfOrganisation } from './contacts.server'
import { formatEuros } from './format'
import { field, parseForm } from './form-schema.server'
import { visibleTo } from './visibility.server'

// The quote forms' server side: the choices they offer (contacts and deals of the
// client, the active catalogue) and reading a posted editor form into the domain's
// fields and lines, with every error named after the field the page shows.

/** Contacts and open or closed deals of the organisation this user sees, for the selects. */
export async function partyOptions(auth: Auth, organisationId: string) {
  const [contacts, deals] = await Promise.all([
    contactsOfOrganisation(auth, organisationId),
    auth.tenant
      .selectFrom('deals')
      .select(['deals.id', 'deals.title', 'deals.stage'])
      .where('deals.organisation_id', '=', organisationId)
      .where('deals.deleted_at', 'is', null)
      .where(visibleTo(auth.actor, 'deals'))
      .orderBy('deals.created_at', 'desc')
      .limit(200)
      .execute(),
  ])
  return {
    contacts: contacts.map((c) => ({ id: c.id, name: `${c.first_name} ${c.last_name}${c.job_title ? ` — ${c.job_title}` : ''}` })),
    deals: deals.map((d) => ({ id: d.id, name: d.title })),
  }
}
export type PartyOptions = Awaited<ReturnType<typeof partyOptions>>

/** The active catalogue as picker choices, each with the line it adds (a copy of the product). */
export async function productChoices(auth: Auth): Promise<ProductChoice[]> {
  const products = await listProducts(auth.tenant.db, auth.user.workspaceId, { limit: 1000 })
  return products.map((p) => ({
    id: p.id,
    label: p.code ? `${p.code} · ${p.name}` : p.name,
    category: p.category,
    price: `${formatEuros(p.unit_price_cents)} HT / ${p.unit}`,
    row: rowFromLine(lineFromProduct(p)),
  }))
}

/** Rows as posted values, to put the form back as the user left it after an error. */
export function rowsToValues(rows: LineRow[]): Record<string, string> {
  const values: Record<string, string> = { line_count: String(rows.length) }
  rows.forEach((r, i) => {
    for (const f of LINE_FIELDS) values[`lines.${i}.${f}`] = r[f]
  })
  return values
}

/** The conditions of a quote form (parseForm): a contact or deal that is not an id is named beside its field, not dropped. */
export const quoteFieldsSchema = z.object({
  title: field.optionalText(),
  validity_days: z
    .string()
    .trim()
    .default('30')
    .refine((v) => /^\d{1,4}$/.test(v), 'quote.error.validity')
    .transform(Number),
  contact_id: field.optionalUuid('quote.contactNotFound'),
  deal_id: field.optionalUuid('quote.dealNotFound'),
  payment_terms: field.optionalText(),
  notes: field.optionalText(),
})

/** Reads the conditions fields of a quote form (the organisation is the quote's own); errors beside the fields that did not parse. */
export function readQuoteFields(
  form: FormData,
  organisationId: string,
  reader: Pick<Auth, 't' | 'locale'>,
): { fields: QuoteFields; errors: Record<string, string> } {
  const parsed = parseForm(form, quoteFieldsSchema, reader)
  if (parsed.ok) return { fields: { organisation_id: organisationId, ...parsed.value }, errors: {} }
  // The fields that did parse are still checked by the domain, for one round trip with every error.
  const s = (n: string) => parsed.values[n]?.trim() || null
  const validity = Number(s('validity_days') ?? '30')
  return {
    fields: {
      organisation_id: organisationId,
      contact_id: parsed.fieldErrors.contact_id ? null : (s('contact_id')?.toLowerCase() ?? null),
      deal_id: parsed.fieldErrors.deal_id ? null : (s('deal_id')?.toLowerCase() ?? null),
      title: s('title'),
      validity_days: parsed.fieldErrors.validity_days ? 30 : validity,
      payment_terms: s('payment_terms'),
      notes: s('notes'),
    },
    errors: parsed.fieldErrors,
  }
}

/** The editor's own controls (parseForm); the rows are read by rowsFromForm, shared with the browser's editor. */
const editorControlsSchema = z.object({
  add_product_id: field.optionalUuid('quote.picker.none'),
  add_product_quantity: field.text(),
  global_discount_kind: field.oneOf(['percent', 'amount'] as const).default('percent'),
  global_discount: z.string().default(''),
})

/** The contact and the deal chosen must be among the options offered (the client's, visible to this user). */
export function checkParties(fields: QuoteFields, options: PartyOptions, current: { contact_id: string | null; deal_id: string | null } | null, t: Auth['t']) {
  const errors: Record<string, string> = {}
  if (fields.contact_id && fields.contact_id !== current?.contact_id && !options.contacts.some((c) => c.id === fields.contact_id))
    errors.contact_id = t('quote.contactNotFound')
  if (fields.deal_id && fields.deal_id !== current?.deal_id && !options.deals.some((d) => d.id === fields.deal_id)) errors.deal_id = t('quote.dealNotFound')
  return errors
}

export type EditorIntent = { kind: 'save' } | { kind: 'add_product' } | { kind: 'remove' | 'up' | 'down'; row: number }

export function editorIntent(value: FormDataEntryValue | null): EditorIntent {
  const m = typeof value === 'string' ? /^(remove|up|down):(\d{1,3})$/.exec(value) : null
  if (m) return { kind: m[1] as 'remove' | 'up' | 'down', row: Number(m[2]) }
  return value === 'add_product' ? { kind: 'add_product' } : { kind: 'save' }
}

/**
 * The editor's posted rows, changed as the button asked (add a catalogue product, move
 * or remove a row), then read and checked by the domain's own rules. Nothing is saved
 * here: the route runs the commands when `errors` is empty.
 */
export function readQuoteEditor(form: FormData, intent: EditorIntent, products: ProductChoice[], { t, locale }: Pick<Auth, 't' | 'locale'>) {
  let rows = rowsFromForm((n) => (typeof form.get(n) === 'string' ? String(form.get(n)) : null))
  const controls = parseForm(form, editorControlsSchema, { t, locale })
  const errors: Record<string, string> = {}
  if (!controls.ok) {
    // The picker only matters when adding; a discount kind that is neither is said beside the discount.
    const { add_product_id: picker, global_discount_kind: kind, ...rest } = controls.fieldErrors
    Object.assign(errors, rest)
    if (picker && intent.kind === 'add_product') errors.add_product_id = picker
    if (kind) errors.global_discount = kind
  }
  const c = controls.ok
    ? controls.value
    : {
        add_product_id: controls.values.add_product_id?.trim().toLowerCase() || null,
        add_product_quantity: controls.values.add_product_quantity?.trim() ?? '',
        global_discount_kind: controls.values.global_discount_kind === 'amount' ? ('amount' as const) : ('percent' as const),
        global_discount: controls.values.global_discount ?? '',
      }
  if (intent.kind === 'remove' && intent.row < rows.length) rows = rows.filter((_, i) => i !== intent.row)
  if ((intent.kind === 'up' || intent.kind === 'down') && rows.length) {
    const j = intent.kind === 'up' ? intent.row - 1 : intent.row + 1
    if (intent.row < rows.length && j >= 0 && j < rows.length && !isBlankRow(rows[j])) {
      ;[rows[intent.row], rows[j]] = [rows[j], rows[intent.row]]
    }
  }
  if (intent.kind === 'add_product') {
    const p = products.find((x) => x.id === c.add_product_id)
    if (!p) errors.add_product_id ??= t('quote.picker.none')
    else {
      const qty = c.add_product_quantity
      const row = { ...p.row, quantity: parseQuantity(qty) ? qty : qty || '1' }
      const spare = rows.length && isBlankRow(rows[rows.length - 1])
      rows = spare ? [...rows.slice(0, -1), row, rows[rows.length - 1]] : [...rows, row]
    }
  }
  const msg = {
    price: t('quote.error.price'),
    discountPercent: t('quote.error.discountPercent'),
    discountAmount: t('quote.error.discountAmount'),
    vatRate: t('quote.error.vatRate'),
  }
  const { lines, rowOf, errors: parseErrors } = linesFromRows(rows, msg)
  Object.assign(errors, parseErrors)
  const gdKind = c.global_discount_kind
  const gdText = c.global_discount
  const globalDiscount = globalDiscountFrom(gdText, gdKind)
  if (globalDiscount === undefined) errors.global_discount = gdKind === 'amount' ? t('quote.error.discountAmount') : t('quote.error.discountPercent')
  try {
    validateQuoteLines(lines, globalDiscount ?? null)
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e
    for (const [k, v] of Object.entries(fieldErrorsOf(locale, e))) errors[rowErrorKey(k, rowOf)] ??= v
  }
  return {
    rows,
    lines,
    rowOf,
    globalDiscount: (globalDiscount ?? null) as Discount | null,
    errors,
    values: { ...rowsToValues(rows), global_discount: gdText, global_discount_kind: gdKind },
  }
}

/** The domain's check of the conditions, as field errors. */
export function quoteFieldErrors(fields: QuoteFields, locale: Locale): Record<string, string> {
  try {
    validateQuoteFields(fields)
    return {}
  } catch (e) {
    if (e instanceof ValidationError) return fieldErrorsOf(locale, e)
    throw e
  }
}

/** Domain errors on lines (`lines.<line>.<field>`) as the page's field names. */
export function pageErrors(e: ValidationError, rowOf: number[], locale: Locale) {
  return Object.fromEntries(Object.entries(fieldErrorsOf(locale, e)).map(([k, v]) => [rowErrorKey(k, rowOf), v]))
}
