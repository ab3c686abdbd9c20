import type { Contact } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'

export type ContactState = Contact

export type ContactFields = {
  civility: string | null
  first_name: string
  last_name: string
  job_title: string | null
  emails: string[]
  phones: string[]
  organisation_id: string | null
  owner_id: string | null
  shared: boolean
  gdpr_consent: boolean
  consent_source: string | null
  consent_date: string | null
  marketing_opt_out: boolean
  /** Omitted (undefined) means unchanged, as on organisations. */
  tags?: string[]
  notes?: string | null
}

export type ContactCreated = DomainEvent<'ContactCreated', { id: string; workspace_id: string; at: string } & ContactFields>
export type ContactUpdated = DomainEvent<'ContactUpdated', { id: string; at: string; changes: Partial<ContactFields> }>
export type ContactDeleted = DomainEvent<'ContactDeleted', { id: string; at: string }>
/** On the kept contact: it took `merged_id`'s rows (by kind), and the values chosen field by field. */
export type ContactsMerged = DomainEvent<
  'ContactsMerged',
  { id: string; at: string; merged_id: string; changes: Partial<ContactFields>; moved: Record<string, string[]> }
>
/** On the contact merged away: kept (deleted), pointing at the one it went into. */
export type ContactMergedInto = DomainEvent<'ContactMergedInto', { id: string; at: string; into_id: string }>
export type ContactEvent = ContactCreated | ContactUpdated | ContactDeleted | ContactsMerged | ContactMergedInto

export const CONTACT_STREAM = 'contact'

export function evolveContact(state: ContactState | null, event: ContactEvent): ContactState {
  switch (event.type) {
    case 'ContactCreated': {
      const { at, ...d } = event.data
      return {
        ...d,
        tags: d.tags ?? [],
        notes: d.notes ?? null,
        merged_into_id: null,
        version: 0,
        created_at: new Date(at),
        updated_at: new Date(at),
        deleted_at: null,
      }
    }
    case 'ContactUpdated':
      return { ...state!, ...event.data.changes, updated_at: new Date(event.data.at) }
    case 'ContactDeleted':
      return { ...state!, deleted_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
    case 'ContactsMerged':
      return { ...state!, ...event.data.changes, updated_at: new Date(event.data.at) }
    case 'ContactMergedInto':
      return { ...state!, merged_into_id: event.data.into_id, deleted_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
  }
}
