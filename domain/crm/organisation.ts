import type { Organisation, OrganisationStatus } from '../../db/schema.js'
import type { DomainEvent } from '../shared/events.js'

export type OrganisationState = Organisation

export const ORGANISATION_STATUSES: readonly OrganisationStatus[] = ['prospect', 'client', 'ancien_client']

/** The editable fields of an organisation (what forms and imports send). */
export type OrganisationFields = {
  name: string
  siren: string | null
  siret: string | null
  vat_number: string | null
  address: string | null
  postal_code: string | null
  city: string | null
  sector: string | null
  size: string | null
  status: OrganisationStatus
  owner_id: string | null
  /** Visible to every commercial, not only its owner. */
  shared?: boolean
  tags?: string[]
  notes?: string | null
  /** Switchboard, E.164 once validated. */
  phone?: string | null
  /** https://… once validated (a bare "exemple.fr" gets https://). */
  website?: string | null
  /** The generic address (contact@…), lower-cased. */
  email?: string | null
}

/** Who changed an organisation's status: a person (then the rule stops), or the won-deal rule. */
export type StatusChange = { by: 'person' } | { by: 'rule'; reason: 'deal_won'; deal_id: string }

export type OrganisationCreated = DomainEvent<'OrganisationCreated', { id: string; workspace_id: string; at: string } & OrganisationFields>
export type OrganisationUpdated = DomainEvent<
  'OrganisationUpdated',
  // status_change is present whenever changes.status is: the record of who moved it and why.
  { id: string; at: string; changes: Partial<OrganisationFields>; status_change?: StatusChange }
>
export type OrganisationDeleted = DomainEvent<'OrganisationDeleted', { id: string; at: string }>
/** Which rows a merge moved from the merged record to the kept one, by kind (their own streams say so too). */
export type MergeMoved = Record<string, string[]>
/** On the kept organisation: it took `merged_id`'s rows, and the values chosen field by field. */
export type OrganisationsMerged = DomainEvent<
  'OrganisationsMerged',
  { id: string; at: string; merged_id: string; changes: Partial<OrganisationFields>; moved: MergeMoved }
>
/** On the organisation merged away: it is kept (deleted) and points at the one it went into. */
export type OrganisationMergedInto = DomainEvent<'OrganisationMergedInto', { id: string; at: string; into_id: string }>
export type OrganisationEvent = OrganisationCreated | OrganisationUpdated | OrganisationDeleted | OrganisationsMerged | OrganisationMergedInto

export const ORGANISATION_STREAM = 'organisation'

export function evolveOrganisation(state: OrganisationState | null, event: OrganisationEvent): OrganisationState {
  switch (event.type) {
    case 'OrganisationCreated': {
      const { at, ...d } = event.data
      return {
        shared: false,
        tags: [],
        notes: null,
        phone: null,
        website: null,
        email: null,
        ...d,
        status_manual: false,
        merged_into_id: null,
        version: 0,
        created_at: new Date(at),
        updated_at: new Date(at),
        deleted_at: null,
      }
    }
    case 'OrganisationUpdated': {
      const byPerson = event.data.status_change?.by === 'person'
      return { ...state!, ...event.data.changes, ...(byPerson ? { status_manual: true } : {}), updated_at: new Date(event.data.at) }
    }
    case 'OrganisationDeleted':
      return { ...state!, deleted_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
    case 'OrganisationsMerged':
      return { ...state!, ...event.data.changes, ...(event.data.changes.status ? { status_manual: true } : {}), updated_at: new Date(event.data.at) }
    case 'OrganisationMergedInto':
      return { ...state!, merged_into_id: event.data.into_id, deleted_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
  }
}
