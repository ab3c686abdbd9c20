import { describe, expect, it } from 'vitest'
import type { CommandContext } from '../shared/events.js'
import { ValidationError } from '../shared/errors.js'
import type { OrganisationFields } from './organisation.js'
import { createOrganisation } from './organisation.decide.js'

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: new Date('2026-01-05T10:00:00Z') }
const base: OrganisationFields = {
  name: '  Menuiserie Dubois ',
  siren: null,
  siret: null,
  vat_number: null,
  address: null,
  postal_code: null,
  city: null,
  sector: null,
  size: null,
  status: 'prospect',
  owner_id: null,
}

describe('organisation decisions', () => {
  it('normalises identifiers and derives the SIREN from the SIRET', () => {
    const [e] = createOrganisation(null, { id: 'o-1', fields: { ...base, siret: '732 829 320 00074', vat_number: 'fr44 732829320' } }, ctx)
    expect(e.data).toMatchObject({ name: 'Menuiserie Dubois', siren: '732829320', siret: '73282932000074', vat_number: 'FR44732829320' })
  })

  it('gives a French error per bad field and records nothing', () => {
    try {
      createOrganisation(null, { id: 'o-1', fields: { ...base, name: '', siret: '73282932000075', postal_code: '7500' } }, ctx)
      expect.unreachable()
    } catch (e) {
      expect((e as ValidationError).fieldErrors).toEqual({
        name: 'name.required',
        siret: 'organisation.siret.invalid',
        postal_code: 'postal_code.invalid',
      })
    }
  })

  it('refuses a SIRET that does not belong to the SIREN', () => {
    expect(() => createOrganisation(null, { id: 'o-1', fields: { ...base, siren: '732829320', siret: '35600000000048' } }, ctx)).toThrow(
      'siret: siret.must_start_with_siren',
    )
  })
})
