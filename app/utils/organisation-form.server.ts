import type { OrganisationStatus } from '../../db/schema'
import type { OrganisationFields } from '../../domain/crm/organisation'
import { optionalText, text } from './forms.server'

/** The organisation form's fields as the domain command takes them (it validates them). */
export function readOrganisationFields(form: FormData): OrganisationFields {
  return {
    name: text(form, 'name'),
    siren: optionalText(form, 'siren'),
    siret: optionalText(form, 'siret'),
    vat_number: optionalText(form, 'vat_number'),
    address: optionalText(form, 'address'),
    postal_code: optionalText(form, 'postal_code'),
    city: optionalText(form, 'city'),
    sector: optionalText(form, 'sector'),
    size: optionalText(form, 'size'),
    status: text(form, 'status') as OrganisationStatus,
    owner_id: optionalText(form, 'owner_id'),
  }
}

/**
 * An owner the actor may assign: nobody, one of `assignable`, or the record's current
 * owner left unchanged. Returns whether it is allowed.
 */
export function ownerAllowed(ownerId: string | null, assignable: { id: string }[], currentOwner?: string | null): boolean {
  return ownerId === null || ownerId === currentOwner || assignable.some((o) => o.id === ownerId)
}
