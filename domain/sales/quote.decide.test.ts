import { describe, expect, it } from 'vitest'
import { DomainError, ValidationError } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { evolveQuote, quoteNumber, type QuoteEvent, type QuoteFields, type QuoteLine, type QuoteState } from './quote.js'
import { acceptQuote, changeQuoteLines, createQuote, expireQuote, refuseQuote, reviseQuote, sendQuote, updateQuote } from './quote.decide.js'
import { snapshotSha256, type QuoteParties } from './quote-snapshot.js'

// given(events) → when(command) → then(events), no database.

const WS = '00000000-0000-4000-8000-000000000001'
const ID = '00000000-0000-4000-8000-0000000000a1'
const ORG = '00000000-0000-4000-8000-0000000000b1'
const CONTACT = '00000000-0000-4000-8000-0000000000c1'
const DEAL = '00000000-0000-4000-8000-0000000000d1'
const ctx = (iso: string): CommandContext => ({ workspaceId: WS, actorId: null, now: new Date(iso) })
const given = (events: QuoteEvent[]): QuoteState => events.reduce<QuoteState | null>((s, e) => evolveQuote(s, e), null)!

const fields: QuoteFields = {
  organisation_id: ORG,
  contact_id: CONTACT,
  deal_id: DEAL,
  title: 'Refonte du site',
  validity_days: 30,
  payment_terms: '30 jours fin de mois',
  notes: null,
}
const conseil: QuoteLine = {
  product_id: null,
  code: null,
  description: 'Journée de conseil',
  unit: 'jour',
  quantity: '3',
  unit_price_cents: 85_000,
  discount: null,
  vat_rate: 2000,
  vat_exemption: null,
}
const livre: QuoteLine = {
  product_id: null,
  code: 'LIV-1',
  description: 'Guide pratique',
  unit: 'unité',
  quantity: '2',
  unit_price_cents: 2_345,
  discount: null,
  vat_rate: 550,
  vat_exemption: null,
}
const parties: QuoteParties = {
  seller: { workspace_id: WS, name: 'Atelier Test' },
  customer: {
    organisation_id: ORG,
    name: 'Boulangerie Martin',
    siren: '732829320',
    siret: null,
    vat_number: null,
    address: '3 rue des Lilas',
    postal_code: '69003',
    city: 'Lyon',
  },
  contact: { contact_id: CONTACT, civility: 'Mme', first_name: 'Claire', last_name: 'Martin', job_title: 'Gérante', email: 'claire@martin.fr' },
}
const number = { number: quoteNumber(2026, 42), year: 2026, sequence: 42 }

const created = () => createQuote(null, { id: ID, number, fields, lines: [conseil] }, ctx('2026-11-02T09:00:00Z'))
const sent = () => {
  const s = given(created())
  return [...created(), ...sendQuote(s, { parties }, ctx('2026-11-02T10:00:00Z'))]
}

const throwsDomain = (fn: () => unknown, message: RegExp | string) => {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError)
    expect((e as Error).message).toMatch(message)
    return
  }
  throw new Error('expected a DomainError')
}

describe('creating a quote', () => {
  it('starts as draft version 1 with its number and totals', () => {
    const [e] = created()
    expect(e.type).toBe('QuoteCreated')
    const s = given([e])
    // 3 × 850,00 = 2 550,00 HT ; VAT 510,00 ; TTC 3 060,00
    expect(s).toMatchObject({
      number: 'DEV-2026-0042',
      status: 'brouillon',
      revision: 1,
      total_ht_cents: 255_000,
      total_vat_cents: 51_000,
      total_ttc_cents: 306_000,
      validity_days: 30,
    })
  })

  it('refuses bad lines and fields in French, naming the field', () => {
    try {
      createQuote(
        null,
        { id: ID, number, fields: { ...fields, validity_days: 0 }, lines: [{ ...conseil, description: ' ', quantity: '1,2345' }] },
        ctx('2026-11-02T09:00:00Z'),
      )
      throw new Error('expected a ValidationError')
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError)
      expect((e as ValidationError).fieldErrors).toEqual({ validity_days: { code: 'validity_days.range', params: { min: 1, max: 365 } } })
    }
    try {
      createQuote(null, { id: ID, number, fields, lines: [{ ...conseil, description: ' ', quantity: '1,2345' }] }, ctx('2026-11-02T09:00:00Z'))
      throw new Error('expected a ValidationError')
    } catch (e) {
      expect((e as ValidationError).fieldErrors).toEqual({
        'lines.0.description': 'quote.line.description.required',
        'lines.0.quantity': 'quote.line.quantity.invalid',
      })
    }
  })

  it('stores quantities in their canonical form', () => {
    const s = given(createQuote(null, { id: ID, number, fields, lines: [{ ...conseil, quantity: '2,500' }] }, ctx('2026-11-02T09:00:00Z')))
    expect(s.lines[0].quantity).toBe('2.5')
  })
})

