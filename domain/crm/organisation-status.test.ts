import { describe, expect, it } from 'vitest'
import { TEST_NOW } from '../../testing/clock.js'
import { ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { evolveOrganisation, type OrganisationFields, type OrganisationState } from './organisation.js'
import { applyWonDealRule, createOrganisation, updateOrganisation } from './organisation.decide.js'

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: TEST_NOW }
const fields: OrganisationFields = {
  name: 'Menuiserie Dubois',
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

function given(extra: Partial<OrganisationFields> = {}): OrganisationState {
  const [created] = createOrganisation(null, { id: 'o-1', fields: { ...fields, ...extra } }, ctx)
  return evolveOrganisation(null, created)
}

describe('the won-deal rule', () => {
  it('makes a prospect a client when a deal is won, and says why', () => {
    const events = applyWonDealRule(given(), { dealId: 'd-1' }, ctx)
    expect(events).toHaveLength(1)
    expect(events[0].data).toMatchObject({ changes: { status: 'client' }, status_change: { by: 'rule', reason: 'deal_won', deal_id: 'd-1' } })
    const after = evolveOrganisation(given(), events[0])
    expect(after).toMatchObject({ status: 'client', status_manual: false })
  })

  it('brings a former client back to client', () => {
    expect(applyWonDealRule(given({ status: 'ancien_client' }), { dealId: 'd-1' }, ctx)[0].data).toMatchObject({ changes: { status: 'client' } })
  })

  it('changes nothing on an organisation that already is a client', () => {
    expect(applyWonDealRule(given({ status: 'client' }), { dealId: 'd-1' }, ctx)).toEqual([])
  })

  it('leaves alone a status a person chose by hand', () => {
    const start = given({ status: 'client' })
    const [byHand] = updateOrganisation(start, { fields: { ...fields, status: 'ancien_client' } }, ctx)
    expect(byHand.data).toMatchObject({ changes: { status: 'ancien_client' }, status_change: { by: 'person' } })
    const overridden = evolveOrganisation(start, byHand)
    expect(overridden.status_manual).toBe(true)
    expect(applyWonDealRule(overridden, { dealId: 'd-2' }, ctx)).toEqual([])
  })

  it('records no status change when a person edits other fields', () => {
    const [e] = updateOrganisation(given(), { fields: { ...fields, city: 'Lyon' } }, ctx)
    expect(e.data).not.toHaveProperty('status_change')
  })
})

describe('switchboard, website and generic e-mail', () => {
  it('normalises them', () => {
    const [e] = createOrganisation(
      null,
      { id: 'o-1', fields: { ...fields, phone: '01 42 68 53 00', website: 'exemple.fr', email: ' Contact@Exemple.FR ' } },
      ctx,
    )
    expect(e.data).toMatchObject({ phone: '+33142685300', website: 'https://exemple.fr/', email: 'contact@exemple.fr' })
  })

  it('refuses a bad number, a script address and a malformed e-mail beside each field', () => {
    try {
      createOrganisation(null, { id: 'o-1', fields: { ...fields, phone: '12', website: 'javascript:alert(1)', email: 'contact@' } }, ctx)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError)
      expect(Object.keys((e as ValidationError).fieldErrors).sort()).toEqual(['email', 'phone', 'website'])
    }
  })
})
