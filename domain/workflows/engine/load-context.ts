import type { Db } from '../../../db/kysely.js'
import type { Contact, Deal, Organisation } from '../../../db/schema.js'
import { buildValues, type ContextInput } from './run-context.js'

export type Subject = { type: 'deal' | 'organisation'; id: string }

export type SubjectRecords = {
  deal: Deal | null
  organisation: Organisation | null
  contact: Contact | null
  owner: { id: string; full_name: string; email: string; team_id: string | null } | null
}

/**
 * The records of many subjects of one workspace, in four queries (the dispatcher checks
 * entry conditions for a whole batch of events at once). A deal brings its organisation
 * and first contact; an organisation its first contact (oldest); the owner is the
 * record's owner.
 */
export async function loadSubjects(db: Db, workspaceId: string, subjects: Subject[]): Promise<Map<string, SubjectRecords>> {
  const dealIds = [...new Set(subjects.filter((s) => s.type === 'deal').map((s) => s.id))]
  const deals = dealIds.length ? await db.selectFrom('deals').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', dealIds).execute() : []
  const orgIds = [...new Set([...subjects.filter((s) => s.type === 'organisation').map((s) => s.id), ...deals.map((d) => d.organisation_id)])]
  const orgs = orgIds.length ? await db.selectFrom('organisations').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', orgIds).execute() : []
  const contactIds = [...new Set(deals.map((d) => d.contact_ids?.[0]).filter((x): x is string => !!x))]
  const contacts =
    contactIds.length || orgIds.length
      ? await db
          .selectFrom('contacts')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('deleted_at', 'is', null)
          .where((eb) => eb.or([...(contactIds.length ? [eb('id', 'in', contactIds)] : []), ...(orgIds.length ? [eb('organisation_id', 'in', orgIds)] : [])]))
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      : []
  const ownerIds = [...new Set([...deals.map((d) => d.owner_id), ...orgs.map((o) => o.owner_id)].filter((x): x is string => !!x))]
  const owners = ownerIds.length
    ? await db.selectFrom('users').select(['id', 'full_name', 'email', 'team_id']).where('workspace_id', '=', workspaceId).where('id', 'in', ownerIds).execute()
    : []

  const dealById = new Map(deals.map((d) => [d.id, d]))
  const orgById = new Map(orgs.map((o) => [o.id, o]))
  const contactById = new Map(contacts.map((c) => [c.id, c]))
  const firstContactOfOrg = new Map<string, Contact>()
  for (const c of contacts) if (c.organisation_id && !firstContactOfOrg.has(c.organisation_id)) firstContactOfOrg.set(c.organisation_id, c)
  const ownerById = new Map(owners.map((u) => [u.id, u]))

  const out = new Map<string, SubjectRecords>()
  for (const s of subjects) {
    const deal = s.type === 'deal' ? (dealById.get(s.id) ?? null) : null
    const organisation = (s.type === 'organisation' ? orgById.get(s.id) : deal ? orgById.get(deal.organisation_id) : undefined) ?? null
    const contact =
      (deal?.contact_ids?.[0] ? contactById.get(deal.contact_ids[0]) : undefined) ?? (organisation ? firstContactOfOrg.get(organisation.id) : undefined) ?? null
    const ownerId = deal ? deal.owner_id : organisation?.owner_id
    out.set(`${s.type}:${s.id}`, { deal, organisation, contact, owner: (ownerId && ownerById.get(ownerId)) || null })
  }
  return out
}

export async function loadSubject(db: Db, workspaceId: string, subject: Subject | null): Promise<SubjectRecords> {
  if (!subject) return { deal: null, organisation: null, contact: null, owner: null }
  return (await loadSubjects(db, workspaceId, [subject])).get(`${subject.type}:${subject.id}`)!
}

/** Whether the subject still exists (a deleted record ends its runs). */
export const subjectGone = (subject: Subject | null, r: SubjectRecords) =>
  subject !== null && (subject.type === 'deal' ? !r.deal || !!r.deal.deleted_at : !r.organisation || !!r.organisation.deleted_at)

export function valuesOf(r: SubjectRecords, trigger: ContextInput['trigger'], now: Date, appUrl: string) {
  return buildValues({ ...r, trigger, now, appUrl })
}
