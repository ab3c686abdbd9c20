import { formatQuantityFr, parsePercent } from '../../../domain/sales/money'
import { parseEuros } from '../../../domain/shared/money'
import type { QuoteLine } from '../../../domain/sales/quote'
import type { Discount } from '../../../domain/sales/quote-totals'
import { isVatRate, VAT_RATE_LABELS, type VatRate } from '../../../domain/sales/vat'
import { centsToInput } from '~/utils/format'

// The quote editor's form, as plain strings (what inputs hold) and back to domain lines.
// Pure and free of server imports: the action reads the posted form with it, and the
// browser reads its own inputs with it to compute the live totals with the very same
// computeTotals the server runs.

export type LineRow = {
  product_id: string
  code: string
  description: string
  unit: string
  quantity: string
  unit_price: string
  discount: string
  discount_kind: 'percent' | 'amount'
  vat_rate: string
  vat_exemption: string
}

export const LINE_FIELDS = [
  'product_id',
  'code',
  'description',
  'unit',
  'quantity',
  'unit_price',
  'discount',
  'discount_kind',
  'vat_rate',
  'vat_exemption',
] as const

export const blankRow = (): LineRow => ({
  product_id: '',
  code: '',
  description: '',
  unit: '',
  quantity: '1',
  unit_price: '',
  discount: '',
  discount_kind: 'percent',
  vat_rate: '2000',
  vat_exemption: '',
})

/** A row nobody filled: the editor's spare line, skipped when saving. */
export const isBlankRow = (r: LineRow) => !r.product_id && !r.description.trim() && !r.unit_price.trim()

const discountToInput = (d: Discount | null): Pick<LineRow, 'discount' | 'discount_kind'> => {
  if (!d) return { discount: '', discount_kind: 'percent' }
  if (d.kind === 'percent') return { discount: String(d.bps / 100).replace('.', ','), discount_kind: 'percent' }
  return { discount: centsToInput(d.cents), discount_kind: 'amount' }
}

export const rowFromLine = (l: QuoteLine): LineRow => ({
  product_id: l.product_id ?? '',
  code: l.code ?? '',
  description: l.description,
  unit: l.unit ?? '',
  quantity: formatQuantityFr(l.quantity),
  unit_price: centsToInput(l.unit_price_cents),
  ...discountToInput(l.discount),
  vat_rate: String(l.vat_rate),
  vat_exemption: l.vat_exemption ?? '',
})

export const globalToInput = discountToInput

/** The posted rows: `line_count` then `lines.<i>.<field>`. */
export function rowsFromForm(get: (name: string) => string | null): LineRow[] {
  const count = Math.min(Math.max(Number(get('line_count')) || 0, 0), 600)
  const rows: LineRow[] = []
  for (let i = 0; i < count; i++) {
    const row = blankRow()
    for (const f of LINE_FIELDS) {
      const v = get(`lines.${i}.${f}`)
      if (v !== null) (row as Record<string, string>)[f] = v
    }
    row.discount_kind = row.discount_kind === 'amount' ? 'amount' : 'percent'
    rows.push(row)
  }
  return rows
}

export type ParseMessages = { price: string; discountPercent: string; discountAmount: string; vatRate: string }

function parseDiscount(value: string, kind: 'percent' | 'amount'): Discount | null | undefined {
  if (!value.trim()) return null
  if (kind === 'percent') {
    const bps = parsePercent(value)
    return bps === null ? undefined : { kind: 'percent', bps }
  }
  const cents = parseEuros(value)
  return cents === null ? undefined : { kind: 'amount', cents }
}

/**
 * The rows as domain lines (blank rows dropped), what could not be read as field errors
 * named `lines.<row>.<field>`, and for each line the row it came from (domain errors
 * name the line's index, the page names the row's).
 */
export function linesFromRows(rows: LineRow[], msg: ParseMessages): { lines: QuoteLine[]; rowOf: number[]; errors: Record<string, string> } {
  const lines: QuoteLine[] = []
  const rowOf: number[] = []
  const errors: Record<string, string> = {}
  rows.forEach((r, i) => {
    if (isBlankRow(r)) return
    const price = parseEuros(r.unit_price)
    if (price === null) errors[`lines.${i}.unit_price`] = msg.price
    const discount = parseDiscount(r.discount, r.discount_kind)
    if (discount === undefined) errors[`lines.${i}.discount`] = r.discount_kind === 'percent' ? msg.discountPercent : msg.discountAmount
    const rate = Number(r.vat_rate)
    if (!isVatRate(rate)) errors[`lines.${i}.vat_rate`] = msg.vatRate
    rowOf.push(i)
    lines.push({
      product_id: r.product_id || null,
      code: r.code || null,
      description: r.description,
      unit: r.unit || null,
      quantity: r.quantity,
      unit_price_cents: price ?? 0,
      discount: discount ?? null,
      vat_rate: (isVatRate(rate) ? rate : 2000) as VatRate,
      vat_exemption: r.vat_exemption || null,
    })
  })
  return { lines, rowOf, errors }
}

/** The global discount as typed; undefined when it cannot be read. */
export const globalDiscountFrom = (value: string, kind: string) => parseDiscount(value, kind === 'amount' ? 'amount' : 'percent')

/** A domain error key (`lines.<line>.unit_price_cents`) as the page's field name (`lines.<row>.unit_price`). */
export function rowErrorKey(key: string, rowOf: number[]): string {
  const m = /^lines\.(\d+)\.(\w+)$/.exec(key)
  if (!m) return key
  const field = m[2] === 'unit_price_cents' ? 'unit_price' : m[2] === 'product_id' ? 'description' : m[2]
  return `lines.${rowOf[Number(m[1])] ?? m[1]}.${field}`
}

/** Rows for a quote's lines, plus the spare row to type a new one. */
export const editorRows = (lines: QuoteLine[]) => [...lines.map(rowFromLine), blankRow()]

/** The rows with a spare row at the end (added if the last one is filled). */
export const withSpareRow = (rows: LineRow[]) => (rows.length && isBlankRow(rows[rows.length - 1]) ? rows : [...rows, blankRow()])

/** "20 %" for a rate in basis points. */
export const vatLabel = (rate: number) => VAT_RATE_LABELS[rate as VatRate] ?? `${rate / 100} %`
