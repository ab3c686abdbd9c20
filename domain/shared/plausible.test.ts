import { describe, expect, it } from 'vitest'
import { amountProblem, dayProblem, instantProblem, isCalendarDay, MAX_AMOUNT_CENTS } from './plausible.js'

describe('a plausible amount', () => {
  it('goes up to 100 milliards € and no further', () => {
    expect(amountProblem(MAX_AMOUNT_CENTS)).toBeNull()
    expect(amountProblem(MAX_AMOUNT_CENTS + 1)).toBe('amount.too_large')
    expect(amountProblem(100_000_000_000_000)).toBe('amount.too_large')
  })

  it('is a whole number of cents, and not negative unless allowed', () => {
    expect(amountProblem(1.5)).toBe('amount.invalid')
    expect(amountProblem(Number.NaN)).toBe('amount.invalid')
    expect(amountProblem(-1)).toBe('amount.negative')
    expect(amountProblem(-1, { allowNegative: true })).toBeNull()
    expect(amountProblem(-MAX_AMOUNT_CENTS - 1, { allowNegative: true })).toBe('amount.too_large')
    expect(amountProblem(-1, { negative: 'deal.amount.negative' })).toBe('deal.amount.negative')
  })
})

describe('a plausible date', () => {
  it('is a real calendar day between 1900 and 2100', () => {
    expect(dayProblem('2026-02-28', 'deal.close_date.invalid')).toBeNull()
    expect(dayProblem('1900-01-01', 'deal.close_date.invalid')).toBeNull()
    expect(dayProblem('2100-12-31', 'deal.close_date.invalid')).toBeNull()
    expect(dayProblem('2026-02-30', 'deal.close_date.invalid')).toBe('deal.close_date.invalid')
    expect(dayProblem('26-02-01', 'deal.close_date.invalid')).toBe('deal.close_date.invalid')
    expect(dayProblem('1899-12-31', 'deal.close_date.invalid')).toEqual({ code: 'date.out_of_range', params: { min: '1900', max: '2100' } })
    expect(dayProblem('9999-12-31', 'deal.close_date.invalid')).toEqual({ code: 'date.out_of_range', params: { min: '1900', max: '2100' } })
    expect(isCalendarDay('2028-02-29')).toBe(true)
    expect(isCalendarDay('2027-02-29')).toBe(false)
  })

  it('holds for instants too', () => {
    expect(instantProblem('2026-12-07T10:00:00.000Z', 'activity.date.invalid')).toBeNull()
    expect(instantProblem('not a date', 'activity.date.invalid')).toBe('activity.date.invalid')
    expect(instantProblem('+275760-09-13T00:00:00.000Z', 'activity.date.invalid')).toMatchObject({ code: 'date.out_of_range' })
    expect(instantProblem(new Date('0001-01-01T00:00:00Z'), 'activity.date.invalid')).toMatchObject({ code: 'date.out_of_range' })
  })
})
