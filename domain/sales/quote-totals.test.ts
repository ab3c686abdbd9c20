import { describe, expect, it } from 'vitest'
import { ValidationError } from '../shared/errors.js'
import { computeTotals, type PricedLine } from './quote-totals.js'

// Every expected figure below was worked out by hand; the arithmetic is in the comments.
// Amounts are cents: 85 000 = 850,00 €. "½↑" = rounded half up to the cent.

const line = (quantity: string, unit_price_cents: number, vat_rate: PricedLine['vat_rate'], more: Partial<PricedLine> = {}): PricedLine => ({
  quantity,
  unit_price_cents,
  vat_rate,
  ...more,
})

const fieldErrors = (fn: () => unknown): Record<string, unknown> => {
  try {
    fn()
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors
    throw e
  }
  throw new Error('expected a ValidationError')
}

describe('computeTotals, the worked example of ADR 0009', () => {
  // Six lines at four rates, a % and an amount line discount, 0,333 and 2,5 quantities,
  // a 0 % line with its mention, then a 5 % global discount.
  const lines: PricedLine[] = [
    // 1. 3 × 850,00 = 2 550,00 ; −10 % = −255,00 → net 2 295,00 (20 %)
    line('3', 85_000, 2000, { discount: { kind: 'percent', bps: 1000 } }),
    // 2. 12 × 49,90 = 598,80 ; −50,00 € → net 548,80 (20 %)
    line('12', 4_990, 2000, { discount: { kind: 'amount', cents: 5_000 } }),
    // 3. 7 × 23,45 = 164,15 (5,5 %)
    line('7', 2_345, 550),
    // 4. 2,5 × 19,99 = 49,975 → ½↑ 49,98 (10 %)
    line('2.5', 1_999, 1000),
    // 5. 1 × 1 200,00 = 1 200,00, exempt (0 %)
    line('1', 120_000, 0, { vat_exemption: 'Exonération de TVA, article 261, 4, 4° du CGI' }),
    // 6. 0,333 × 75,50 = 25,1415 → ½↑ 25,14 (20 %)
    line('0.333', 7_550, 2000),
  ]
  const t = computeTotals(lines, { kind: 'percent', bps: 500 })

  it('rounds each line HT to the cent, discount taken on the rounded gross', () => {
    expect(t.lines).toEqual([
      { gross_cents: 255_000, discount_cents: 25_500, net_cents: 229_500 }, // 255 000 × 10 % = 25 500
      { gross_cents: 59_880, discount_cents: 5_000, net_cents: 54_880 },
      { gross_cents: 16_415, discount_cents: 0, net_cents: 16_415 },
      { gross_cents: 4_998, discount_cents: 0, net_cents: 4_998 }, // 2 500 × 1 999 / 1 000 = 4 997,5 → 4 998
      { gross_cents: 120_000, discount_cents: 0, net_cents: 120_000 },
      { gross_cents: 2_514, discount_cents: 0, net_cents: 2_514 }, // 333 × 7 550 / 1 000 = 2 514,15 → 2 514
    ])
  })

  it('spreads the global discount over the rates by largest remainder and rounds VAT once per rate', () => {
    // Σ nets per rate: 20 % = 229 500 + 54 880 + 2 514 = 286 894 ; 10 % = 4 998 ; 5,5 % = 16 415 ; 0 % = 120 000
    // S = 428 307 ; global discount G = 428 307 × 5 % = 21 415,35 → 21 415
    // G × net / S, floor and remainder:
    //   20 %  : 21 415 × 286 894 = 6 143 835 010 = 14 344 × 428 307 + 199 402
    //   10 %  : 21 415 ×   4 998 =   107 032 170 =    249 × 428 307 + 383 727
    //   5,5 % : 21 415 ×  16 415 =   351 527 225 =    820 × 428 307 + 315 485
    //   0 %   : 21 415 × 120 000 = 2 569 800 000 =  5 999 × 428 307 + 386 307
    // Σ floors = 21 412 → 3 cents left, to the 3 largest remainders: 0 %, 10 %, 5,5 %
    // → shares 14 344 / 250 / 821 / 6 000 (Σ = 21 415)
    // Bases: 272 550 / 4 748 / 15 594 / 114 000
    // VAT: 272 550 × 20 % = 54 510 ; 4 748 × 10 % = 474,8 → 475 ; 15 594 × 5,5 % = 857,67 → 858 ; 0
    expect(t.vat).toEqual([
      { rate: 2000, exemption: null, lines_net_cents: 286_894, discount_cents: 14_344, base_cents: 272_550, vat_cents: 54_510 },
      { rate: 1000, exemption: null, lines_net_cents: 4_998, discount_cents: 250, base_cents: 4_748, vat_cents: 475 },
      { rate: 550, exemption: null, lines_net_cents: 16_415, discount_cents: 821, base_cents: 15_594, vat_cents: 858 },
      {
        rate: 0,
        exemption: 'Exonération de TVA, article 261, 4, 4° du CGI',
        lines_net_cents: 120_000,
        discount_cents: 6_000,
        base_cents: 114_000,
        vat_cents: 0,
      },
    ])
  })

  it('totals HT, VAT and TTC', () => {
    // HT = 428 307 − 21 415 = 406 892 (= Σ bases) ; VAT = 54 510 + 475 + 858 = 55 843 ; TTC = 462 735
    expect(t).toMatchObject({
      lines_net_cents: 428_307,
      global_discount_cents: 21_415,
      total_ht_cents: 406_892,
      total_vat_cents: 55_843,
      total_ttc_cents: 462_735,
    })
  })
})