describe('editing a draft', () => {
  it('changes lines in place, without a new version', () => {
    const s = given(created())
    const events = changeQuoteLines(s, { lines: [conseil, livre], globalDiscount: null }, ctx('2026-11-02T09:30:00Z'))
    expect(events.map((e) => e.type)).toEqual(['QuoteLinesChanged'])
    // + 2 × 23,45 = 46,90 at 5,5 % → VAT 2,5795 € → 2,58 ; HT 2 596,90 ; VAT 512,58 ; TTC 3 109,48
    expect(given([...created(), ...events])).toMatchObject({
      revision: 1,
      status: 'brouillon',
      total_ht_cents: 259_690,
      total_vat_cents: 51_258,
      total_ttc_cents: 310_948,
    })
  })

  it('does nothing when nothing changed', () => {
    expect(changeQuoteLines(given(created()), { lines: [conseil], globalDiscount: null }, ctx('2026-11-02T09:30:00Z'))).toEqual([])
    expect(updateQuote(given(created()), { fields }, ctx('2026-11-02T09:30:00Z'))).toEqual([])
  })
})

describe('sending', () => {
  it('freezes the revision: snapshot, SHA-256 of its canonical JSON, valid 30 days', () => {
    const events = sent()
    const e = events.at(-1)!
    if (e.type !== 'QuoteSent') throw new Error('expected QuoteSent')
    expect(e.data).toMatchObject({ revision: 1, valid_until: '2026-12-02', total_ht_cents: 255_000, total_ttc_cents: 306_000 })
    expect(e.data.sha256).toBe(snapshotSha256(e.data.snapshot))
    expect(e.data.snapshot).toMatchObject({
      number: 'DEV-2026-0042',
      revision: 1,
      issue_date: '2026-11-02',
      valid_until: '2026-12-02',
      currency: 'EUR',
      customer: { name: 'Boulangerie Martin' },
      contact: { email: 'claire@martin.fr' },
      lines: [{ position: 1, description: 'Journée de conseil', gross_cents: 255_000, net_cents: 255_000 }],
      totals: { total_ht_cents: 255_000, vat: [{ rate: 2000, base_cents: 255_000, vat_cents: 51_000 }] },
    })
    expect(given(events)).toMatchObject({ status: 'envoye', sent_sha256: e.data.sha256, valid_until: '2026-12-02' })
  })

  it('counts validity in Paris days (sent at 00:30 on 1 January in Paris)', () => {
    const s = given(created())
    const [e] = sendQuote(s, { parties }, ctx('2026-12-31T23:30:00Z'))
    expect(e.data).toMatchObject({ valid_until: '2027-01-31', snapshot: { issue_date: '2027-01-01' } })
  })

  it('needs lines and a recipient', () => {
    const empty = given(createQuote(null, { id: ID, number, fields: { ...fields, contact_id: null } }, ctx('2026-11-02T09:00:00Z')))
    try {
      sendQuote(empty, { parties: { ...parties, contact: null } }, ctx('2026-11-02T10:00:00Z'))
      throw new Error('no')
    } catch (e) {
      expect((e as ValidationError).fieldErrors).toEqual({
        lines: 'quote.send.no_lines',
        contact_id: 'quote.send.no_contact',
      })
    }
  })

  it('refuses to send the same version twice', () => {
    throwsDomain(() => sendQuote(given(sent()), { parties }, ctx('2026-11-03T10:00:00Z')), 'quote.already_sent')
  })
})

describe('editing a sent quote', () => {
  it('opens version 2 as a draft; version 1 stays as sent', () => {
    const before = given(sent())
    const events = changeQuoteLines(before, { lines: [conseil, livre], globalDiscount: { kind: 'percent', bps: 500 } }, ctx('2026-11-05T09:00:00Z'))
    expect(events.map((e) => [e.type, (e.data as { revision?: number }).revision])).toEqual([
      ['QuoteRevised', 2],
      ['QuoteLinesChanged', 2],
    ])
    expect(events[0].data).toMatchObject({ from_revision: 1, from_status: 'envoye' })
    const after = given([...sent(), ...events])
    expect(after).toMatchObject({ revision: 2, status: 'brouillon', sent_sha256: null, valid_until: null })
  })

  it('opens a new version when the conditions change too', () => {
    const events = updateQuote(given(sent()), { fields: { ...fields, validity_days: 60 } }, ctx('2026-11-05T09:00:00Z'))
    expect(events.map((e) => e.type)).toEqual(['QuoteRevised', 'QuoteUpdated'])
    expect(events[1].data).toMatchObject({ revision: 2, changes: { validity_days: 60 } })
  })

  it('re-issues an expired quote as a new version with the same content', () => {
    const expired = [...sent(), ...expireQuote(given(sent()), ctx('2026-12-03T08:00:00Z'))]
    const events = reviseQuote(given(expired), ctx('2026-12-04T08:00:00Z'))
    expect(events.map((e) => [e.type, (e.data as { revision?: number }).revision])).toEqual([['QuoteRevised', 2]])
    const s = given([...expired, ...events])
    const [again] = sendQuote(s, { parties }, ctx('2026-12-04T09:00:00Z'))
    expect(again.data).toMatchObject({ revision: 2, valid_until: '2027-01-03' })
  })
})

