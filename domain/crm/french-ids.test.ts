import { describe, expect, it } from 'vitest'
import { frenchVatNumber, isValidSiren, isValidSiret, isValidVatNumber, withLuhnDigit } from './french-ids.js'

describe('French company identifiers', () => {
  it('accepts a real SIREN and refuses a wrong check digit', () => {
    expect(isValidSiren('732 829 320')).toBe(true)
    expect(isValidSiren('732829321')).toBe(false)
    expect(isValidSiren('73282932')).toBe(false)
  })

  it('checks SIRET with Luhn', () => {
    expect(isValidSiret('73282932000074')).toBe(true)
    expect(isValidSiret('73282932000075')).toBe(false)
  })

  it("accepts La Poste's establishments, which follow a sum-multiple-of-5 rule instead of Luhn", () => {
    expect(isValidSiret('35600000000048')).toBe(true)
    expect(isValidSiret('35600000012345')).toBe(false) // digit sum 29
    expect(isValidSiret('35600000049837')).toBe(true) // digit sum 45
  })

  it('computes the FR VAT key from the SIREN', () => {
    expect(frenchVatNumber('732829320')).toBe('FR44732829320')
    expect(isValidVatNumber('FR44 732829320')).toBe(true)
    expect(isValidVatNumber('FR45732829320')).toBe(false)
    expect(isValidVatNumber('DE123456789')).toBe(true)
  })

  it('completes a prefix with its Luhn digit', () => {
    const siren = withLuhnDigit('12345678')
    expect(isValidSiren(siren)).toBe(true)
  })
})
