import { describe, expect, it } from 'vitest'
import { parisLocalToUtc, toParisLocalInput } from './paris-time'

describe('Paris wall-clock time for datetime-local inputs', () => {
  it('reads winter and summer times with their own offsets', () => {
    expect(parisLocalToUtc('2026-11-27T14:05')?.toISOString()).toBe('2026-11-27T13:05:00.000Z')
    expect(parisLocalToUtc('2026-07-14T09:30')?.toISOString()).toBe('2026-07-14T07:30:00.000Z')
  })

  it('shows a UTC instant as Paris time', () => {
    expect(toParisLocalInput('2026-11-27T13:05:00.000Z')).toBe('2026-11-27T14:05')
    expect(toParisLocalInput(new Date('2026-07-14T07:30:00Z'))).toBe('2026-07-14T09:30')
    expect(toParisLocalInput('2026-12-31T23:30:00Z')).toBe('2027-01-01T00:30')
  })

  it('round-trips around the DST changes', () => {
    for (const local of ['2026-03-29T01:59', '2026-03-29T03:00', '2026-10-25T01:30', '2026-10-25T03:30']) {
      expect(toParisLocalInput(parisLocalToUtc(local)!)).toBe(local)
    }
  })

  it('refuses malformed or impossible dates', () => {
    for (const bad of ['', 'demain', '2026-02-30T10:00', '2026-11-27 14:05', '2026-11-27T25:00']) expect(parisLocalToUtc(bad)).toBeNull()
  })
})
