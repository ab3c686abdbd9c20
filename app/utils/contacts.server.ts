import { sql } from 'kysely'
import { z } from 'zod'
import type { Contact } from '../../db/schema'
import { formatPhone } from '../../domain/crm/contact-points'
import type { ContactFields } from '../../domain/crm/contact'
import { canWriteRecord } from '../../domain/identity/roles'
import type { TFunction } from '../i18n/i18n'
import type { Auth } from './auth.server'
import { isCalendarDate } from './deal-form.server'
import { field } from './form-schema.server'
import { tagsField } from './organisation-form.server'
import { isUuid } from './forms.server'
import { toIsoDate } from './format'
import { visibleTo } from './visibility.server'

/** A contact of the session's workspace, not deleted, visible to this role — or null (404). */
export async function findVisibleContact(auth: Auth, id: string) {
  if (!isUuid(id)) return null
  const row = await auth.tenant
    .selectFrom('contacts')
    .leftJoin('users as owner', 'owner.id', 'contacts.owner_id')
    .leftJoin('organisations', (j) =>
      j.onRef('organisations.id', '=', 'contacts.organisation_id').onRef('organisations.workspace_id', '=', 'contacts.workspace_id'),
    )
    .selectAll('contacts')
    .select(['owner.team_id as owner_team_id', 'owner.full_name as owner_name', 'organisations.name as organisation_name'])
    .where('contacts.id', '=', id)
    .where('contacts.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'contacts'))
    .executeTakeFirst()
  if (!row) return null
  return { ...row, canWrite: canWriteRecord(auth.actor, { owner_id: row.owner_id, ownerTeamId: row.owner_team_id, shared: row.shared }) }
}

export const fullName = (c: { civility?: string | null; first_name: string; last_name: string }) => `${c.first_name} ${c.last_name}`

/** Stored E.164 numbers with how French users read them ("06 12 34 56 78"), formatted on the server. */
export const phoneLinks = (phones: string[]) => phones.map((e164) => ({ e164, display: formatPhone(e164) }))

/** The contact form's shape (parseForm): e-mails and phones one input each, the boxes ticked or not. */
export const contactFormSchema = z.object({
  civility: field.optionalText(),
  first_name: field.text(),
  last_name: field.text(),
  job_title: field.optionalText(),
  emails: field.list(),
  phones: field.list(),
  organisation_id: field.optionalText(),
  owner_id: field.optionalText(),
  shared: field.checkbox(),
  gdpr_consent: field.checkbox(),
  consent_source: field.optionalText(),
  consent_date: field.optionalText(),
  marketing_opt_out: field.checkbox(),
  tags: tagsField(),
  notes: field.optionalText(),
})

/**
 * The contact form's fields as the command takes them (it validates and normalises them),
 * plus the errors only the web form can make.
 */
export function readContactFields(form: z.output<typeof contactFormSchema>, t: TFunction): { fields: ContactFields; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  if (form.consent_date && !isCalendarDate(form.consent_date)) errors.consent_date = t('date.invalid')
  if (form.organisation_id && !isUuid(form.organisation_id)) errors.organisation_id = t('contact.organisationNotFound')
  return { fields: form, errors }
}

/** What was posted, to put back in the form: repeated inputs (e-mails, phones) one per line. */
export function contactFormValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [k, v] of form) if (typeof v === 'string' && k !== 'csrf' && k !== 'emails' && k !== 'phones') values[k] = v
  values.emails = form
    .getAll('emails')
    .filter((v) => typeof v === 'string')
    .join('\n')
  values.phones = form
    .getAll('phones')
    .filter((v) => typeof v === 'string')
    .join('\n')
  return values
}

