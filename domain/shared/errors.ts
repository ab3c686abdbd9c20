import { ERROR_CODES, type ErrorCode } from './error-codes.js'

export { ERROR_CODES, type ErrorCode }

/**
 * A value put into a message. Strings (what the user typed, a name) and integers go in as
 * they are; a decimal is written with the reader's separator; a day ("2026-12-31") is
 * written as a date; a list of problems is translated, joined with " ; ".
 */
export type ParamValue = string | number | { decimal: number; digits: number } | { day: string } | Problem[]

type ParamsOf<C extends ErrorCode> = { [K in (typeof ERROR_CODES)[C][number]]: ParamValue }

/**
 * What the domain says when it refuses: a stable code (`'deal.title.required'`), with the
 * values its message needs (`{ code: 'quote.lines.max', params: { max: 200 } }`). The web
 * layer turns it into French or English with the catalogues in app/i18n/errors.*.ts; a
 * code with parameters cannot be written without them (nor one without, with some).
 */
export type Problem = { [C in ErrorCode]: (typeof ERROR_CODES)[C] extends readonly [] ? C : { code: C; params: ParamsOf<C> } }[ErrorCode]

export type FieldProblems = Record<string, Problem>

export const codeOf = (p: Problem): ErrorCode => (typeof p === 'string' ? p : p.code)

/** A code, or `{ code, params }`, of ours (a stored JSON value, a param). */
export const isProblem = (v: unknown): v is Problem =>
  (typeof v === 'string' && Object.hasOwn(ERROR_CODES, v)) ||
  (typeof v === 'object' && v !== null && typeof (v as { code?: unknown }).code === 'string' && Object.hasOwn(ERROR_CODES, (v as { code: string }).code))

/** The code, and its params as JSON: what logs and `error.message` carry (never shown to users). */
export const describeProblem = (p: Problem): string => (typeof p === 'string' ? p : `${p.code} ${JSON.stringify(p.params)}`)

/**
 * A rule of the domain said no. `problem` is the code the web layer translates;
 * `message` is that code (for logs); `field` names the form field it belongs beside,
 * when there is one.
 */
export class DomainError extends Error {
  readonly status: number
  constructor(
    readonly problem: Problem,
    readonly field?: string,
    opts: { status?: number } = {},
  ) {
    super(describeProblem(problem))
    this.name = 'DomainError'
    this.status = opts.status ?? 422
  }
}

/** Several field errors at once (a form with many bad fields). */
export class ValidationError extends DomainError {
  constructor(readonly fieldErrors: FieldProblems) {
    super(Object.values(fieldErrors)[0] ?? 'validation.invalid', Object.keys(fieldErrors)[0])
    this.name = 'ValidationError'
    this.message =
      Object.entries(fieldErrors)
        .map(([k, p]) => `${k}: ${describeProblem(p)}`)
        .join('; ') || 'validation.invalid'
  }
}

/** The record changed since the form was loaded (optimistic concurrency). */
export class ConcurrencyError extends DomainError {
  constructor() {
    super('record.changed', undefined, { status: 409 })
    this.name = 'ConcurrencyError'
  }
}

export class NotFoundError extends DomainError {
  constructor(problem: Problem = 'record.not_found') {
    super(problem, undefined, { status: 404 })
    this.name = 'NotFoundError'
  }
}

export class ForbiddenError extends DomainError {
  constructor(problem: Problem = 'forbidden') {
    super(problem, undefined, { status: 403 })
    this.name = 'ForbiddenError'
  }
}

/**
 * What a refusal says, as a list: a ValidationError's field problems, another
 * DomainError's problem. Anything else is not a refusal but a fault, and is rethrown.
 */
export function problemsOf(e: unknown): Problem[] {
  if (e instanceof ValidationError) return Object.values(e.fieldErrors)
  if (e instanceof DomainError) return [e.problem]
  throw e
}
