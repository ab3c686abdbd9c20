import { describe, expect, it } from 'vitest'
import { centsToInput, formatEuros } from './format'
import { parseEurosToCents } from './money'

describe('parseEurosToCents', () => {
  it.each([
    ['12 500,50', 1_250_050],
    ['12500,5', 1_250_050],
    ['12500.50', 1_250_050],
    ['12.500,50', 1_250_050],
    ['1.250.000', 125_000_000],
    ['12\u202f500,50\u00a0€', 1_250_050],
    ['0,1', 10],
    [',99', 99],
    ['100 €', 10_000],
    ['0,07', 7], // 0.07 * 100 is 7.000000000000001 in floats: not here
    ['1 234 567,89', 123_456_789],
    ['-1 500', -150_000],
  ])('reads %j as %i cents', (input, cents) => {
    expect(parseEurosToCents(input)).toEqual({ ok: true, cents })
  })

  it.each([
    ['', 'required'],
    ['   ', 'required'],
    ['douze', 'invalid'],
    ['12,5,0', 'invalid'],
    ['1.2.3', 'invalid'],
    ['12.50,00', 'invalid'],
    ['1e5', 'invalid'],
    ['12,505', 'tooManyDecimals'],
    ['12.500', 'tooManyDecimals'], // ambiguous: refused rather than guessed
    ['99999999999999999', 'invalid'],
  ])('refuses %j (%s)', (input, error) => {
    expect(parseEurosToCents(input)).toEqual({ ok: false, error })
  })
})

describe('French money formatting', () => {
  const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ')

  it('formats cents as euros exactly', () => {
    expect(plain(formatEuros(1_250_050))).toBe('12 500,50 €')
    expect(plain(formatEuros(7))).toBe('0,07 €')
    expect(plain(formatEuros(-150_000))).toBe('-1 500,00 €')
    expect(plain(formatEuros(900_719_925_474_099))).toBe('9 007 199 254 740,99 €')
    expect(plain(formatEuros(1_250_050, { rounded: true }))).toBe('12 501 €')
  })

  it('writes amounts for inputs that parse back to the same cents', () => {
    for (const cents of [0, 7, 1_250_050, 1_250_000, 123_456_789]) {
      expect(parseEurosToCents(centsToInput(cents))).toEqual({ ok: true, cents })
    }
    expect(centsToInput(1_250_050)).toBe('12 500,50')
    expect(centsToInput(1_250_000)).toBe('12 500')
  })
})
