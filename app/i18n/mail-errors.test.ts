import { describe, expect, it } from 'vitest'
import { problemOf } from '../../domain/mail/deliver-email'
import { ResendError } from '../../domain/mail/resend-client'
import { translateRecorded } from './errors'

// E-mail delivery errors are recorded as codes (domain/mail/deliver-email.ts) and read
// in the admin's language in /admin/mailbox; rows recorded before as text show as they were.

const refused = JSON.stringify(problemOf(new ResendError('Resend 422 invalid_from_address : Invalid `from` field.', 422, 'invalid_from_address', false)))
const unreachable = JSON.stringify(problemOf(new ResendError('Resend injoignable : fetch failed', null, 'network_error', true)))
const gaveUp = JSON.stringify({
  code: 'mail.gave_up',
  params: { attempts: 6, reason: [problemOf(new ResendError('Resend 503 http_503', 503, 'http_503', true))] },
})

describe('an e-mail delivery error', () => {
  it('reads in French, the provider’s own words kept as the detail', () => {
    expect(translateRecorded('fr', refused)).toBe('Le service d’envoi a refusé l’e-mail (code 422) : invalid_from_address : Invalid `from` field.')
    expect(translateRecorded('fr', unreachable)).toBe('Service d’envoi injoignable : fetch failed')
    expect(translateRecorded('fr', gaveUp)).toBe('Abandonné après 6 tentatives — Le service d’envoi a refusé l’e-mail (code 503) : http_503')
  })

  it('reads in English with no French left', () => {
    expect(translateRecorded('en', gaveUp)).toBe('Given up after 6 attempts — The sending service refused the e-mail (code 503): http_503')
    expect(translateRecorded('en', unreachable)).toBe('Sending service unreachable: fetch failed')
  })

  it('shows a row recorded as text before the codes as it was', () => {
    expect(translateRecorded('fr', 'abandonné après 6 tentatives — Resend 503 http_503')).toBe('abandonné après 6 tentatives — Resend 503 http_503')
  })
})
