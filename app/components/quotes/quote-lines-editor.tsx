import { useMemo, useRef, useState, type MouseEvent, type ReactNode } from 'react'
import { ValidationError } from '../../../domain/shared/errors'
import { computeTotals } from '../../../domain/sales/quote-totals'
import { VAT_EXEMPTION_SUGGESTIONS, VAT_RATE_LABELS, VAT_RATES } from '../../../domain/sales/vat'
import { useT } from '~/i18n/use-t'
import { formatEuros } from '~/utils/format'
import { blankRow, globalDiscountFrom, isBlankRow, linesFromRows, type LineRow } from './quote-form'
import { QuoteTotalsTable, type TotalsView } from './quote-totals-table'

export type ProductChoice = { id: string; label: string; category: string | null; price: string; row: LineRow }

type Props = {
  initialRows: LineRow[]
  initialGlobal: { discount: string; discount_kind: 'percent' | 'amount' }
  errors: Record<string, string>
  products: ProductChoice[]
}

const box =
  'rounded-md border bg-white px-2 py-1.5 text-sm text-slate-900 shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-600 focus:border-indigo-600'
const control = `block w-full ${box}`
const iconButton =
  'grid h-8 w-8 place-items-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-30'

/** The totals of the rows that can be priced; the others are named so the page can say they are left out. */
function liveTotals(rows: LineRow[], global: { discount: string; discount_kind: string }, msg: Parameters<typeof linesFromRows>[1]) {
  const { lines, rowOf, errors } = linesFromRows(rows, msg)
  const bad = new Set(Object.keys(errors).map((k) => Number(k.split('.')[1])))
  const gd = globalDiscountFrom(global.discount, global.discount_kind)
  let kept = lines.map((l, i) => ({ l, row: rowOf[i] })).filter((x) => !bad.has(x.row))
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const totals = computeTotals(
        kept.map((x) => x.l),
        gd ?? null,
      )
      const byRow = new Map(kept.map((x, i) => [x.row, totals.lines[i].net_cents]))
      return { totals: totals as TotalsView, byRow, partial: kept.length < lines.length || gd === undefined }
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e
      const named = new Set(
        Object.keys(e.fieldErrors)
          .map((k) => /^lines\.(\d+)\./.exec(k)?.[1])
          .filter(Boolean)
          .map(Number),
      )
      if (named.size === 0) {
        // the global discount (or the grand total) cannot be applied: totals without it
        const totals = computeTotals(
          kept.map((x) => x.l),
          null,
        )
        return { totals: totals as TotalsView, byRow: new Map(kept.map((x, i) => [x.row, totals.lines[i].net_cents])), partial: true }
      }
      kept = kept.filter((_, i) => !named.has(i))
    }
  }
  return { totals: computeTotals([], null) as TotalsView, byRow: new Map<number, number>(), partial: true }
}

/**
 * The lines of a quote: catalogue or free text, quantity with decimals, unit price,
 * discount % or €, VAT rate (and the mention at 0 %), reordering and removal, the
 * global discount and the totals. Without JavaScript every button posts the form (the
 * action saves, then adds, moves or removes); with it they act on the page and the
 * totals follow every keystroke, computed by the same computeTotals as the server.
 */
