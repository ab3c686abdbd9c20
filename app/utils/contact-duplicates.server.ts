import { sql } from 'kysely'
import type { ContactFields } from '../../domain/crm/contact'
import { validateContactFields } from '../../domain/crm/contact.decide'
import type { Auth } from './auth.server'
import { visibleTo } from './visibility.server'

export type DuplicateContact = {
  id: string
  first_name: string
  last_name: string
  organisation_name: string | null
  sameEmail: boolean
}
export type ContactDuplicates = { visible: DuplicateContact[]; hidden: number }

/**
 * Contacts of the workspace that look like the one about to be created: one of its
 * e-mails (case aside), or the same first and last name (accents and case aside) in the
 * same organisation. Those this user may not read are only counted, never named.
 */
export async function findDuplicateContacts(auth: Auth, input: ContactFields): Promise<ContactDuplicates> {
  let fields: ContactFields
  try {
    fields = validateContactFields(input)
  } catch {
    return { visible: [], hidden: 0 } // the command will report the field errors
  }
  const emails = fields.emails // normalised to lower case by the domain
  const fold = (s: string) => sql<string>`f_unaccent(lower(${s}))`
  const sameName = fields.organisation_id
    ? sql<boolean>`(contacts.organisation_id = ${fields.organisation_id}::uuid
        and f_unaccent(lower(contacts.first_name)) = ${fold(fields.first_name)}
        and f_unaccent(lower(contacts.last_name)) = ${fold(fields.last_name)})`
    : sql<boolean>`false`
  const sameEmail = emails.length ? sql<boolean>`(contacts.emails && ${sql.val(emails)}::text[])` : sql<boolean>`false`
  const matching = () =>
    auth.tenant
      .selectFrom('contacts')
      .where('contacts.deleted_at', 'is', null)
      .where(sql<boolean>`(${sameEmail} or ${sameName})`)
  const [visible, all] = await Promise.all([
    matching()
      .leftJoin('organisations', (j) =>
        j.onRef('organisations.id', '=', 'contacts.organisation_id').onRef('organisations.workspace_id', '=', 'contacts.workspace_id'),
      )
      .where(visibleTo(auth.actor, 'contacts'))
      .select(['contacts.id', 'contacts.first_name', 'contacts.last_name', 'contacts.emails', 'organisations.name as organisation_name'])
      .orderBy('contacts.last_name')
      .orderBy('contacts.id')
      .limit(5)
      .execute(),
    matching()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ])
  return {
    visible: visible.map(({ emails: theirs, ...c }) => ({ ...c, sameEmail: theirs.some((e) => emails.includes(e.toLowerCase())) })),
    hidden: Math.max(0, Number(all.n) - visible.length),
  }
}
