import type { Problem } from '../shared/errors.js'
import { hasControlCharacters } from '../shared/user-text.js'

// French VAT rates (CGI art. 278 to 281 nonies), in basis points: 2000 = 20 %.

export const VAT_RATES = [2000, 1000, 550, 210, 0] as const
export type VatRate = (typeof VAT_RATES)[number]

export const VAT_RATE_LABELS: Record<VatRate, string> = {
  2000: '20\u00a0%',
  1000: '10\u00a0%',
  550: '5,5\u00a0%',
  210: '2,1\u00a0%',
  0: '0\u00a0%',
}

/**
 * The mentions a 0 % line must carry (CGI art. 242 nonies A): the form offers these,
 * any other text is accepted (the seller knows its exemption article).
 */
export const VAT_EXEMPTION_SUGGESTIONS = [
  'TVA non applicable, art. 293 B du CGI',
  'Autoliquidation',
  'Exonération de TVA, article 262 ter, I du CGI',
  'Exonération de TVA, article 262 I du CGI',
  'Exonération de TVA, article 261, 4, 4° du CGI',
] as const

export const VAT_EXEMPTION_MAX = 200

export const isVatRate = (n: unknown): n is VatRate => typeof n === 'number' && (VAT_RATES as readonly number[]).includes(n)

/** "20", "20 %", "5,5", "5.5%", "2,1", "0" (or 2000, 550 as numbers in bps) → the rate; null otherwise. */
export function parseVatRate(input: string | number | null | undefined): VatRate | null {
  if (input === null || input === undefined) return null
  if (typeof input === 'number') return isVatRate(input) ? input : null
  const s = input
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/%$/, '')
    .replace(',', '.')
  if (!/^\d{1,2}(\.\d{1,2})?$/.test(s)) return null
  const [int, frac = ''] = s.split('.')
  const bps = Number(int) * 100 + Number(frac.padEnd(2, '0'))
  return isVatRate(bps) ? bps : null
}

/**
 * The rate and its mention checked together: a 0 % rate needs its mention; any other
 * rate has none (a mention left in the form after changing the rate is dropped).
 * Returns the field error, or the cleaned pair.
 */
export function checkVat(
  rate: unknown,
  exemption: string | null | undefined,
): { ok: true; rate: VatRate; exemption: string | null } | { ok: false; field: 'vat_rate' | 'vat_exemption'; problem: Problem } {
  if (!isVatRate(rate)) return { ok: false, field: 'vat_rate', problem: 'vat.rate.invalid' }
  if (rate !== 0) return { ok: true, rate, exemption: null }
  const mention = exemption?.trim().replace(/\s+/g, ' ') ?? ''
  if (!mention) return { ok: false, field: 'vat_exemption', problem: 'vat.exemption.required' }
  if (hasControlCharacters(mention, false)) return { ok: false, field: 'vat_exemption', problem: 'text.control_characters' }
  if (mention.length > VAT_EXEMPTION_MAX)
    return { ok: false, field: 'vat_exemption', problem: { code: 'vat.exemption.too_long', params: { max: VAT_EXEMPTION_MAX } } }
  return { ok: true, rate, exemption: mention }
}
