import { describe, expect, it } from 'vitest'
import { divRoundHalfUp, formatPercentFr, parsePercent, parseQuantity, quantityText } from './money.js'
import { canonicalJson, snapshotSha256 } from './quote-snapshot.js'
import { checkVat, parseVatRate } from './vat.js'

describe('quantities', () => {
  it('reads French and English decimals into thousandths, with one canonical text', () => {
    expect(parseQuantity('2,5')).toEqual({ milli: 2500n, text: '2.5' })
    expect(parseQuantity('2.500')).toEqual({ milli: 2500n, text: '2.5' })
    expect(parseQuantity('0,333')).toEqual({ milli: 333n, text: '0.333' })
    expect(parseQuantity(' 1 000 ')).toEqual({ milli: 1_000_000n, text: '1000' })
    expect(parseQuantity(3)).toEqual({ milli: 3000n, text: '3' })
    expect(quantityText(5n)).toBe('0.005')
  })

  it('refuses more than 3 decimals, signs and words', () => {
    for (const bad of ['1,2345', '-1', '+1', 'abc', '', '1e3', '.5', '1,5,0']) expect(parseQuantity(bad)).toBeNull()
  })
})

describe('percentages and rounding', () => {
  // Euro amounts: domain/shared/money.test.ts.
  it('prints percentages the French way', () => {
    expect(formatPercentFr(550)).toBe('5,5\u00a0%')
    expect(formatPercentFr(2000)).toBe('20\u00a0%')
  })

  it('reads percentages into basis points', () => {
    expect(parsePercent('12,5 %')).toBe(1250)
    expect(parsePercent('100')).toBe(10_000)
    expect(parsePercent('100,01')).toBeNull()
    expect(parsePercent('1,234')).toBeNull()
  })

  it('divides rounding half up', () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n) // 0,5 → 1
    expect(divRoundHalfUp(4n, 10n)).toBe(0n)
    expect(divRoundHalfUp(15n, 10n)).toBe(2n)
    expect(divRoundHalfUp(25n, 10n)).toBe(3n) // half up, not half even
  })
})

describe('VAT rates', () => {
  it('knows the French rates however they are typed', () => {
    expect(['20', '20 %', '10%', '5,5', '5.5 %', '2,1', '0', '0,0'].map(parseVatRate)).toEqual([2000, 2000, 1000, 550, 550, 210, 0, 0])
    expect(['19,6', '7', '8.5', '0,2', 'vingt'].map(parseVatRate)).toEqual([null, null, null, null, null])
  })

  it('asks for a mention at 0 % and drops one left at another rate', () => {
    expect(checkVat(0, '')).toMatchObject({ ok: false, field: 'vat_exemption' })
    expect(checkVat(0, ' Autoliquidation ')).toEqual({ ok: true, rate: 0, exemption: 'Autoliquidation' })
    expect(checkVat(2000, 'Autoliquidation')).toEqual({ ok: true, rate: 2000, exemption: null })
    expect(checkVat(1960, null)).toMatchObject({ ok: false, field: 'vat_rate' })
  })
})

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined, so equal documents hash equal', () => {
    const a = { b: 1, a: { d: [1, { z: null, y: 'é' }], c: true }, u: undefined }
    const b = { a: { c: true, d: [1, { y: 'é', z: null }] }, b: 1 }
    expect(canonicalJson(a)).toBe('{"a":{"c":true,"d":[1,{"y":"é","z":null}]},"b":1}')
    expect(snapshotSha256(a)).toBe(snapshotSha256(b))
    expect(snapshotSha256(b)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses floats: amounts are integer cents', () => {
    expect(() => canonicalJson({ price: 12.5 })).toThrow(/safe integer/)
  })
})
