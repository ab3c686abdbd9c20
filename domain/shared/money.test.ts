import { describe, expect, it } from 'vitest'
import { centsToInput, formatEuros, parseEuros, parseEurosToCents, type AmountError } from './money.js'

const NBSP = '\u00a0'
const NNBSP = '\u202f'

describe('amounts as French users type them', () => {
  it.each([
    // The spellings of the issue, with every kind of space.
    ['1 250 000,50', 125_000_050],
    [`1${NBSP}250${NBSP}000,50`, 125_000_050],
    [`1${NNBSP}250${NNBSP}000,50`, 125_000_050],
    ['1250000.50', 125_000_050],
    ['1.250.000,50', 125_000_050],
    ['1.250.000', 125_000_000],
    ['12 500', 1_250_000],
    ['12500,5', 1_250_050],
    ['12500', 1_250_000],
    // With the euro sign or word, spaced or not.
    ['12 500,50 €', 1_250_050],
    [`12${NNBSP}500,50${NBSP}€`, 1_250_050],
    ['12500€', 1_250_000],
    ['100 EUR', 10_000],
    ['3 euros', 300],
    // The formerly separate callers' cases.
    ['12.500,50', 1_250_050],
    ['1\u2009234,5', 123_450],
    ['1 234,56 €', 123_456],
    ['1.234,56', 123_456],
    ['1234.56', 123_456],
    ['1 250.50', 125_050],
    ["1'250'000,50", 125_000_050],
    ['0,1', 10],
    [',99', 99],
    ['0,07', 7], // 0.07 * 100 is 7.000000000000001 in floats: not here
    ['1 234 567,89', 123_456_789],
    ['  42  ', 4_200],
    ['007', 700],
    ['9 999 999 999 999,99', 999_999_999_999_999],
    ['-1 500', -150_000],
    ['−12,5', -1_250],
    ['+12', 1_200],
    ['-0', 0],
  ])('reads %j as %i cents', (input, cents) => {
    expect(parseEurosToCents(input)).toEqual({ ok: true, cents })
  })

  it.each<[string | null | undefined, AmountError]>([
    ['', 'required'],
    ['   ', 'required'],
    [' € ', 'required'],
    [null, 'required'],
    [undefined, 'required'],
    // Guessing would be wrong half the time: refused with a message that says how to write it.
    ['1.250', 'ambiguous'],
    ['12.500', 'ambiguous'],
    ['1,250,000', 'ambiguous'],
    ['12,345.67', 'ambiguous'],
    ['1,250,000.50', 'ambiguous'],
    // Too precise: the comma is always the decimal mark.
    ['12,505', 'tooManyDecimals'],
    ['12,345', 'tooManyDecimals'],
    ['1250.500', 'tooManyDecimals'],
    ['0.125', 'tooManyDecimals'],
    ['1,2345', 'tooManyDecimals'],
    // Not amounts.
    ['douze', 'invalid'],
    ['gratuit', 'invalid'],
    ['12,5,0', 'invalid'],
    ['1.2.3', 'invalid'],
    ['12.50,00', 'invalid'],
    ['1e5', 'invalid'],
    ['12 50', 'invalid'], // thousands come by threes
    ['0.125,5', 'invalid'],
    ['0 125', 'invalid'],
    ['1 250.000,50', 'invalid'], // one kind of separator
    ['€ 12', 'invalid'],
    ['12 € 50', 'invalid'],
    ['0x10', 'invalid'],
    ['--5', 'invalid'],
    ['99999999999999999', 'invalid'],
    ['99 999 999 999 999', 'invalid'],
  ])('refuses %j (%s)', (input, error) => {
    expect(parseEurosToCents(input)).toEqual({ ok: false, error })
  })
})

describe('prices (amounts ≥ 0, or null)', () => {
  it('reads what the parser reads', () => {
    expect(parseEuros('1 234,56 €')).toBe(123_456)
    expect(parseEuros('1\u202f234,5')).toBe(123_450)
    expect(parseEuros('1.234,56')).toBe(123_456)
    expect(parseEuros('1234.56')).toBe(123_456)
    expect(parseEuros('1.250.000')).toBe(125_000_000)
    expect(parseEuros('12')).toBe(1_200)
    expect(parseEuros('0,07')).toBe(7)
    expect(parseEuros('0')).toBe(0)
  })

  it('refuses what it would have to guess, negatives and blanks', () => {
    for (const bad of ['1.234', '1,234.56', '12,345', '-3', 'gratuit', '', null, undefined]) expect(parseEuros(bad)).toBeNull()
  })
})

describe('French money formatting', () => {
  it('prints euros with narrow no-break spaces and a no-break space before €', () => {
    expect(formatEuros(123_456)).toBe(`1${NNBSP}234,56${NBSP}€`)
    expect(formatEuros(7)).toBe(`0,07${NBSP}€`)
    expect(formatEuros(0)).toBe(`0,00${NBSP}€`)
    expect(formatEuros(100_000_000)).toBe(`1${NNBSP}000${NNBSP}000,00${NBSP}€`)
    expect(formatEuros(-150_000)).toBe(`-1${NNBSP}500,00${NBSP}€`)
    expect(formatEuros(900_719_925_474_099)).toBe(`9${NNBSP}007${NNBSP}199${NNBSP}254${NNBSP}740,99${NBSP}€`)
  })

  it('prints what Intl fr-FR prints', () => {
    const intl = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' })
    const rounded = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 })
    for (const cents of [0, 7, 99, 100, 123_456, 1_250_050, 1_250_049, -150_000, -1_250_050, 123_456_789_012]) {
      const decimal = `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`
      expect(formatEuros(cents)).toBe(intl.format(decimal as unknown as number))
      expect(formatEuros(cents, { rounded: true })).toBe(rounded.format(decimal as unknown as number))
    }
  })

  it('rounds half away from zero when asked', () => {
    expect(formatEuros(1_250_050, { rounded: true })).toBe(`12${NNBSP}501${NBSP}€`)
    expect(formatEuros(1_250_049, { rounded: true })).toBe(`12${NNBSP}500${NBSP}€`)
    expect(formatEuros(-1_250_050, { rounded: true })).toBe(`-12${NNBSP}501${NBSP}€`)
  })

  it('refuses what is not integer cents', () => {
    expect(() => formatEuros(12.5)).toThrow(RangeError)
  })

  it('writes amounts for inputs that parse back to the same cents', () => {
    for (const cents of [0, 7, 99, 1_250_050, 1_250_000, 123_456_789, -150_000, 999_999_999_999_999]) {
      expect(parseEurosToCents(centsToInput(cents))).toEqual({ ok: true, cents })
    }
    expect(centsToInput(1_250_050)).toBe('12 500,50')
    expect(centsToInput(1_250_000)).toBe('12 500')
    expect(centsToInput(7)).toBe('0,07')
    expect(centsToInput(-150_000)).toBe('-1 500')
  })

  it('reads back what it prints', () => {
    for (const cents of [0, 7, 1_250_050, 125_000_050]) expect(parseEurosToCents(formatEuros(cents))).toEqual({ ok: true, cents })
  })
})