export function QuoteLinesEditor({ initialRows, initialGlobal, errors, products }: Props) {
  const t = useT()
  const [rows, setRows] = useState(initialRows)
  const [global, setGlobal] = useState(initialGlobal)
  const pickerRef = useRef<HTMLSelectElement>(null)
  const pickerQty = useRef<HTMLInputElement>(null)
  const descRefs = useRef(new Map<number, HTMLTextAreaElement>())
  const [focusRow, setFocusRow] = useState<number | null>(null)
  const msg = {
    price: t('quote.error.price'),
    discountPercent: t('quote.error.discountPercent'),
    discountAmount: t('quote.error.discountAmount'),
    vatRate: t('quote.error.vatRate'),
  }
  const live = useMemo(() => liveTotals(rows, global, msg), [rows, global]) // eslint-disable-line react-hooks/exhaustive-deps

  // With JavaScript the buttons act here; without it they submit (name="intent").
  const act = (fn: () => void) => (e: MouseEvent) => {
    e.preventDefault()
    fn()
  }
  const move = (i: number, d: -1 | 1) =>
    setRows((rs) => {
      const next = [...rs]
      ;[next[i], next[i + d]] = [next[i + d], next[i]]
      return next
    })
  const withSpare = (rs: LineRow[]) => (rs.length && isBlankRow(rs[rs.length - 1]) ? rs : [...rs, blankRow()])
  // Typing in the blank "Nouvelle ligne…" row makes it a line: a next blank row appears at once.
  const setField = (i: number, field: keyof LineRow, value: string) => setRows((rs) => withSpare(rs.map((r, j) => (j === i ? { ...r, [field]: value } : r))))
  const insertBeforeSpare = (row: LineRow) =>
    setRows((rs) => {
      const spare = rs.length && isBlankRow(rs[rs.length - 1])
      return spare ? [...rs.slice(0, -1), row, rs[rs.length - 1]] : [...rs, row, blankRow()]
    })

  const lastFilled = rows.length - (rows.length && isBlankRow(rows[rows.length - 1]) ? 1 : 0)
  const productGroups = useMemo(() => {
    const m = new Map<string, ProductChoice[]>()
    for (const p of products) m.set(p.category ?? '', [...(m.get(p.category ?? '') ?? []), p])
    return [...m]
  }, [products])

  const field = (
    i: number,
    name: keyof LineRow,
    label: string,
    input: (id: string, describedBy: string | undefined, invalid: boolean) => ReactNode,
    className = '',
  ) => {
    const key = `lines.${i}.${name}`
    const error = errors[key]
    return (
      <div className={`min-w-0 ${className}`}>
        <label htmlFor={`f-${key}`} className="mb-0.5 block text-xs font-medium text-slate-700 md:sr-only">
          {label}
          <span className="sr-only"> ({t('quote.line.nth', { n: i + 1 })})</span>
        </label>
        {input(`f-${key}`, error ? `${key}-error` : undefined, !!error)}
        {error ? (
          <p id={`${key}-error`} className="mt-1 text-xs font-medium text-red-700">
            {error}
          </p>
        ) : null}
      </div>
    )
  }
  const cls = (invalid: boolean, extra = '') => `${control} ${invalid ? 'border-red-600' : 'border-slate-300'} ${extra}`

  return (
    <div>
      <input type="hidden" name="line_count" value={rows.length} />
      <div
        className="hidden grid-cols-[1.5rem_minmax(0,1fr)_5rem_5.5rem_7rem_8.5rem_5.5rem_7rem_6.5rem] gap-2 border-b border-slate-200 pb-2 text-xs font-semibold uppercase tracking-wide text-slate-600 md:grid"
        aria-hidden="true"
      >
        <span>#</span>
        <span>{t('quote.line.description')}</span>
        <span className="text-right">{t('quote.line.quantity')}</span>
        <span>{t('quote.line.unit')}</span>
        <span className="text-right">{t('quote.line.unitPrice')}</span>
        <span>{t('quote.line.discount')}</span>
        <span>{t('quote.line.vat')}</span>
        <span className="text-right">{t('quote.line.total')}</span>
        <span />
      </div>
      <ol className="divide-y divide-slate-100" data-testid="quote-lines">
        {rows.map((r, i) => {
          const spare = i === rows.length - 1 && isBlankRow(r)
          const net = live.byRow.get(i)
          return (
            <li
              key={i}
              className={`grid grid-cols-2 gap-x-3 gap-y-2 py-3 md:grid-cols-[1.5rem_minmax(0,1fr)_5rem_5.5rem_7rem_8.5rem_5.5rem_7rem_6.5rem] md:items-start md:gap-2 ${spare ? 'bg-slate-50/60' : ''}`}
              data-testid="quote-line"
            >
              <span className="hidden pt-2 text-xs font-medium tabular-nums text-slate-500 md:block" aria-hidden="true">
                {spare ? '+' : i + 1}
              </span>
              <input type="hidden" name={`lines.${i}.product_id`} value={r.product_id} />
              <input type="hidden" name={`lines.${i}.code`} value={r.code} />
              {field(
                i,
                'description',
                spare ? t('quote.line.newDescription') : t('quote.line.description'),
                (id, d, inv) => (
                  <textarea
                    id={id}
                    name={`lines.${i}.description`}
                    rows={r.description.includes('\n') ? 2 : 1}
                    value={r.description}
                    aria-invalid={inv || undefined}
                    aria-describedby={d}
                    placeholder={spare ? t('quote.line.newPlaceholder') : undefined}
                    ref={(el) => {
                      if (el) {
                        descRefs.current.set(i, el)
                        if (focusRow === i) {
                          el.focus()
                          setFocusRow(null)
                        }
                      }
                    }}
                    onChange={(e) => setField(i, 'description', e.target.value)}
                    className={cls(inv, 'resize-y')}
                  />
                ),
                'col-span-2 md:col-span-1',
              )}
              {field(i, 'quantity', t('quote.line.quantity'), (id, d, inv) => (
                <input
                  id={id}
                  name={`lines.${i}.quantity`}
                  inputMode="decimal"
                  value={r.quantity}
                  aria-invalid={inv || undefined}
                  aria-describedby={d}
                  onChange={(e) => setField(i, 'quantity', e.target.value)}
                  className={cls(inv, 'text-right tabular-nums')}
                />
              ))}
              {field(i, 'unit', t('quote.line.unit'), (id, d, inv) => (
                <input
                  id={id}
                  name={`lines.${i}.unit`}
                  value={r.unit}
                  aria-invalid={inv || undefined}
                  aria-describedby={d}
                  list="quote-units"
                  onChange={(e) => setField(i, 'unit', e.target.value)}
                  className={cls(inv)}
                />
              ))}
              {field(i, 'unit_price', t('quote.line.unitPrice'), (id, d, inv) => (
                <input
                  id={id}
                  name={`lines.${i}.unit_price`}
                  inputMode="decimal"
                  value={r.unit_price}
                  aria-invalid={inv || undefined}
                  aria-describedby={d}
                  onChange={(e) => setField(i, 'unit_price', e.target.value)}
                  className={cls(inv, 'text-right tabular-nums')}
                />
              ))}
              {field(i, 'discount', t('quote.line.discount'), (id, d, inv) => (
                <div className="flex gap-1">
                  <input
                    id={id}
                    name={`lines.${i}.discount`}
                    inputMode="decimal"
                    value={r.discount}
                    aria-invalid={inv || undefined}
                    aria-describedby={d}
                    onChange={(e) => setField(i, 'discount', e.target.value)}
                    className={cls(inv, 'min-w-0 text-right tabular-nums')}
                  />
                  <select
                    name={`lines.${i}.discount_kind`}
                    value={r.discount_kind}
                    aria-label={t('quote.line.discountKind', { n: i + 1 })}
                    onChange={(e) => setField(i, 'discount_kind', e.target.value)}
                    className={`${box} w-12 flex-none border-slate-300 !px-1`}
                  >
                    <option value="percent">%</option>
                    <option value="amount">€</option>
                  </select>
                </div>
              ))}
              {field(i, 'vat_rate', t('quote.line.vat'), (id, d, inv) => (
                <select
                  id={id}
                  name={`lines.${i}.vat_rate`}
                  value={r.vat_rate}
                  aria-invalid={inv || undefined}
                  aria-describedby={d}
                  onChange={(e) => setField(i, 'vat_rate', e.target.value)}
                  className={cls(inv, 'px-1')}
                >
                  {VAT_RATES.map((v) => (
                    <option key={v} value={v}>
                      {VAT_RATE_LABELS[v]}
                    </option>
                  ))}
                </select>
              ))}
              <div className="min-w-0 md:pt-2 md:text-right">
                <span className="block text-xs font-medium text-slate-700 md:hidden">{t('quote.line.total')}</span>
                <span className="text-sm font-medium tabular-nums text-slate-900" data-testid="line-total">
                  {net === undefined ? (spare ? '' : '—') : formatEuros(net)}
                </span>
              </div>
              <div className="col-span-2 flex items-center justify-end gap-0.5 md:col-span-1">
                {!spare ? (
                  <>
                    <button
                      type="submit"
                      name="intent"
                      value={`up:${i}`}
                      disabled={i === 0}
                      onClick={act(() => move(i, -1))}
                      className={iconButton}
                      title={t('quote.line.up')}
                    >
                      <span aria-hidden="true">↑</span>
                      <span className="sr-only">{t('quote.line.upNth', { n: i + 1 })}</span>
                    </button>
                    <button
                      type="submit"
                      name="intent"
                      value={`down:${i}`}
                      disabled={i >= lastFilled - 1}
                      onClick={act(() => move(i, 1))}
                      className={iconButton}
                      title={t('quote.line.down')}
                    >
                      <span aria-hidden="true">↓</span>
                      <span className="sr-only">{t('quote.line.downNth', { n: i + 1 })}</span>
                    </button>
                    <button
                      type="submit"
                      name="intent"
                      value={`remove:${i}`}
                      onClick={act(() => setRows((rs) => withSpare(rs.filter((_, j) => j !== i))))}
                      className={`${iconButton} hover:bg-red-50 hover:text-red-800`}
                      title={t('quote.line.remove')}
                    >
                      <span aria-hidden="true">✕</span>
                      <span className="sr-only">{t('quote.line.removeNth', { n: i + 1 })}</span>
                    </button>
                  </>
                ) : (
                  <button
                    type="submit"
                    name="intent"
                    value="add_line"
                    className="whitespace-nowrap rounded-md px-2 py-1.5 text-xs font-semibold text-indigo-800 ring-1 ring-inset ring-indigo-200 hover:bg-indigo-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                    onClick={act(() => setFocusRow(i))}
                  >
                    {t('quote.line.add')}
                  </button>
                )}
              </div>
              {Number(r.vat_rate) === 0 || errors[`lines.${i}.vat_exemption`] ? (
                field(
                  i,
                  'vat_exemption',
                  t('quote.line.exemption'),
                  (id, d, inv) => (
                    <input
                      id={id}
                      name={`lines.${i}.vat_exemption`}
                      value={r.vat_exemption}
                      list="quote-exemptions"
                      aria-invalid={inv || undefined}
                      aria-describedby={d}
                      placeholder={VAT_EXEMPTION_SUGGESTIONS[0]}
                      onChange={(e) => setField(i, 'vat_exemption', e.target.value)}
                      className={cls(inv)}
                    />
                  ),
                  'col-span-2 md:col-start-2 md:col-end-8 md:[&_label]:not-sr-only',
                )
              ) : (
                <input type="hidden" name={`lines.${i}.vat_exemption`} value={r.vat_exemption} />
              )}
            </li>
          )
        })}
      </ol>
      {errors.lines ? (
        <p id="lines-error" className="mt-2 text-sm font-medium text-red-700">
          {errors.lines}
        </p>
      ) : null}
      <datalist id="quote-units">
        {['unité', 'heure', 'jour', 'forfait', 'mois', 'licence/mois', 'an', 'kg', 'm²'].map((u) => (
          <option key={u} value={u} />
        ))}
      </datalist>
      <datalist id="quote-exemptions">
        {VAT_EXEMPTION_SUGGESTIONS.map((u) => (
          <option key={u} value={u} />
        ))}
      </datalist>

      <div className="mt-4 grid gap-6 border-t border-slate-200 pt-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-4">
          {products.length ? (
            <fieldset className="rounded-md border border-slate-200 p-3">
              <legend className="px-1 text-sm font-semibold text-slate-900">{t('quote.picker.title')}</legend>
              <div className="flex flex-wrap items-end gap-2">
                <div className="min-w-[14rem] flex-1">
                  <label htmlFor="f-add_product_id" className="block text-xs font-medium text-slate-700">
                    {t('quote.picker.product')}
                  </label>
                  <select id="f-add_product_id" name="add_product_id" ref={pickerRef} defaultValue="" className={`${control} mt-0.5 border-slate-300`}>
                    <option value="">{t('quote.picker.choose')}</option>
                    {productGroups.map(([cat, ps]) => (
                      <optgroup key={cat} label={cat || t('quote.picker.noCategory')}>
                        {ps.map((p) => (
                          <option key={p.id} value={p.id}>
                            {p.label} — {p.price}
                          </option>
                        ))}
                      </optgroup>
                    ))}
                  </select>
                </div>
                <div className="w-24">
                  <label htmlFor="f-add_product_quantity" className="block text-xs font-medium text-slate-700">
                    {t('quote.line.quantity')}
                  </label>
                  <input
                    id="f-add_product_quantity"
                    name="add_product_quantity"
                    ref={pickerQty}
                    inputMode="decimal"
                    defaultValue="1"
                    className={`${control} mt-0.5 border-slate-300 text-right`}
                  />
                </div>
                <button
                  type="submit"
                  name="intent"
                  value="add_product"
                  className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-indigo-800 shadow-sm ring-1 ring-inset ring-indigo-300 hover:bg-indigo-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                  onClick={act(() => {
                    const p = products.find((x) => x.id === pickerRef.current?.value)
                    if (!p) {
                      pickerRef.current?.focus()
                      return
                    }
                    insertBeforeSpare({ ...p.row, quantity: pickerQty.current?.value.trim() || '1' })
                    if (pickerRef.current) pickerRef.current.value = ''
                    if (pickerQty.current) pickerQty.current.value = '1'
                  })}
                >
                  {t('quote.picker.add')}
                </button>
              </div>
              {errors.add_product_id ? (
                <p id="add_product_id-error" className="mt-1 text-xs font-medium text-red-700">
                  {errors.add_product_id}
                </p>
              ) : null}
            </fieldset>
          ) : null}
          <fieldset className="max-w-sm">
            <legend className="text-sm font-semibold text-slate-900">{t('quote.globalDiscount')}</legend>
            <div className="mt-1 flex gap-1">
              <label htmlFor="f-global_discount" className="sr-only">
                {t('quote.globalDiscountValue')}
              </label>
              <input
                id="f-global_discount"
                name="global_discount"
                inputMode="decimal"
                value={global.discount}
                aria-invalid={errors.global_discount ? true : undefined}
                aria-describedby={errors.global_discount ? 'global_discount-error' : 'global_discount-hint'}
                onChange={(e) => setGlobal((g) => ({ ...g, discount: e.target.value }))}
                className={`${box} w-32 text-right tabular-nums ${errors.global_discount ? 'border-red-600' : 'border-slate-300'}`}
              />
              <select
                name="global_discount_kind"
                value={global.discount_kind}
                aria-label={t('quote.globalDiscountKind')}
                onChange={(e) => setGlobal((g) => ({ ...g, discount_kind: e.target.value === 'amount' ? 'amount' : 'percent' }))}
                className={`${box} w-16 border-slate-300`}
              >
                <option value="percent">%</option>
                <option value="amount">€</option>
              </select>
            </div>
            <p id="global_discount-hint" className="mt-1 text-xs text-slate-600">
              {t('quote.globalDiscountHint')}
            </p>
            {errors.global_discount ? (
              <p id="global_discount-error" className="mt-1 text-xs font-medium text-red-700">
                {errors.global_discount}
              </p>
            ) : null}
          </fieldset>
        </div>
        <QuoteTotalsTable totals={live.totals} live note={live.partial ? t('quote.totals.partial') : null} />
      </div>
    </div>
  )
}
