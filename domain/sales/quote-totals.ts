import { ValidationError, type FieldProblems, type Problem } from '../shared/errors.js'
import { MAX_AMOUNT_CENTS } from '../shared/plausible.js'
import { divRoundHalfUp, MAX_UNIT_PRICE_CENTS, parseQuantity } from './money.js'
import { checkVat, type VatRate } from './vat.js'

// The totals of a commercial document: quotes now, invoices and credit notes later
// (domain/billing imports `computeTotals`, so a quote and the invoice made from it
// always agree to the cent). The rule is ADR 0009 (docs/decisions/0009-vat-rounding.md):
//
//   1. line gross HT    = quantity × unit price, rounded half up to the cent
//   2. line discount    = % of the rounded gross, rounded half up (or an amount in cents)
//      line net HT      = gross − discount
//   3. global discount  = % of Σ line nets, rounded half up (or an amount in cents),
//      spread over the VAT rates pro rata to their Σ line nets, largest remainder
//   4. VAT base of a rate = Σ line nets at that rate − its share of the global discount
//      VAT of a rate     = base × rate, rounded half up ONCE per rate (never per line)
//   5. total HT = Σ bases; TTC = total HT + Σ VAT
//
// Every printed figure is either typed or follows from printed figures by one rounding,
// so a customer can check the document with a pocket calculator.

export type Discount = { kind: 'percent'; bps: number } | { kind: 'amount'; cents: number }

/** What the arithmetic needs of a line (a quote line has more: description, unit…). */
export type PricedLine = {
  /** Decimal string, up to 3 decimals: "2.5", "0.333". */
  quantity: string
  unit_price_cents: number
  discount?: Discount | null
  vat_rate: VatRate
  /** Required at 0 %: lines at 0 % with different mentions are different VAT groups. */
  vat_exemption?: string | null
}

export type LineTotals = { gross_cents: number; discount_cents: number; net_cents: number }

export type VatGroup = {
  rate: VatRate
  exemption: string | null
  /** Σ net HT of the lines at this rate, before the global discount. */
  lines_net_cents: number
  /** This rate's share of the global discount. */
  discount_cents: number
  /** The taxable base: lines_net_cents − discount_cents. */
  base_cents: number
  vat_cents: number
}

export type DocumentTotals = {
  lines: LineTotals[]
  /** Σ line nets: the "Total HT avant remise" shown when there is a global discount. */
  lines_net_cents: number
  global_discount_cents: number
  total_ht_cents: number
  /** One group per rate (and per mention at 0 %), highest rate first. */
  vat: VatGroup[]
  total_vat_cents: number
  total_ttc_cents: number
}

const TEN_THOUSAND = 10_000n

function discountErrors(d: Discount | null | undefined): Problem | null {
  if (!d) return null
  if (d.kind === 'percent') return Number.isInteger(d.bps) && d.bps >= 0 && d.bps <= 10_000 ? null : 'discount.percent.range'
  if (d.kind === 'amount') return Number.isSafeInteger(d.cents) && d.cents >= 0 ? null : 'discount.amount.invalid'
  return 'discount.invalid'
}

/** The discount in cents on `amount` (already checked by `discountErrors`). */
function discountOn(amount: bigint, d: Discount | null | undefined): bigint {
  if (!d) return 0n
  return d.kind === 'percent' ? divRoundHalfUp(amount * BigInt(d.bps), TEN_THOUSAND) : BigInt(d.cents)
}

const groupKey = (rate: VatRate, exemption: string | null) => `${rate}|${rate === 0 ? (exemption ?? '') : ''}`

/**
 * HT, VAT per rate and TTC of a document's lines, exactly (integer arithmetic).
 * Throws a ValidationError naming `lines.<i>.<field>` or `global_discount` when a line
 * cannot be priced (bad quantity, discount above the amount, 0 % without mention…).
 *
 * @example
 * computeTotals([{ quantity: '2.5', unit_price_cents: 45_000, vat_rate: 2000 }])
 * // lines: [{ gross_cents: 112_500, discount_cents: 0, net_cents: 112_500 }],
 * // vat: [{ rate: 2000, base_cents: 112_500, vat_cents: 22_500, … }], total_ttc_cents: 135_000
 */
