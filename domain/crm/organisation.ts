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
}

export type OrganisationCreated = DomainEvent<'OrganisationCreated', { id: string; workspace_id: string; at: string } & OrganisationFields>
export type OrganisationUpdated = DomainEvent<'OrganisationUpdated', { id: string; at: string; changes: Partial<OrganisationFields> }>
export type OrganisationDeleted = DomainEvent<'OrganisationDeleted', { id: string; at: string }>
export type OrganisationEvent = OrganisationCreated | OrganisationUpdated | OrganisationDeleted

export const ORGANISATION_STREAM = 'organisation'

export function evolveOrganisation(state: OrganisationState | null, event: OrganisationEvent): OrganisationState {
  switch (event.type) {
    case 'OrganisationCreated': {
      const { at, ...d } = event.data
      return { shared: false, tags: [], notes: null, ...d, version: 0, created_at: new Date(at), updated_at: new Date(at), deleted_at: null }
    }
    case 'OrganisationUpdated':
      return { ...state!, ...event.data.changes, updated_at: new Date(event.data.at) }
    case 'OrganisationDeleted':
      return { ...state!, deleted_at: new Date(event.data.at), updated_at: new Date(event.data.at) }
  }
}