describe('computeTotals, rounding', () => {
  it('computes VAT once per rate, not per line', () => {
    // Three lines of 0,03 € at 20 %. Per line: 0,6 → 1 cent each, 3 cents. Per rate: 9 × 20 % = 1,8 → 2 cents.
    const t = computeTotals([line('1', 3, 2000), line('1', 3, 2000), line('1', 3, 2000)])
    expect(t.vat).toEqual([{ rate: 2000, exemption: null, lines_net_cents: 9, discount_cents: 0, base_cents: 9, vat_cents: 2 }])
    expect(t.total_ttc_cents).toBe(11)
  })

  it('rounds a line gross half up', () => {
    expect(computeTotals([line('0.5', 1, 2000)]).lines[0].gross_cents).toBe(1) // 0,5 cent → 1
    expect(computeTotals([line('0.005', 100, 2000)]).lines[0].gross_cents).toBe(1) // 5 × 100 / 1 000 = 0,5 → 1
    expect(computeTotals([line('1.5', 3, 2000)]).lines[0].gross_cents).toBe(5) // 4,5 → 5
    expect(computeTotals([line('0.333', 150, 2000)]).lines[0].gross_cents).toBe(50) // 49,95 → 50
    expect(computeTotals([line('0.333', 149, 2000)]).lines[0].gross_cents).toBe(50) // 49,617 → 50
    expect(computeTotals([line('0.333', 148, 2000)]).lines[0].gross_cents).toBe(49) // 49,284 → 49
  })

  it('rounds VAT half up at x,5 cents', () => {
    // 1,00 € at 5,5 % = 5,5 cents → 6
    expect(computeTotals([line('1', 100, 550)]).total_vat_cents).toBe(6)
    // 5,00 € at 2,1 % = 10,5 cents → 11
    expect(computeTotals([line('1', 500, 210)]).total_vat_cents).toBe(11)
    // 0,45 € at 10 % = 4,5 cents → 5 ; 0,44 € → 4,4 → 4
    expect(computeTotals([line('1', 45, 1000)]).total_vat_cents).toBe(5)
    expect(computeTotals([line('1', 44, 1000)]).total_vat_cents).toBe(4)
  })

  it('handles 5,5 % with odd cents', () => {
    // 3 × 3,37 = 10,11 ; 10,11 × 5,5 % = 55,605 cents → 56 ; TTC 1 011 + 56 = 1 067
    const t = computeTotals([line('3', 337, 550)])
    expect(t).toMatchObject({ total_ht_cents: 1_011, total_vat_cents: 56, total_ttc_cents: 1_067 })
    // 10,10 € at 5,5 % = 55,55 cents → 56 ; 10,09 € → 55,495 → 55
    expect(computeTotals([line('1', 1_010, 550)]).total_vat_cents).toBe(56)
    expect(computeTotals([line('1', 1_009, 550)]).total_vat_cents).toBe(55)
  })

  it('rounds a % line discount half up on the rounded gross', () => {
    // 10,05 € − 10 % = 100,5 cents → 101 ; net 904
    expect(computeTotals([line('1', 1_005, 2000, { discount: { kind: 'percent', bps: 1000 } })]).lines[0]).toEqual({
      gross_cents: 1_005,
      discount_cents: 101,
      net_cents: 904,
    })
    // 2,5 × 19,99 = 49,975 → 49,98 ; −12,5 % = 624,75 cents → 625 ; net 4 373
    expect(computeTotals([line('2.5', 1_999, 2000, { discount: { kind: 'percent', bps: 1250 } })]).lines[0]).toEqual({
      gross_cents: 4_998,
      discount_cents: 625,
      net_cents: 4_373,
    })
  })
})

