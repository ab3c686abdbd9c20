import type { FieldProblems, Problem } from './errors.js'

// What a person may store as text: bounded in length, and free of control characters
// (C0 U+0000–U+001F, DEL, C1 U+0080–U+009F) that are invisible on screen but break
// exports, PDFs, e-mail headers and terminals. Multi-line fields keep tabs and line
// breaks (CR LF and lone CR become LF, as browsers post them differently). Every
// command that stores user text goes through `userText`; imports apply the same rule
// by calling it on each cell.

/**
 * The longest text each kind of field accepts, in characters. One table so the domain,
 * the forms' `maxLength` and the imports agree. An activity's notes stay generous (a
 * pasted e-mail thread) but bounded: a 5 MB note made every viewer download 11 MB.
 */
export const TEXT_LIMITS = {
  /** Organisation, contact, product, signer names. */
  name: 200,
  /** Deal, task, quote titles. */
  title: 200,
  /** Activity subject, e-mail subject. */
  subject: 200,
  /** Activity notes / body: a pasted e-mail thread fits. */
  body: 100_000,
  /** Organisation notes. */
  notes: 100_000,
  /** Task and product descriptions, quote notes. */
  description: 5_000,
  /** One quote line's label. */
  line_label: 2_000,
  /** A reason (lost deal, refused quote). */
  reason: 1_000,
  /** Payment terms printed on a quote. */
  terms: 2_000,
  email: 254,
  /** A website address. */
  url: 500,
  phone: 40,
  address: 500,
  city: 100,
  /** Job title, legal form, consent source, category: short labels. */
  label: 120,
  tag: 40,
  /** A product's category. */
  category: 80,
  code: 40,
  unit: 30,
  /** A saved filter's or a dashboard widget's name. */
  short_name: 120,
} as const

export type TextKind = keyof typeof TEXT_LIMITS

/** The kinds whose text may span lines (and hold tabs). */
const MULTILINE: ReadonlySet<TextKind> = new Set(['body', 'notes', 'description', 'line_label', 'reason', 'terms', 'address'])

export const isMultiline = (kind: TextKind) => MULTILINE.has(kind)

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f]/
// eslint-disable-next-line no-control-regex -- the same, tab and line feed allowed
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

/** True when `s` holds a control character a field of this shape may not store. */
export function hasControlCharacters(s: string, multiline: boolean): boolean {
  return (multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).test(s)
}

/**
 * `s` with the control characters a field of this shape may not store removed: what an
 * import does with a cell (a file is cleaned, not refused) where a form is refused.
 */
export function withoutControlCharacters(s: string, multiline: boolean): string {
  return s.replace(new RegExp(multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE, 'g'), '')
}

/** CR LF and lone CR → LF: the one line break stored. */
export const normaliseLineBreaks = (s: string) => s.replace(/\r\n?/g, '\n')

export type UserTextResult = { ok: true; value: string | null } | { ok: false; problem: Problem }

/**
 * A user's text for a field of `kind`: trimmed, line breaks normalised, null when empty;
 * or the problem to show beside the field (too long, control characters).
 *
 * @example userText('  Appel  ', 'subject') // { ok: true, value: 'Appel' }
 * @example userText('a\u0000b', 'name')     // { ok: false, problem: 'text.control_characters' }
 */
export function userText(raw: string | null | undefined, kind: TextKind, tooLong?: (max: number) => Problem): UserTextResult {
  if (raw == null) return { ok: true, value: null }
  const multiline = isMultiline(kind)
  const value = normaliseLineBreaks(String(raw)).trim()
  if (hasControlCharacters(value, multiline)) return { ok: false, problem: 'text.control_characters' }
  const max = TEXT_LIMITS[kind]
  if (value.length > max) return { ok: false, problem: tooLong ? tooLong(max) : { code: 'text.too_long', params: { max } } }
  return { ok: true, value: value || null }
}

/**
 * `userText` for a decide function collecting field errors: the cleaned text (null when
 * empty), or null with the problem put beside `field` in `errors` (a problem already
 * there is kept: the first one found is the one shown). `undefined` stays `undefined`:
 * in an update it means "unchanged".
 */
export function collectText(errors: FieldProblems, field: string, raw: string | null, kind: TextKind, tooLong?: (max: number) => Problem): string | null
export function collectText(
  errors: FieldProblems,
  field: string,
  raw: string | null | undefined,
  kind: TextKind,
  tooLong?: (max: number) => Problem,
): string | null | undefined
export function collectText(
  errors: FieldProblems,
  field: string,
  raw: string | null | undefined,
  kind: TextKind,
  tooLong?: (max: number) => Problem,
): string | null | undefined {
  if (raw === undefined) return undefined
  const r = userText(raw, kind, tooLong)
  if (r.ok) return r.value
  errors[field] ??= r.problem
  return null
}

/** `collectText` for a list (tags, e-mails): each item cleaned, empty ones and repeats left out. */
export function collectTexts(errors: FieldProblems, field: string, raw: readonly string[], kind: TextKind, tooLong?: (max: number) => Problem): string[] {
  const out: string[] = []
  for (const item of raw) {
    const v = collectText(errors, field, item, kind, tooLong)
    if (v && !out.includes(v)) out.push(v)
  }
  return out
}
