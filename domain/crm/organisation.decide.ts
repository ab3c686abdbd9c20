import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { collectText, collectTexts } from '../shared/user-text.js'
import { isValidEmail, normaliseEmail, toE164 } from './contact-points.js'
import { isValidSiren, isValidSiret, isValidVatNumber, normaliseDigits } from './french-ids.js'
import {
  ORGANISATION_STATUSES as STATUSES,
  type OrganisationEvent,
  type OrganisationFields,
  type OrganisationState,
  type StatusChange,
} from './organisation.js'

/** Checks and normalises the fields; throws a ValidationError with a code beside each field. */
export function validateOrganisationFields(input: OrganisationFields): OrganisationFields {
  const errors: FieldProblems = {}
  const name = collectText(errors, 'name', input.name ?? '', 'name', (max) => ({ code: 'name.too_long', params: { max } })) ?? ''
  if (!name) errors.name ??= 'name.required'
  const address = collectText(errors, 'address', input.address, 'address')
  const city = collectText(errors, 'city', input.city, 'city')
  const sector = collectText(errors, 'sector', input.sector, 'label')
  const size = collectText(errors, 'size', input.size, 'label')
  const notes = collectText(errors, 'notes', input.notes, 'notes')
  const siren = input.siren ? normaliseDigits(input.siren) : null
  const siret = input.siret ? normaliseDigits(input.siret) : null
  if (siren && !isValidSiren(siren)) errors.siren = 'organisation.siren.invalid'
  if (siret && !isValidSiret(siret)) errors.siret = 'organisation.siret.invalid'
  if (siren && siret && !errors.siren && !errors.siret && !siret.startsWith(siren)) errors.siret = 'siret.must_start_with_siren'
  const vat = input.vat_number ? input.vat_number.replace(/\s/g, '').toUpperCase() : null
  if (vat && !isValidVatNumber(vat)) errors.vat_number = 'organisation.vat_number.invalid'
  if (!STATUSES.includes(input.status)) errors.status = 'status.unknown'
  if (input.postal_code && !/^\d{5}$/.test(input.postal_code.trim())) errors.postal_code = 'postal_code.invalid'
  const phoneText = collectText(errors, 'phone', input.phone, 'phone')
  const phone = phoneText ? toE164(phoneText) : phoneText
  if (phoneText && !phone) errors.phone ??= { code: 'organisation.phone.invalid', params: { value: phoneText } }
  const emailText = collectText(errors, 'email', input.email, 'email')
  if (emailText && !isValidEmail(emailText)) errors.email ??= { code: 'contact.email.invalid', params: { value: emailText } }
  const website = normaliseWebsite(errors, collectText(errors, 'website', input.website, 'url'))
  const tags =
    input.tags === undefined ? undefined : collectTexts(errors, 'tags', input.tags, 'tag', (max) => ({ code: 'organisation.tag.too_long', params: { max } }))
  if (Object.keys(errors).length) throw new ValidationError(errors)
  return {
    ...input,
    ...(tags === undefined ? {} : { tags }),
    ...(notes === undefined ? {} : { notes }),
    ...(phone === undefined ? {} : { phone }),
    ...(emailText === undefined ? {} : { email: emailText && normaliseEmail(emailText) }),
    ...(website === undefined ? {} : { website }),
    name,
    address,
    city,
    sector,
    size,
    siren: siren ?? (siret ? siret.slice(0, 9) : null),
    siret,
    vat_number: vat,
    postal_code: input.postal_code?.trim() || null,
  }
}

// A website is stored as an https:// (or http://) address; "exemple.fr" gets https://.
// Anything else (javascript:, a bare word) is refused: the read view turns it into a link.
function normaliseWebsite(errors: FieldProblems, text: string | null | undefined): string | null | undefined {
  if (!text) return text
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`
  try {
    const url = new URL(withScheme)
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.') && !url.username && !url.password) return url.toString()
  } catch {
    // falls through to the field error
  }
  errors.website ??= 'organisation.website.invalid'
  return undefined
}

export function createOrganisation(state: OrganisationState | null, cmd: { id: string; fields: OrganisationFields }, ctx: CommandContext): OrganisationEvent[] {
  if (state) throw new DomainError('organisation.exists')
  const fields = validateOrganisationFields(cmd.fields)
  return [{ type: 'OrganisationCreated', data: { id: cmd.id, workspace_id: ctx.workspaceId, at: ctx.now.toISOString(), ...fields } }]
}

export function updateOrganisation(state: OrganisationState | null, cmd: { fields: OrganisationFields }, ctx: CommandContext): OrganisationEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('organisation.not_found')
  const fields = validateOrganisationFields(cmd.fields)
  const changes: Partial<OrganisationFields> = {}
  for (const k of Object.keys(fields) as (keyof OrganisationFields)[]) {
    // An omitted optional field (undefined) means "unchanged", not "cleared".
    if (fields[k] !== undefined && JSON.stringify(fields[k]) !== JSON.stringify(state[k])) (changes as Record<string, unknown>)[k] = fields[k]
  }
  if (Object.keys(changes).length === 0) return []
  // A status chosen by a person is final for the won-deal rule (ADR 0035).
  const statusChange: StatusChange | undefined = changes.status ? { by: 'person' } : undefined
  return [{ type: 'OrganisationUpdated', data: { id: state.id, at: ctx.now.toISOString(), changes, ...(statusChange ? { status_change: statusChange } : {}) } }]
}

/**
 * The won-deal rule (ADR 0035): an organisation becomes a client when one of its deals
 * is won — unless a person has set its status by hand, or it already is one.
 */
export function applyWonDealRule(state: OrganisationState | null, cmd: { dealId: string }, ctx: CommandContext): OrganisationEvent[] {
  if (!state || state.deleted_at || state.status_manual || state.status === 'client') return []
  return [
    {
      type: 'OrganisationUpdated',
      data: { id: state.id, at: ctx.now.toISOString(), changes: { status: 'client' }, status_change: { by: 'rule', reason: 'deal_won', deal_id: cmd.dealId } },
    },
  ]
}

export function deleteOrganisation(state: OrganisationState | null, ctx: CommandContext): OrganisationEvent[] {
  if (!state || state.deleted_at) throw new NotFoundError('organisation.not_found')
  return [{ type: 'OrganisationDeleted', data: { id: state.id, at: ctx.now.toISOString() } }]
}
