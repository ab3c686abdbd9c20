import { describe, expect, it } from 'vitest'
import { ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import type { ActivityFields } from './activity.js'
import { logActivity } from './activity.decide.js'
import type { ContactFields } from './contact.js'
import { createContact } from './contact.decide.js'
import type { DealFields } from './deal.js'
import { changeDealStage, createDeal } from './deal.decide.js'
import { evolveDeal } from './deal.js'
import type { OrganisationFields } from './organisation.js'
import { createOrganisation } from './organisation.decide.js'
import { DEFAULT_STAGES } from './pipeline.js'

// Plausible values only, whoever sends them (a form, an import, a workflow, the API):
// amounts up to 100 milliards €, dates 1900–2100, bounded text without control characters.

const ctx: CommandContext = { workspaceId: 'ws-1', actorId: 'u-1', now: new Date('2026-03-29T09:00:00Z') }
const OUT_OF_RANGE = { code: 'date.out_of_range', params: { min: '1900', max: '2100' } }

/** The field problems `run` refuses with. */
function refusal(run: () => unknown): FieldProblems {
  try {
    run()
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors
    throw e
  }
  throw new Error('accepted')
}

const deal: DealFields = {
  title: 'Migration ERP',
  organisation_id: 'org-1',
  amount_cents: 4_500_000,
  expected_close_date: '2026-06-30',
  owner_id: 'u-1',
  category: null,
  source: null,
  region: null,
}
const newDeal = (f: Partial<DealFields>) => createDeal(null, { id: 'd-1', fields: { ...deal, ...f }, stage: 'PROPOSITION' }, DEFAULT_STAGES, ctx)

describe('a deal', () => {
  it('takes up to 100 milliards € and refuses a 1 000 milliards € typo', () => {
    expect(newDeal({ amount_cents: 10_000_000_000_000 })).toHaveLength(1)
    expect(refusal(() => newDeal({ amount_cents: 100_000_000_000_000 }))).toEqual({ amount_cents: 'amount.too_large' })
  })

  it('closes between 1900 and 2100, on a day that exists', () => {
    expect(refusal(() => newDeal({ expected_close_date: '9999-12-31' }))).toEqual({ expected_close_date: OUT_OF_RANGE })
    expect(refusal(() => newDeal({ expected_close_date: '2026-02-30' }))).toEqual({ expected_close_date: 'deal.close_date.invalid' })
  })

  it('refuses control characters and overlong labels', () => {
    expect(refusal(() => newDeal({ title: 'Migration\u0000ERP' }))).toEqual({ title: 'text.control_characters' })
    expect(refusal(() => newDeal({ category: 'x'.repeat(121) }))).toEqual({ category: { code: 'text.too_long', params: { max: 120 } } })
  })

  it('bounds the reason of a lost deal', () => {
    const state = evolveDeal(null, newDeal({})[0])
    expect(refusal(() => changeDealStage(state, { to: 'PERDU', lostReason: 'x'.repeat(1001) }, DEFAULT_STAGES, ctx))).toEqual({
      lost_reason: { code: 'reason.too_long', params: { max: 1000 } },
    })
  })
})

const org: OrganisationFields = {
  name: 'Boulangerie Martin',
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
const newOrg = (f: Partial<OrganisationFields>) => createOrganisation(null, { id: 'o-1', fields: { ...org, ...f } }, ctx)

describe('an organisation', () => {
  it('keeps a multi-line address and notes, one kind of line break', () => {
    const [e] = newOrg({ address: '3 rue des Lilas\r\nBâtiment B', notes: 'Client fidèle\r\n\tdepuis 2010' })
    expect(e.data).toMatchObject({ address: '3 rue des Lilas\nBâtiment B', notes: 'Client fidèle\n\tdepuis 2010' })
  })

  it('refuses a name with an escape sequence, notes over 100 000 characters, a tag with a C1 character', () => {
    expect(refusal(() => newOrg({ name: 'Martin\u001b[31m' }))).toEqual({ name: 'text.control_characters' })
    expect(refusal(() => newOrg({ notes: 'x'.repeat(100_001) }))).toEqual({ notes: { code: 'text.too_long', params: { max: 100_000 } } })
    expect(refusal(() => newOrg({ tags: ['vip\u0085'] }))).toEqual({ tags: 'text.control_characters' })
  })
})

const contact: ContactFields = {
  civility: null,
  first_name: 'Claire',
  last_name: 'Martin',
  job_title: null,
  emails: [],
  phones: [],
  organisation_id: null,
  owner_id: null,
  shared: false,
  gdpr_consent: false,
  consent_source: null,
  consent_date: null,
  marketing_opt_out: false,
}
const newContact = (f: Partial<ContactFields>) => createContact(null, { id: 'c-1', fields: { ...contact, ...f } }, ctx)

describe('a contact', () => {
  it('refuses a consent dated out of range, an overlong e-mail, a name with a NUL', () => {
    expect(refusal(() => newContact({ consent_date: '1850-01-01' }))).toEqual({ consent_date: OUT_OF_RANGE })
    expect(refusal(() => newContact({ emails: [`${'a'.repeat(250)}@exemple.fr`] }))).toEqual({ emails: { code: 'text.too_long', params: { max: 254 } } })
    expect(refusal(() => newContact({ last_name: 'Mar\u0000tin' }))).toEqual({ last_name: 'text.control_characters' })
  })
})

const activity: ActivityFields = {
  kind: 'call',
  subject: 'Appel de suivi',
  body: null,
  occurred_at: '2026-03-28T14:00:00.000Z',
  duration_minutes: 15,
  organisation_id: 'org-1',
  contact_id: null,
  deal_id: null,
}
const logged = (f: Partial<ActivityFields>) => logActivity(null, { id: 'a-1', fields: { ...activity, ...f } }, ctx)

describe('an activity', () => {
  it('has a subject of at most 200 characters and notes of at most 100 000', () => {
    expect(logged({ subject: 'x'.repeat(200), body: 'y'.repeat(100_000) })).toHaveLength(1)
    expect(refusal(() => logged({ subject: 'x'.repeat(201) }))).toEqual({ subject: { code: 'subject.too_long', params: { max: 200 } } })
    expect(refusal(() => logged({ body: 'y'.repeat(5_000_000) }))).toEqual({ body: { code: 'text.too_long', params: { max: 100_000 } } })
  })

  it('happened between 1900 and 2100', () => {
    expect(refusal(() => logged({ occurred_at: '0202-03-28T14:00:00.000Z' }))).toEqual({ occurred_at: OUT_OF_RANGE })
  })
})
