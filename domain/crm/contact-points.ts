import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/** Normalises a phone number to E.164, French numbers by default ("06 12 34 56 78" → "+33612345678"). */
export function toE164(input: string): string | null {
  const p = parsePhoneNumberFromString(input.trim(), 'FR')
  return p && p.isValid() ? p.number : null
}

/** "+33612345678" → "06 12 34 56 78" for France, international format otherwise. */
export function formatPhone(e164: string): string {
  const p = parsePhoneNumberFromString(e164)
  if (!p) return e164
  return p.country === 'FR' ? p.formatNational() : p.formatInternational()
}

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is
// proven by sending, not by regex.
export function isValidEmail(input: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(input.trim())
}

export const normaliseEmail = (s: string) => s.trim().toLowerCase()
