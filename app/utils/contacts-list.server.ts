import { sql } from 'kysely'
import type { Auth } from './auth.server'
import { contactSearch } from './contacts.server'
import { EXPORT_CAP } from './list-params.server'
import { containsPattern } from './records.server'
import { visibleTo } from './visibility.server'

// The contacts list's one query — its search and the role's visibility — shared by the
// page (/contacts) and its export (/contacts/export), so an export never holds a contact
// the list would not show this user.

/** `?q=` as the list reads it. */
export const contactListQ = (url: URL) => (url.searchParams.get('q') ?? '').trim().slice(0, 100)

export function contactListRows(auth: Auth, q: string) {
  let query = auth.tenant
    .selectFrom('contacts')
    .leftJoin('users as owner', 'owner.id', 'contacts.owner_id')
    .leftJoin('organisations', (j) =>
      j.onRef('organisations.id', '=', 'contacts.organisation_id').onRef('organisations.workspace_id', '=', 'contacts.workspace_id'),
    )
    .select([
      'contacts.id',
      'contacts.civility',
      'contacts.first_name',
      'contacts.last_name',
      'contacts.job_title',
      'contacts.emails',
      'contacts.phones',
      'contacts.organisation_id',
      'contacts.shared',
      'contacts.gdpr_consent',
      'contacts.marketing_opt_out',
      'contacts.created_at',
      'organisations.name as organisation_name',
      'organisations.siren as organisation_siren',
      'owner.full_name as owner_name',
      'owner.email as owner_email',
      'contacts.consent_source',
    ])
    .where('contacts.deleted_at', 'is', null)
    .where(visibleTo(auth.actor, 'contacts'))
  if (q) query = query.where(contactSearch(containsPattern(q)))
  return query
}

export type ContactListRow = Awaited<ReturnType<ReturnType<typeof contactListRows>['execute']>>[number]

/** Every row of the filtered list in the list's order (last name, first name), in batches, keyset-paged. */
export async function* allContacts(auth: Auth, q: string, cap = EXPORT_CAP, batch = 2_000): AsyncGenerator<ContactListRow[]> {
  let after: { last: string; first: string; id: string } | null = null
  let sent = 0
  while (sent < cap) {
    let query = contactListRows(auth, q)
    if (after) query = query.where(sql<boolean>`(contacts.last_name, contacts.first_name, contacts.id) > (${after.last}, ${after.first}, ${after.id}::uuid)`)
    const rows = await query
      .orderBy('contacts.last_name')
      .orderBy('contacts.first_name')
      .orderBy('contacts.id')
      .limit(Math.min(batch, cap - sent))
      .execute()
    if (!rows.length) return
    yield rows
    sent += rows.length
    const last = rows[rows.length - 1]
    after = { last: last.last_name, first: last.first_name, id: last.id }
  }
}
