import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime, formatIsoDate, toIsoDate } from './format'

describe('dates in Europe/Paris', () => {
  it('shows a UTC instant at its Paris wall-clock time, summer and winter', () => {
    expect(formatDateTime(new Date('2026-07-14T21:30:00Z'))).toBe('14/07/2026 23:30')
    expect(formatDateTime(new Date('2026-01-15T08:05:00Z'))).toBe('15/01/2026 09:05')
  })

  it('gives the Paris calendar day, not the UTC one, around midnight', () => {
    expect(formatDate(new Date('2026-12-31T23:30:00Z'))).toBe('01/01/2027')
  })

  it('shows a calendar date as written, never shifted through a time zone', () => {
    expect(formatDate('2027-03-31')).toBe('31/03/2027')
    expect(formatIsoDate('2027-01-01')).toBe('01/01/2027')
    expect(toIsoDate('2027-03-31')).toBe('2027-03-31')
    expect(formatDate(null)).toBe('')
  })
})
