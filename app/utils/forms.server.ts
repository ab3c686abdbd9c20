import { data } from '@remix-run/node'
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf, translateProblem } from '../i18n/errors'
import type { Locale } from '../i18n/i18n'
import { forbidden, notFound } from './auth.server'

/** What a failed action returns: errors beside fields, one for the form, and what was typed. */
export type FormFailure = {
  ok: false
  errors: Record<string, string>
  formError?: string
  values: Record<string, string>
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isUuid = (s: unknown): s is string => typeof s === 'string' && UUID.test(s)

/** The posted values as strings (files ignored), minus the token, to put back in the form. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [k, v] of form) if (typeof v === 'string' && k !== 'csrf') values[k] = v
  return values
}

export const text = (form: FormData, name: string) => {
  const v = form.get(name)
  return typeof v === 'string' ? v.trim() : ''
}
export const optionalText = (form: FormData, name: string) => text(form, name) || null

/** The client's command id (a UUID rendered into the form): replays of it do nothing twice. */
export const commandIdOf = (form: FormData) => {
  const v = form.get('commandId')
  return isUuid(v) ? v.toLowerCase() : undefined
}

export function failure(values: Record<string, string>, errors: Record<string, string>, status: number, formError?: string) {
  return data<FormFailure>({ ok: false, errors, formError, values }, { status })
}

/**
 * A domain refusal as the form's answer, in the reader's language (`locale`, or the
 * signed-in `auth`): field errors (422), the concurrency message (409) or a form-level
 * message. Not found and forbidden become 404 / 403 pages.
 */
export function domainFailure(e: unknown, values: Record<string, string>, reader: Locale | { locale: Locale }, extraErrors: Record<string, string> = {}) {
  const locale = typeof reader === 'string' ? reader : reader.locale
  if (e instanceof NotFoundError) throw notFound()
  if (e instanceof ForbiddenError) throw forbidden()
  if (e instanceof ValidationError) return failure(values, { ...fieldErrorsOf(locale, e), ...extraErrors }, Object.keys(extraErrors).length ? 400 : e.status)
  if (e instanceof DomainError) {
    if (e.field) return failure(values, { [e.field]: translateProblem(locale, e.problem), ...extraErrors }, e.status)
    return failure(values, extraErrors, e.status, translateProblem(locale, e.problem))
  }
  throw e
}