describe('computeTotals, global discount', () => {
  it('spreads an amount pro rata over two rates, the leftover cent to the largest remainder', () => {
    // 1 000,00 € at 20 % and 500,00 € at 5,5 % ; global −100,00 € ; S = 150 000, G = 10 000
    // 20 %  : 10 000 × 100 000 / 150 000 = 6 666 rest 100 000
    // 5,5 % : 10 000 ×  50 000 / 150 000 = 3 333 rest  50 000 → the spare cent goes to 20 %
    // Bases 93 333 and 46 667 ; VAT 18 666,6 → 18 667 and 46 667 × 5,5 % = 2 566,685 → 2 567
    const t = computeTotals([line('1', 100_000, 2000), line('1', 50_000, 550)], { kind: 'amount', cents: 10_000 })
    expect(t.vat.map((g) => [g.rate, g.discount_cents, g.base_cents, g.vat_cents])).toEqual([
      [2000, 6_667, 93_333, 18_667],
      [550, 3_333, 46_667, 2_567],
    ])
    // HT 150 000 − 10 000 = 140 000 ; VAT 21 234 ; TTC 161 234
    expect(t).toMatchObject({ global_discount_cents: 10_000, total_ht_cents: 140_000, total_vat_cents: 21_234, total_ttc_cents: 161_234 })
  })

  it('gives a tied cent to the higher rate', () => {
    // 1,00 € at 20 % and 1,00 € at 10 % ; global −0,01 € : both shares 0 rest 100 → the cent goes to 20 %
    // Bases 99 and 100 ; VAT 19,8 → 20 and 10
    const t = computeTotals([line('1', 100, 1000), line('1', 100, 2000)], { kind: 'amount', cents: 1 })
    expect(t.vat.map((g) => [g.rate, g.discount_cents, g.base_cents, g.vat_cents])).toEqual([
      [2000, 1, 99, 20],
      [1000, 0, 100, 10],
    ])
    expect(t.total_ttc_cents).toBe(199 + 30)
  })

  it('rounds a % global discount once on the total, then spreads it', () => {
    // 3 lines of 0,33 € at 20 %, 10 %, 5,5 % ; S = 99 ; −10 % = 9,9 → 10 cents
    // each 10 × 33 / 99 = 3 rest 33 → 1 cent left, tie → 20 % ; shares 4 / 3 / 3
    const t = computeTotals([line('1', 33, 550), line('1', 33, 1000), line('1', 33, 2000)], { kind: 'percent', bps: 1000 })
    expect(t.global_discount_cents).toBe(10)
    expect(t.vat.map((g) => g.discount_cents)).toEqual([4, 3, 3])
    // bases 29 / 30 / 30 ; VAT 5,8 → 6 ; 3 ; 1,65 → 2 ; HT 89, TTC 100
    expect(t.vat.map((g) => g.vat_cents)).toEqual([6, 3, 2])
    expect(t).toMatchObject({ total_ht_cents: 89, total_vat_cents: 11, total_ttc_cents: 100 })
  })

  it('accepts a 100 % global discount', () => {
    const t = computeTotals([line('2', 1_234, 2000)], { kind: 'percent', bps: 10_000 })
    expect(t).toMatchObject({ total_ht_cents: 0, total_vat_cents: 0, total_ttc_cents: 0 })
  })
})

describe('computeTotals, 0 %', () => {
  it('keeps 0 % lines with different mentions apart', () => {
    const t = computeTotals([
      line('1', 10_000, 0, { vat_exemption: 'Autoliquidation' }),
      line('2', 5_000, 0, { vat_exemption: 'TVA non applicable, art. 293 B du CGI' }),
      line('1', 1_000, 0, { vat_exemption: '  Autoliquidation ' }),
    ])
    expect(t.vat).toEqual([
      { rate: 0, exemption: 'Autoliquidation', lines_net_cents: 11_000, discount_cents: 0, base_cents: 11_000, vat_cents: 0 },
      { rate: 0, exemption: 'TVA non applicable, art. 293 B du CGI', lines_net_cents: 10_000, discount_cents: 0, base_cents: 10_000, vat_cents: 0 },
    ])
    expect(t).toMatchObject({ total_ht_cents: 21_000, total_vat_cents: 0, total_ttc_cents: 21_000 })
  })

  it('refuses a 0 % line without its mention', () => {
    expect(fieldErrors(() => computeTotals([line('1', 100, 2000), line('1', 100, 0)]))).toEqual({
      'lines.1.vat_exemption': 'vat.exemption.required',
    })
  })
})

