import { describe, expect, it } from 'vitest'
import { makeT } from '../i18n/i18n'
import { readQuoteFields } from './quotes-editor.server'

// The quote form's conditions are read with one schema (parseForm): a value that is not
// what the field takes is named beside it instead of being silently dropped or defaulted.

const reader = { t: makeT('fr'), locale: 'fr' as const }
const ORG = '00000000-0000-4000-8000-0000000000b1'
const CONTACT = '00000000-0000-4000-8000-0000000000c1'
const form = (entries: Record<string, string>) => {
  const f = new FormData()
  for (const [k, v] of Object.entries(entries)) f.append(k, v)
  return f
}

describe('the quote conditions form', () => {
  it('reads a well-filled form as the command takes it', () => {
    const r = readQuoteFields(
      form({ title: ' Refonte ', validity_days: '45', contact_id: CONTACT.toUpperCase(), payment_terms: '', notes: 'À voir' }),
      ORG,
      reader,
    )
    expect(r).toEqual({
      fields: { organisation_id: ORG, contact_id: CONTACT, deal_id: null, title: 'Refonte', validity_days: 45, payment_terms: null, notes: 'À voir' },
      errors: {},
    })
  })

  it('keeps the 30-day default validity when the field is left empty', () => {
    expect(readQuoteFields(form({ validity_days: '' }), ORG, reader).fields.validity_days).toBe(30)
  })

  it('names a contact or a deal that is not an id beside its field, instead of dropping it', () => {
    const r = readQuoteFields(form({ contact_id: 'claire', deal_id: '42', title: 'Refonte' }), ORG, reader)
    expect(r.errors).toEqual({ contact_id: 'Ce contact ne fait pas partie de cette organisation.', deal_id: expect.stringMatching(/^Cette affaire/) })
    expect(r.fields).toMatchObject({ contact_id: null, deal_id: null, title: 'Refonte' })
  })

  it('names a validity that is not a whole number of days', () => {
    expect(readQuoteFields(form({ validity_days: '30,5' }), ORG, reader).errors).toEqual({
      validity_days: 'La durée de validité doit être un nombre de jours entier.',
    })
  })
})
