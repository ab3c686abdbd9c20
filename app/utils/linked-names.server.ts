import type { Auth } from './auth.server'
import { visibleTo } from './visibility.server'

// The names of the records a page of tasks or activities is linked to, for their lists:
// only records this user may see (a hidden one reads as no link), three queries at most
// whatever the page's length.

export type LinkRef = { id: string; organisation_id: string | null; contact_id: string | null; deal_id: string | null }
export type LinkedName = { id: string; name: string }
export type LinkedNames = { organisation: LinkedName | null; contact: LinkedName | null; deal: LinkedName | null }
export type LinkKind = keyof LinkedNames

/**
 * For each row's id, the visible names of its organisation, contact (first and last
 * name) and deal (title). `kinds` leaves out the ones a page does not show.
 *
 * @example const links = await linkedNames(auth, page, ['contact', 'deal']); links.get(row.id)?.deal?.name
 */
export async function linkedNames(
  auth: Auth,
  rows: LinkRef[],
  kinds: readonly LinkKind[] = ['organisation', 'contact', 'deal'],
): Promise<Map<string, LinkedNames>> {
  const ids = (kind: LinkKind) => (kinds.includes(kind) ? [...new Set(rows.map((r) => r[`${kind}_id`]).filter((x): x is string => !!x))] : [])
  const [orgIds, contactIds, dealIds] = [ids('organisation'), ids('contact'), ids('deal')]
  const [orgs, contacts, deals] = await Promise.all([
    orgIds.length
      ? auth.tenant
          .selectFrom('organisations')
          .select(['organisations.id', 'organisations.name'])
          .where('organisations.id', 'in', orgIds)
          .where('organisations.deleted_at', 'is', null)
          .where(visibleTo(auth.actor, 'organisations'))
          .execute()
      : [],
    contactIds.length
      ? auth.tenant
          .selectFrom('contacts')
          .select(['contacts.id', 'contacts.first_name', 'contacts.last_name'])
          .where('contacts.id', 'in', contactIds)
          .where('contacts.deleted_at', 'is', null)
          .where(visibleTo(auth.actor, 'contacts'))
          .execute()
      : [],
    dealIds.length
      ? auth.tenant
          .selectFrom('deals')
          .select(['deals.id', 'deals.title'])
          .where('deals.id', 'in', dealIds)
          .where('deals.deleted_at', 'is', null)
          .where(visibleTo(auth.actor, 'deals'))
          .execute()
      : [],
  ])
  const org = new Map(orgs.map((o) => [o.id, o.name]))
  const contact = new Map(contacts.map((c) => [c.id, `${c.first_name} ${c.last_name}`]))
  const deal = new Map(deals.map((d) => [d.id, d.title]))
  const pick = (m: Map<string, string>, id: string | null) => (id && m.has(id) ? { id, name: m.get(id)! } : null)
  return new Map(rows.map((r) => [r.id, { organisation: pick(org, r.organisation_id), contact: pick(contact, r.contact_id), deal: pick(deal, r.deal_id) }]))
}
