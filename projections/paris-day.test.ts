import { describe, expect, it } from 'vitest'
import { addDays, addMonths, daysBetween, endOfMonth, parisDay } from './paris-day.js'

describe('Paris calendar days', () => {
  it('follow winter and summer time', () => {
    expect(parisDay('2026-01-15T22:59:59.999Z')).toBe('2026-01-15')
    expect(parisDay('2026-01-15T23:00:00.000Z')).toBe('2026-01-16')
    expect(parisDay('2026-07-15T21:59:59.999Z')).toBe('2026-07-15')
    expect(parisDay('2026-07-15T22:00:00.000Z')).toBe('2026-07-16')
    // The nights the clocks change (29 March and 25 October 2026).
    expect(parisDay('2026-03-28T23:30:00.000Z')).toBe('2026-03-29')
    expect(parisDay('2026-03-29T21:30:00.000Z')).toBe('2026-03-29')
    expect(parisDay('2026-03-29T22:30:00.000Z')).toBe('2026-03-30')
    expect(parisDay('2026-10-24T22:30:00.000Z')).toBe('2026-10-25')
    expect(parisDay('2026-10-25T22:30:00.000Z')).toBe('2026-10-25')
    expect(parisDay('2026-10-25T23:30:00.000Z')).toBe('2026-10-26')
  })

  it('move by days and months on the calendar', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364)
    expect(addMonths('2026-11-01', 3)).toBe('2027-02-01')
    expect(endOfMonth('2028-02-10')).toBe('2028-02-29')
  })
})