describe('computeTotals, bad input', () => {
  it('names each bad field in French', () => {
    const errors = fieldErrors(() =>
      computeTotals([
        line('1,2345', 100, 2000),
        line('0', 100, 2000),
        line('-1', 100, 2000),
        line('1', -5, 2000),
        line('1', 100, 1900 as PricedLine['vat_rate']),
        line('1', 100, 2000, { discount: { kind: 'amount', cents: 101 } }),
        line('1', 100, 2000, { discount: { kind: 'percent', bps: 10_001 } }),
        line('1.5', 100.5, 2000),
      ]),
    )
    expect(errors).toEqual({
      'lines.0.quantity': 'quote.line.quantity.invalid',
      'lines.1.quantity': 'quote.line.quantity.zero',
      'lines.2.quantity': 'quote.line.quantity.invalid',
      'lines.3.unit_price_cents': 'quote.line.unit_price.invalid',
      'lines.4.vat_rate': 'vat.rate.invalid',
      'lines.5.discount': 'quote.line.discount.exceeds',
      'lines.6.discount': 'discount.percent.range',
      'lines.7.unit_price_cents': 'quote.line.unit_price.invalid',
    })
  })

  it('refuses a global discount above the lines', () => {
    expect(fieldErrors(() => computeTotals([line('1', 100, 2000)], { kind: 'amount', cents: 101 }))).toEqual({
      global_discount: 'quote.global_discount.exceeds',
    })
    expect(fieldErrors(() => computeTotals([], { kind: 'amount', cents: 1 }))).toEqual({ global_discount: 'quote.global_discount.exceeds' })
  })

  it('prices an empty document at zero', () => {
    expect(computeTotals([])).toEqual({
      lines: [],
      lines_net_cents: 0,
      global_discount_cents: 0,
      total_ht_cents: 0,
      vat: [],
      total_vat_cents: 0,
      total_ttc_cents: 0,
    })
  })
})

describe('computeTotals, invariants on random documents', () => {
  it('always adds up: Σ shares = global discount, Σ bases = HT, TTC = HT + Σ VAT, each VAT within ½ cent of base × rate', () => {
    let seed = 42
    const rnd = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % n
    }
    const rates = [2000, 1000, 550, 210, 0] as const
    for (let doc = 0; doc < 500; doc++) {
      const lines = Array.from({ length: 1 + rnd(8) }, () => {
        const rate = rates[rnd(5)]
        const q = `${rnd(50)}.${String(1 + rnd(999)).padStart(3, '0')}`
        return line(q, rnd(200_000), rate, {
          vat_exemption: rate === 0 ? 'Autoliquidation' : null,
          discount: rnd(3) === 0 ? { kind: 'percent', bps: rnd(10_001) } : null,
        })
      })
      const global = rnd(2) ? { kind: 'percent' as const, bps: rnd(10_001) } : null
      const t = computeTotals(lines, global)
      expect(t.vat.reduce((s, g) => s + g.discount_cents, 0)).toBe(t.global_discount_cents)
      expect(t.vat.reduce((s, g) => s + g.base_cents, 0)).toBe(t.total_ht_cents)
      expect(t.lines.reduce((s, l) => s + l.net_cents, 0)).toBe(t.lines_net_cents)
      expect(t.total_ttc_cents).toBe(t.total_ht_cents + t.vat.reduce((s, g) => s + g.vat_cents, 0))
      for (const g of t.vat) {
        expect(g.base_cents).toBeGreaterThanOrEqual(0)
        expect(Math.abs(g.vat_cents * 10_000 - g.base_cents * g.rate)).toBeLessThanOrEqual(5_000)
        // Pro rata: a rate's share is within one cent of its exact share.
        if (t.lines_net_cents)
          expect(Math.abs(g.discount_cents * t.lines_net_cents - t.global_discount_cents * g.lines_net_cents)).toBeLessThanOrEqual(t.lines_net_cents)
      }
    }
  })
})