export function computeTotals(lines: PricedLine[], globalDiscount?: Discount | null): DocumentTotals {
  const errors: FieldProblems = {}
  const out: LineTotals[] = []
  const groups = new Map<string, { rate: VatRate; exemption: string | null; net: bigint }>()

  lines.forEach((line, i) => {
    const f = (name: string) => `lines.${i}.${name}`
    const q = parseQuantity(line.quantity)
    if (!q) errors[f('quantity')] = 'quote.line.quantity.invalid'
    else if (q.milli === 0n) errors[f('quantity')] = 'quote.line.quantity.zero'
    const price = line.unit_price_cents
    if (!Number.isSafeInteger(price) || price < 0) errors[f('unit_price_cents')] = 'quote.line.unit_price.invalid'
    else if (price > MAX_UNIT_PRICE_CENTS) errors[f('unit_price_cents')] = 'unit_price.too_large'
    const vat = checkVat(line.vat_rate, line.vat_exemption)
    if (!vat.ok) errors[f(vat.field)] = vat.problem
    const dErr = discountErrors(line.discount)
    if (dErr) errors[f('discount')] = dErr
    if (!q || errors[f('quantity')] || errors[f('unit_price_cents')] || dErr || !vat.ok) {
      out.push({ gross_cents: 0, discount_cents: 0, net_cents: 0 })
      return
    }

    // 1. gross = quantity (thousandths) × price (cents) / 1000, half up.
    const gross = divRoundHalfUp(q.milli * BigInt(price), 1000n)
    if (gross > BigInt(MAX_AMOUNT_CENTS)) {
      errors[f('quantity')] = 'quote.line.amount.too_large'
      out.push({ gross_cents: 0, discount_cents: 0, net_cents: 0 })
      return
    }
    // 2. discount on the rounded gross.
    const discount = discountOn(gross, line.discount)
    if (discount > gross) {
      errors[f('discount')] = 'quote.line.discount.exceeds'
      out.push({ gross_cents: 0, discount_cents: 0, net_cents: 0 })
      return
    }
    const net = gross - discount
    out.push({ gross_cents: Number(gross), discount_cents: Number(discount), net_cents: Number(net) })
    const key = groupKey(vat.rate, vat.exemption)
    const g = groups.get(key) ?? { rate: vat.rate, exemption: vat.exemption, net: 0n }
    g.net += net
    groups.set(key, g)
  })

  const gErr = discountErrors(globalDiscount)
  if (gErr) errors.global_discount = gErr
  if (Object.keys(errors).length) throw new ValidationError(errors)

  const ordered = [...groups.values()].sort(
    (a, b) => b.rate - a.rate || ((a.exemption ?? '') < (b.exemption ?? '') ? -1 : (a.exemption ?? '') > (b.exemption ?? '') ? 1 : 0),
  )
  const linesNet = ordered.reduce((s, g) => s + g.net, 0n)
  if (linesNet > BigInt(MAX_AMOUNT_CENTS)) throw new ValidationError({ lines: 'quote.total.too_large' })

  // 3. global discount, then its spread over the rates (largest remainder method).
  const global = discountOn(linesNet, globalDiscount)
  if (global > linesNet) throw new ValidationError({ global_discount: 'quote.global_discount.exceeds' })
  const shares = ordered.map((g) => (linesNet === 0n ? 0n : (global * g.net) / linesNet))
  const remainders = ordered.map((g, i) => ({ i, r: linesNet === 0n ? 0n : (global * g.net) % linesNet }))
  let left = global - shares.reduce((s, x) => s + x, 0n)
  // Largest remainder first; a tie goes to the group listed first (the higher rate).
  remainders.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i))
  for (const { i } of remainders) {
    if (left === 0n) break
    shares[i] += 1n
    left -= 1n
  }

  // 4. VAT once per rate, on the rate's base.
  const vat: VatGroup[] = ordered.map((g, i) => {
    const base = g.net - shares[i]
    const tax = divRoundHalfUp(base * BigInt(g.rate), TEN_THOUSAND)
    return {
      rate: g.rate,
      exemption: g.exemption,
      lines_net_cents: Number(g.net),
      discount_cents: Number(shares[i]),
      base_cents: Number(base),
      vat_cents: Number(tax),
    }
  })
  // 5. totals.
  const totalHt = linesNet - global
  const totalVat = vat.reduce((s, g) => s + BigInt(g.vat_cents), 0n)
  return {
    lines: out,
    lines_net_cents: Number(linesNet),
    global_discount_cents: Number(global),
    total_ht_cents: Number(totalHt),
    vat,
    total_vat_cents: Number(totalVat),
    total_ttc_cents: Number(totalHt + totalVat),
  }
}
