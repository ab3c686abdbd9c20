import { describe, expect, it } from 'vitest'
import { ValidationError } from '../shared/errors.js'
import { hashLinkToken, isLinkTokenShape, linkExpiry, linkState } from './quote-link.js'
import { linkRefusal, validateSignature } from './quote-signature.js'

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkqGcAAAIAAQD/2X0yAAAAAElFTkSuQmCC'
const errorsOf = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors
    throw e
  }
  return {}
}

describe('quote links', () => {
  it('expire at midnight in Paris after the last valid day, winter and summer', () => {
    expect(linkExpiry('2026-12-27').toISOString()).toBe('2026-12-27T23:00:00.000Z')
    expect(linkExpiry('2026-07-14').toISOString()).toBe('2026-07-14T22:00:00.000Z')
  })

  it('are open, superseded or expired (expiry wins)', () => {
    const now = new Date('2026-12-01T10:00:00Z')
    expect(linkState({ expires_at: new Date('2026-12-02T00:00:00Z'), superseded_at: null }, now)).toBe('open')
    expect(linkState({ expires_at: new Date('2026-12-02T00:00:00Z'), superseded_at: new Date('2026-11-30T00:00:00Z') }, now)).toBe('superseded')
    expect(linkState({ expires_at: new Date('2026-12-01T10:00:00Z'), superseded_at: new Date('2026-11-30T00:00:00Z') }, now)).toBe('expired')
    expect(linkRefusal({ expires_at: new Date('2026-11-01T00:00:00Z'), superseded_at: null }, now)).toMatch('quote_link.expired')
  })

  it('only looks up token-shaped strings, by their SHA-256', () => {
    expect(isLinkTokenShape('A'.repeat(43))).toBe(true)
    expect(isLinkTokenShape('A'.repeat(42))).toBe(false)
    expect(isLinkTokenShape(`${'A'.repeat(42)}/`)).toBe(false)
    expect(hashLinkToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})

describe('signature form', () => {
  it('needs a full name, a "qualité" and the acceptance box; a drawing is optional but must be a PNG', () => {
    expect(validateSignature({ signerName: '  Claire   Martin ', signerTitle: ' Gérante ', accepted: true, drawing: null })).toEqual({
      signerName: 'Claire Martin',
      signerTitle: 'Gérante',
      png: null,
    })
    expect(validateSignature({ signerName: 'Claire Martin', signerTitle: 'Gérante', accepted: true, drawing: PNG }).png!.subarray(1, 4).toString()).toBe('PNG')
    expect(errorsOf(() => validateSignature({ signerName: '42', signerTitle: ' ', accepted: false, drawing: null }))).toEqual({
      signer_name: 'signature.name.required',
      signer_title: 'signature.title.required',
      accept: 'signature.accept.required',
    })
    expect(
      errorsOf(() => validateSignature({ signerName: 'Claire Martin', signerTitle: 'Gérante', accepted: true, drawing: 'data:image/svg+xml;base64,PHN2Zz4=' }))
        .signature,
    ).toMatch('signature.unreadable')
  })
})
