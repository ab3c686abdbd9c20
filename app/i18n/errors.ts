// The domain refuses with codes (domain/shared/errors.ts); this turns them into the
// reader's language with errors.fr.ts / errors.en.ts. French is the source: the text a
// French user reads is exactly what the domain used to write.
import { DomainError, isProblem, ValidationError, type ErrorCode, type ParamValue, type Problem } from '../../domain/shared/errors'
import { errorsEn } from './errors.en'
import { errorsFr } from './errors.fr'
import type { Locale } from './i18n'

export const errorCatalogues: Record<Locale, Record<ErrorCode, string>> = { fr: errorsFr, en: errorsEn }

const englishDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

function formatParam(locale: Locale, v: ParamValue): string {
  // Counts of 10 000 and more grouped as the reader writes them (100 000 caractères); smaller ones, years, revisions as they are.
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) >= 10_000 ? v.toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB') : String(v)
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.map((p) => translateProblem(locale, p)).join(' ; ')
  if ('decimal' in v) {
    const s = v.decimal.toFixed(v.digits)
    return locale === 'fr' ? s.replace('.', ',') : s
  }
  // A day "2026-12-31": 31/12/2026 in French (as the domain wrote it), 31 December 2026 in English.
  return locale === 'fr' ? v.day.split('-').reverse().join('/') : englishDay.format(new Date(`${v.day}T00:00:00Z`))
}

/** One problem in the reader's language. */
export function translateProblem(locale: Locale, p: Problem): string {
  const code = typeof p === 'string' ? p : p.code
  const template = errorCatalogues[locale][code] ?? errorsFr[code] ?? code
  if (typeof p === 'string') return template
  const params = p.params as Record<string, ParamValue>
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? formatParam(locale, params[name]) : m))
}

/** A field → problem map (a ValidationError's, a workflow draft's) in the reader's language. */
export function translateFieldProblems(locale: Locale, errors: Record<string, Problem>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, p]) => [k, translateProblem(locale, p)]))
}

/** The field errors of a ValidationError, translated. */
export const fieldErrorsOf = (locale: Locale, e: ValidationError) => translateFieldProblems(locale, e.fieldErrors)

/** What a DomainError says, in one sentence (all field errors of a ValidationError, space-separated). */
export function errorText(locale: Locale, e: DomainError): string {
  if (e instanceof ValidationError) return Object.values(fieldErrorsOf(locale, e)).join(' ')
  return translateProblem(locale, e.problem)
}

/**
 * A message recorded by a job (a workflow step's error, an import's rejected row): a
 * problem stored as JSON (or a bare code) is translated; anything else — rows written
 * before codes, a technical error — is shown as it was recorded.
 */
export function translateRecorded(locale: Locale, recorded: string | Problem | Problem[] | null | undefined): string {
  if (recorded == null) return ''
  if (typeof recorded !== 'string')
    return Array.isArray(recorded) ? recorded.map((p) => translateProblem(locale, p)).join(' ; ') : translateProblem(locale, recorded)
  if (isProblem(recorded)) return translateProblem(locale, recorded)
  if (recorded.startsWith('{') || recorded.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(recorded)
      if (isProblem(parsed)) return translateProblem(locale, parsed)
      if (Array.isArray(parsed) && parsed.every(isProblem)) return translateRecorded(locale, parsed as Problem[])
    } catch {
      // not JSON: a plain message
    }
  }
  return recorded
}
