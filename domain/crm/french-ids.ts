// French company identifiers. Pure functions, shared by forms, imports and the seed.

function luhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

export const normaliseDigits = (s: string) => s.replace(/[\s.-]/g, '')

/** SIREN: 9 digits, Luhn. */
export function isValidSiren(input: string): boolean {
  const s = normaliseDigits(input)
  return /^\d{9}$/.test(s) && luhnValid(s)
}

/**
 * SIRET: 14 digits, Luhn — except La Poste (SIREN 356000000), whose establishments
 * are numbered so that the digit sum is a multiple of 5 instead.
 */
export function isValidSiret(input: string): boolean {
  const s = normaliseDigits(input)
  if (!/^\d{14}$/.test(s)) return false
  if (s.startsWith('356000000')) {
    if (s === '35600000000048') return true // La Poste's head office follows Luhn
    const sum = [...s].reduce((a, c) => a + Number(c), 0)
    return sum % 5 === 0
  }
  return luhnValid(s)
}

/** French intra-EU VAT number: FR + 2-digit key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97. */
export function frenchVatNumber(siren: string): string {
  const n = Number(normaliseDigits(siren))
  const key = (12 + 3 * (n % 97)) % 97
  return `FR${String(key).padStart(2, '0')}${normaliseDigits(siren)}`
}

export function isValidVatNumber(input: string): boolean {
  const s = input.replace(/\s/g, '').toUpperCase()
  if (s.startsWith('FR')) {
    const m = /^FR(\d{2})(\d{9})$/.exec(s)
    return !!m && isValidSiren(m[2]) && frenchVatNumber(m[2]) === s
  }
  // Other member states: two letters then 2–13 characters; checked by VIES, not here.
  return /^(AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|XI)[0-9A-Z+*]{2,13}$/.test(s)
}

/** Completes 8 digits with the Luhn check digit (the seed uses it to make real-looking SIRENs). */
export function withLuhnDigit(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(prefix + d)) return prefix + d
  throw new Error('unreachable')
}
