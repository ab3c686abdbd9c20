// Euro amounts, the one parser and formatter (ADR 0019). Amounts are integer cents; the
// parser reads the typed digits as strings and never goes through a float.
//
// The rule, for what French users type:
// - the decimal mark is the comma ("12500,5"); a dot is read as the decimal mark only
//   when it is the only separator and is followed by one or two digits ("1250000.50");
// - thousands are grouped by threes with spaces (normal, no-break U+00A0, narrow no-break
//   U+202F, thin U+2009), dots ("1.250.000,50", "1.250.000") or apostrophes ("1'250");
//   one kind of separator per amount;
// - "€", "EUR" or "euros" may follow; a leading "-" (or "−") makes it negative;
// - at most two decimals;
// - refused as ambiguous rather than guessed: "1.250" (1 250 € or 1,25 €?), English
//   spellings with commas between thousands ("1,250,000", "12,345.67").

/**
 * Why an amount was refused: a code, worded by the web catalogues as `amount.<error>`
 * ('amount.ambiguous': « écrivez les milliers avec des espaces et les centimes après la virgule »).
 */
export type AmountError = 'required' | 'invalid' | 'ambiguous' | 'tooManyDecimals'

export type ParsedAmount = { ok: true; cents: number } | { ok: false; error: AmountError }

/** At most 13 digits of euros (the domain's largest amounts are 100 milliards €). */
const MAX_EURO_DIGITS = 13

const fail = (error: AmountError): ParsedAmount => ({ ok: false, error })

/** The euros of an amount, grouped or not, as plain digits; null when badly grouped. */
function ungroup(int: string): string | null {
  if (/^\d*$/.test(int)) return int
  // One kind of separator, groups of three after a first group of one to three digits.
  const m = /^[1-9]\d{0,2}(?:([ .'’])\d{3})(?:\1\d{3})*$/.exec(int)
  return m ? int.replace(/[ .'’]/g, '') : null
}

/**
 * An amount as typed → integer cents, or why it was refused. Negative amounts parse
 * (the command decides whether they are allowed); see `parseEuros` for prices.
 *
 * @example parseEurosToCents('1 250 000,50 €') // { ok: true, cents: 125000050 }
 * @example parseEurosToCents('1.250') // { ok: false, error: 'ambiguous' }
 */
export function parseEurosToCents(input: string | null | undefined): ParsedAmount {
  let s = (input ?? '').replace(/[\s\u00a0\u202f\u2009]+/g, ' ').trim()
  s = s.replace(/\s*(€|eur|euros?)$/i, '')
  if (s === '') return fail('required')
  let negative = false
  if (/^[-−]/.test(s)) {
    negative = true
    s = s.slice(1).trim()
  } else if (s.startsWith('+')) s = s.slice(1).trim()

  let int: string
  let frac = ''
  const commas = s.split(',').length - 1
  if (commas > 1 || (commas === 1 && /^\d{1,3},\d{3}\.\d+$/.test(s))) {
    // "1,250,000", "12,345.67": commas between thousands, as English writes them.
    return fail(/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) ? 'ambiguous' : 'invalid')
  } else if (commas === 1) {
    ;[int, frac] = s.split(',')
  } else if ((s.match(/\./g) ?? []).length === 1) {
    // One dot and no comma: a decimal dot ("1250000.50", "1 250.50")…
    ;[int, frac] = s.split('.')
    // …except "1.250", which could be 1 250 € or 1,25 € ("0.125" can only be a decimal).
    if (/^[1-9]\d{0,2}$/.test(int) && /^\d{3}$/.test(frac)) return fail('ambiguous')
  } else {
    int = s
  }
  const digits = ungroup(int)
  if (digits === null || !/^\d*$/.test(frac) || (digits === '' && frac === '')) return fail('invalid')
  if (frac.length > 2) return fail('tooManyDecimals')
  const euros = digits.replace(/^0+(?=\d)/, '')
  if (euros.length > MAX_EURO_DIGITS) return fail('invalid')
  // Digit strings to integers: no 0.07 * 100 = 7.000000000000001 here.
  const cents = Number(euros || '0') * 100 + Number(frac.padEnd(2, '0'))
  return { ok: true, cents: negative && cents !== 0 ? -cents : cents }
}

/**
 * An amount ≥ 0 as typed (a price, a discount, a share capital) → cents; null when it
 * does not parse by the same rule, or is negative.
 *
 * @example parseEuros('1 234,56 €') // 123456
 */
export function parseEuros(input: string | null | undefined): number | null {
  const r = parseEurosToCents(input)
  return r.ok && r.cents >= 0 ? r.cents : null
}

// ---- Formatting ---------------------------------------------------------------------------

/** Digits grouped by threes with narrow no-break spaces, as fr-FR writes them. */
const group = (digits: string, sep: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep)

function split(cents: number): { sign: string; euros: bigint; rest: bigint } {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not integer cents: ${cents}`)
  const abs = BigInt(Math.abs(cents))
  return { sign: cents < 0 ? '-' : '', euros: abs / 100n, rest: abs % 100n }
}

/**
 * Cents → "12 500,50 €" as French pages and documents print it (narrow no-break spaces
 * between thousands, a no-break space before €), on integers; `rounded` drops the cents,
 * half away from zero ("12 501 €").
 */
export function formatEuros(cents: number, opts: { rounded?: boolean } = {}): string {
  const { sign, euros, rest } = split(cents)
  if (opts.rounded) {
    const whole = euros + (rest >= 50n ? 1n : 0n)
    return `${whole === 0n ? '' : sign}${group(whole.toString(), '\u202f')}\u00a0€`
  }
  return `${sign}${group(euros.toString(), '\u202f')},${rest.toString().padStart(2, '0')}\u00a0€`
}

/**
 * Cents as an editable French amount, grouped with plain spaces (what people type, and
 * what parseEurosToCents reads back): 1250050 → "12 500,50", 1250000 → "12 500".
 */
export function centsToInput(cents: number): string {
  const { sign, euros, rest } = split(cents)
  const int = `${sign}${group(euros.toString(), ' ')}`
  return rest === 0n ? int : `${int},${rest.toString().padStart(2, '0')}`
}
