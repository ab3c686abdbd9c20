import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { dayProblem } from '../shared/plausible.js'
import { collectText, collectTexts } from '../shared/user-text.js'
import { isValidEmail, normaliseEmail, toE164 } from './contact-points.js'
import type { ContactEvent, ContactFields, ContactState } from './contact.js'

const CIVILITIES = ['M.', 'Mme']

export function validateContactFields(input: ContactFields): ContactFields {
  const errors: FieldProblems = {}
  const nameTooLong = (max: number) => ({ code: 'name.too_long', params: { max } }) as const
  const first = collectText(errors, 'first_name', input.first_name ?? '', 'name', nameTooLong) ?? ''
  const last = collectText(errors, 'last_name', input.last_name ?? '', 'name', nameTooLong) ?? ''
  if (!first) errors.first_name ??= 'contact.first_name.required'
  if (!last) errors.last_name ??= 'name.required'
  if (input.civility && !CIVILITIES.includes(input.civility)) errors.civility = 'contact.civility.unknown'
  const jobTitle = collectText(errors, 'job_title', input.job_title, 'label')
  const consentSource = collectText(errors, 'consent_source', input.consent_source, 'label')
  const emails = collectTexts(errors, 'emails', input.emails, 'email')
  const badEmail = emails.find((e) => !isValidEmail(e))
  if (badEmail) errors.emails ??= { code: 'contact.email.invalid', params: { value: badEmail } }
  const phones: string[] = []
  for (const raw of collectTexts(errors, 'phones', input.phones, 'phone')) {
    const e164 = toE164(raw)
    if (!e164) {
      errors.phones = { code: 'contact.phone.invalid', params: { value: raw } }
      break
    }
    phones.push(e164)
  }
  if (input.gdpr_consent && !consentSource) errors.consent_source ??= 'contact.consent_source.required'
  const consentDate = input.consent_date ? dayProblem(input.consent_date, 'contact.consent_date.invalid') : null
  if (consentDate) errors.consent_date = consentDate
  const notes = collectText(errors, 'notes', input.notes, 'notes')
  const tags =
    input.tags === undefined ? undefined : collectTexts(errors, 'tags', input.tags, 'tag', (max) => ({ code: 'organisation.tag.too_long', params: { max } }))
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return {
    ...input,
    ...(tags === undefined ? {} : { tags: [...new Set(tags)] }),
    ...(notes === undefined ? {} : { notes }),
    first_name: first,
    last_name: last,
    job_title: jobTitle,
    emails: [...new Set(emails.map(normaliseEmail))],
    phones: [...new Set(phones)],
    consent_source: consentSource,
  }
}

export function createContact(state: ContactState | null, cmd: { id: string; fields: ContactFields }, ctx: CommandContext): ContactEvent[] {
  if (state) throw new DomainError('contact.exists')
  const fields = validateContactFields(cmd.fields)
  // Consent without a date gets the date it was recorded: the GDPR register needs one.
  if (fields.gdpr_consent && !fields.consent_date) fields.consent_date = ctx.now.toISOString().slice(0, 10)
  return [{ type: 'ContactCreated', data: { id: cmd.id, workspace_id: ctx.workspaceId, at: ctx.now.toISOString(), ...fields } }]
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export function updateContact(state: ContactState | null, cmd: { fields: ContactFields }, ctx: CommandContext): ContactEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('contact.not_found')
  const fields = validateContactFields(cmd.fields)
  if (fields.gdpr_consent && !state.gdpr_consent && !fields.consent_date) fields.consent_date = ctx.now.toISOString().slice(0, 10)
  const changes: Partial<ContactFields> = {}
  for (const k of Object.keys(fields) as (keyof ContactFields)[]) {
    if (fields[k] !== undefined && !same(fields[k], state[k])) (changes as Record<string, unknown>)[k] = fields[k]
  }
  if (Object.keys(changes).length === 0) return []
  return [{ type: 'ContactUpdated', data: { id: state.id, at: ctx.now.toISOString(), changes } }]
}

export function deleteContact(state: ContactState | null, ctx: CommandContext): ContactEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('contact.not_found')
  return [{ type: 'ContactDeleted', data: { id: state.id, at: ctx.now.toISOString() } }]
}