describe('accepting', () => {
  const accepted = () => {
    const s = given(sent())
    return [...sent(), ...acceptQuote(s, { revision: 1, signedBy: 'Claire Martin' }, ctx('2026-11-10T15:00:00Z'))]
  }

  it('records the accepted revision, its hash and the HT amount for the deal', () => {
    const e = accepted().at(-1)!
    const sha = (sent().at(-1)!.data as { sha256: string }).sha256
    expect(e).toEqual({
      type: 'QuoteAccepted',
      data: { id: ID, at: '2026-11-10T15:00:00.000Z', revision: 1, sha256: sha, total_ht_cents: 255_000, deal_id: DEAL, signed_by: 'Claire Martin' },
    })
    expect(given(accepted())).toMatchObject({ status: 'accepte', accepted_revision: 1, signed_by: 'Claire Martin' })
  })

  it('never changes the accepted version', () => {
    const s = given(accepted())
    const later = ctx('2026-11-11T09:00:00Z')
    throwsDomain(() => changeQuoteLines(s, { lines: [livre], globalDiscount: null }, later), 'quote.accepted_is_final')
    throwsDomain(() => updateQuote(s, { fields: { ...fields, notes: 'Oubli' } }, later), 'quote.accepted_is_final')
    throwsDomain(() => reviseQuote(s, later), 'quote.accepted_is_final')
    throwsDomain(() => sendQuote(s, { parties }, later), 'quote.accepted_is_final')
    throwsDomain(() => refuseQuote(s, {}, later), 'quote.accepted_is_final')
    expect(expireQuote(s, ctx('2027-06-01T09:00:00Z'))).toEqual([])
  })

  it('is idempotent for the same revision (a webhook delivered twice)', () => {
    expect(acceptQuote(given(accepted()), { revision: 1 }, ctx('2026-11-10T15:01:00Z'))).toEqual([])
  })

  it('refuses a signature of another version, a wrong hash, a draft or after the last valid day', () => {
    const s = given(sent())
    throwsDomain(() => acceptQuote(s, { revision: 2 }, ctx('2026-11-10T15:00:00Z')), 'quote.revision.not_current')
    throwsDomain(() => acceptQuote(s, { revision: 1, sha256: 'f'.repeat(64) }, ctx('2026-11-10T15:00:00Z')), 'quote.revision.not_current')
    throwsDomain(() => acceptQuote(given(created()), { revision: 1 }, ctx('2026-11-10T15:00:00Z')), 'quote.not_sent')
    // Valid through 2 December (Paris); 3 December 00:30 Paris is too late.
    expect(acceptQuote(s, { revision: 1 }, ctx('2026-12-02T22:59:00Z'))).toHaveLength(1)
    throwsDomain(() => acceptQuote(s, { revision: 1 }, ctx('2026-12-02T23:30:00Z')), 'quote.expired {"date":{"day":"2026-12-02"}}')
    const revised = given([...sent(), ...reviseQuote(s, ctx('2026-11-05T09:00:00Z'))])
    throwsDomain(() => acceptQuote(revised, { revision: 1 }, ctx('2026-11-06T09:00:00Z')), 'quote.revision.superseded {"revision":1}')
  })
})

describe('refusing and expiring', () => {
  it('refuses a sent quote with its reason', () => {
    const events = refuseQuote(given(sent()), { reason: ' Trop cher ' }, ctx('2026-11-08T09:00:00Z'))
    expect(events).toEqual([{ type: 'QuoteRefused', data: { id: ID, at: '2026-11-08T09:00:00.000Z', revision: 1, reason: 'Trop cher' } }])
    throwsDomain(() => refuseQuote(given(created()), {}, ctx('2026-11-08T09:00:00Z')), 'quote.refuse.not_sent')
  })

  it('expires only a sent quote past its last valid day', () => {
    const s = given(sent())
    expect(expireQuote(s, ctx('2026-12-02T22:59:00Z'))).toEqual([]) // still 2 December in Paris
    expect(expireQuote(s, ctx('2026-12-02T23:00:00Z'))).toEqual([
      { type: 'QuoteExpired', data: { id: ID, at: '2026-12-02T23:00:00.000Z', revision: 1, valid_until: '2026-12-02' } },
    ])
    expect(expireQuote(given(created()), ctx('2027-06-01T00:00:00Z'))).toEqual([])
  })
})