/** A stored contact as form values (phones as people type them). */
export function contactToValues(c: Contact): Record<string, string> {
  return {
    civility: c.civility ?? '',
    first_name: c.first_name,
    last_name: c.last_name,
    job_title: c.job_title ?? '',
    emails: c.emails.join('\n'),
    phones: c.phones.map(formatPhone).join('\n'),
    organisation_id: c.organisation_id ?? '',
    owner_id: c.owner_id ?? '',
    shared: c.shared ? 'on' : '',
    gdpr_consent: c.gdpr_consent ? 'on' : '',
    consent_source: c.consent_source ?? '',
    consent_date: toIsoDate(c.consent_date) ?? '',
    marketing_opt_out: c.marketing_opt_out ? 'on' : '',
    tags: c.tags.join(', '),
    notes: c.notes ?? '',
  }
}

/** A search term against names (either order) and e-mail addresses; accent- and case-insensitive. */
export function contactSearch(pattern: ReturnType<typeof sql<string>>) {
  return sql<boolean>`(
    f_unaccent(lower(contacts.first_name || ' ' || contacts.last_name)) like ${pattern}
    or f_unaccent(lower(contacts.last_name || ' ' || contacts.first_name)) like ${pattern}
    or array_to_string(contacts.emails, ' ') like ${pattern}
  )`
}

/** Visible contacts of one organisation, for its page and its deals. */
export async function contactsOfOrganisation(auth: Auth, organisationId: string, limit = 200) {
  return auth.tenant
    .selectFrom('contacts')
    .select(['contacts.id', 'contacts.civility', 'contacts.first_name', 'contacts.last_name', 'contacts.job_title', 'contacts.emails', 'contacts.phones'])
    .where('contacts.organisation_id', '=', organisationId)
    .where('contacts.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'contacts'))
    .orderBy('contacts.last_name')
    .orderBy('contacts.first_name')
    .orderBy('contacts.id')
    .limit(limit)
    .execute()
}

/** A contact as a list line: first e-mail and first phone (formatted here, not in the browser). */
export const contactLine = ({
  emails,
  phones,
  ...c
}: {
  id: string
  first_name: string
  last_name: string
  job_title: string | null
  emails: string[]
  phones: string[]
}) => ({
  id: c.id,
  first_name: c.first_name,
  last_name: c.last_name,
  job_title: c.job_title,
  email: emails[0] ?? null,
  phone: phoneLinks(phones.slice(0, 1))[0] ?? null,
})

/**
 * A deal's contacts this user may see, and the ones they may tick: the visible contacts
 * of its organisation plus those already linked.
 */
export async function dealContacts(auth: Auth, deal: { organisation_id: string; contact_ids: string[] }) {
  const [ofOrganisation, linked] = await Promise.all([
    contactsOfOrganisation(auth, deal.organisation_id),
    deal.contact_ids.length
      ? auth.tenant
          .selectFrom('contacts')
          .select(['contacts.id', 'contacts.civility', 'contacts.first_name', 'contacts.last_name', 'contacts.job_title', 'contacts.emails', 'contacts.phones'])
          .where('contacts.id', 'in', deal.contact_ids)
          .where('contacts.deleted_at', 'is', null)
          .where(visibleTo(auth.actor, 'contacts'))
          .orderBy('contacts.last_name')
          .orderBy('contacts.first_name')
          .execute()
      : Promise.resolve([]),
  ])
  const options = [...linked.filter((c) => !ofOrganisation.some((o) => o.id === c.id)), ...ofOrganisation]
  return {
    linked: linked.map(contactLine),
    options: options.map((c) => ({ id: c.id, name: fullName(c), job_title: c.job_title, checked: deal.contact_ids.includes(c.id) })),
  }
}

/**
 * The deal's new contact list from the ticked boxes: only contacts offered to this user;
 * linked contacts they cannot see stay linked. Null when a box names anything else.
 */
export async function chosenDealContacts(auth: Auth, deal: { organisation_id: string; contact_ids: string[] }, ticked: string[]): Promise<string[] | null> {
  const { options } = await dealContacts(auth, deal)
  const offered = new Set(options.map((o) => o.id))
  if (!ticked.every((id) => offered.has(id))) return null
  const hidden = deal.contact_ids.filter((id) => !offered.has(id))
  return [...new Set([...hidden, ...ticked])]
}
