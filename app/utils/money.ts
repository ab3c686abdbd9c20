// Parsing amounts typed by French users into integer cents, without floats:
// "12 500,50", "12500.5", "12.500,50", "1 250 €" are all accepted.

export type ParsedAmount = { ok: true; cents: number } | { ok: false; error: 'invalid' | 'tooManyDecimals' | 'required' }

export function parseEurosToCents(input: string | null | undefined): ParsedAmount {
  // Every kind of space (incl. the no-break and narrow no-break spaces Intl writes), the € sign.
  let s = (input ?? '').replace(/[\s\u00a0\u202f\u2009']/g, '').replace(/(€|eur|euros?)$/i, '')
  if (s === '') return { ok: false, error: 'required' }
  let negative = false
  if (s.startsWith('-') || s.startsWith('−')) { negative = true; s = s.slice(1) }
  else if (s.startsWith('+')) s = s.slice(1)

  let intPart: string
  let fracPart = ''
  if (s.includes(',')) {
    // Decimal comma; dots may only group thousands ("12.500,50").
    const [i, f, ...rest] = s.split(',')
    if (rest.length) return { ok: false, error: 'invalid' }
    if (i.includes('.') && !/^\d{1,3}(\.\d{3})+$/.test(i)) return { ok: false, error: 'invalid' }
    intPart = i.replace(/\./g, '')
    fracPart = f
  } else if (/^\d{1,3}(\.\d{3}){2,}$/.test(s)) {
    intPart = s.replace(/\./g, '') // "1.250.000": dots can only be thousands here
  } else if (s.includes('.')) {
    const [i, f, ...rest] = s.split('.')
    if (rest.length) return { ok: false, error: 'invalid' }
    intPart = i
    fracPart = f
  } else {
    intPart = s
  }
  if (intPart === '') intPart = '0'
  if (!/^\d+$/.test(intPart) || !/^\d*$/.test(fracPart)) return { ok: false, error: 'invalid' }
  if (fracPart.length > 2) return { ok: false, error: 'tooManyDecimals' }
  // Integer arithmetic on digit strings: no 0.1 + 0.2 surprises.
  const cents = Number(intPart) * 100 + Number(fracPart.padEnd(2, '0') || '0')
  if (!Number.isSafeInteger(cents)) return { ok: false, error: 'invalid' }
  return { ok: true, cents: negative ? -cents : cents }
}
