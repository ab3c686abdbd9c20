import { parseWithZod } from '@conform-to/zod'
import { z, type ZodErrorMap, type ZodTypeAny } from 'zod'
import { ERROR_CODES, type Problem } from '../../domain/shared/errors'
import { translateProblem } from '../i18n/errors'
import type { Locale, MessageKey, TFunction } from '../i18n/i18n'
import { fr } from '../i18n/fr'
import { formValues, isUuid } from './forms.server'

// One way to read a posted form: a zod schema checks its shape and types (text, a choice
// among the domain's own list, a UUID, a ticked box, repeated values), through Conform's
// parseWithZod, which reads FormData as the browser sends it without JavaScript (an empty
// field is absent, a repeated name is a list, `a.b` / `a[0]` are nested). Business rules
// stay in the domain: the schema only says whether the post can be handed to it.
//
// Messages in a schema are catalogue keys (app/i18n) or the domain's own error codes
// (the same refusal the domain would give), translated here in the user's locale; a failure keeps what was typed, so the page shows it again beside the errors.

export type ParsedForm<T> =
  { ok: true; value: T; values: Record<string, string> } | { ok: false; fieldErrors: Record<string, string>; values: Record<string, string> }

const isKey = (m: string): m is MessageKey => Object.hasOwn(fr, m)
/** A domain error code whose message needs no values. */
type PlainCode = Extract<Problem, string>
const isCode = (m: string): m is PlainCode => Object.hasOwn(ERROR_CODES, m) && ERROR_CODES[m as keyof typeof ERROR_CODES].length === 0
/** A schema's message: a catalogue key or a domain error code without values. */
type Message = MessageKey | PlainCode

// A schema's own messages are catalogue keys; anything else zod would say (in English: a
// list where one value was expected…) becomes "Valeur invalide.".
const errorMap: ZodErrorMap = (_issue, ctx) => ({
  message: isKey(ctx.defaultError) || isCode(ctx.defaultError) ? ctx.defaultError : ('form.invalid' satisfies MessageKey),
})

/**
 * `form` read with `schema`: its typed value, or the first error of each field (by its
 * form name, `a.b` for nested ones; '' for the whole form) in the user's language. In
 * both cases `values`, the posted strings without the CSRF token, to show again.
 */
export function parseForm<S extends ZodTypeAny>(form: FormData, schema: S, reader: { t: TFunction; locale: Locale }): ParsedForm<z.output<S>> {
  const values = formValues(form)
  const submission = parseWithZod(form, { schema, errorMap })
  if (submission.status === 'success') return { ok: true, value: submission.value, values }
  const fieldErrors: Record<string, string> = {}
  for (const [name, messages] of Object.entries(submission.error ?? {})) {
    const first = messages?.[0]
    if (first) fieldErrors[name] = isKey(first) ? reader.t(first) : isCode(first) ? translateProblem(reader.locale, first) : first
  }
  return { ok: false, fieldErrors, values }
}

// The fields forms are made of. Conform hands an empty field over as absent.

/** Text, trimmed; '' when left empty. */
const text = () => z.string().trim().default('')
/** Text, trimmed; null when left empty. */
const optionalText = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || null)

/** One of the domain's own values (its exported list), else `message` beside the field. */
function oneOf<T extends string>(list: readonly T[], message: Message = 'form.invalidChoice') {
  return z
    .string({ required_error: message, invalid_type_error: message })
    .trim()
    .refine((v): v is T => (list as readonly string[]).includes(v), { message })
}

/** A record id (UUID, lower-cased) or null when left empty. */
const optionalUuid = (message: Message = 'form.invalidChoice') =>
  z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || isUuid(v), { message })
    .transform((v) => (v ? v.toLowerCase() : null))

/** A checkbox: ticked when posted with its value (a browser posts "on" for one without value). */
const checkbox = (value = 'on') => z.unknown().transform((v) => v === value)

/** A name posted several times (e-mails, ticked boxes of one group), as posted in order: trimmed, empty ones left out. */
const list = () =>
  z.unknown().transform((v) =>
    (Array.isArray(v) ? v : [v])
      .filter((x): x is string => typeof x === 'string')
      .map((x) => x.trim())
      .filter(Boolean),
  )

/** Like `list`, keeping only the values of the domain's `among`. */
function someOf<T extends string>(among: readonly T[]) {
  return list().transform((vs) => vs.filter((v): v is T => (among as readonly string[]).includes(v)))
}

export const field = { text, optionalText, oneOf, optionalUuid, checkbox, list, someOf }
