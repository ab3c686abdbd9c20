import { describe, expect, it } from 'vitest'
import { formatPhone, isValidEmail, toE164 } from './contact-points.js'

describe('contact points', () => {
  it('normalises French numbers to E.164 whatever the spacing', () => {
    expect(toE164('06 12 34 56 78')).toBe('+33612345678')
    expect(toE164('+33 1 42 68 53 00')).toBe('+33142685300')
    expect(toE164('0033 1.42.68.53.00')).toBe('+33142685300')
  })

  it('keeps foreign numbers given with their country code', () => {
    expect(toE164('+32 2 555 12 12')).toBe('+3225551212')
  })

  it('refuses numbers that cannot exist', () => {
    expect(toE164('06 12')).toBeNull()
    expect(toE164('bonjour')).toBeNull()
  })

  it('formats French numbers the French way', () => {
    expect(formatPhone('+33612345678')).toBe('06 12 34 56 78')
  })

  it('checks email shape', () => {
    expect(isValidEmail('claire.martin@exemple.fr')).toBe(true)
    expect(isValidEmail('claire.martin@exemple')).toBe(false)
    expect(isValidEmail('claire martin@exemple.fr')).toBe(false)
  })
})
