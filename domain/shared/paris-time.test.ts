import { describe, expect, it } from 'vitest'
import {
  addDays,
  addMonths,
  addParisDays,
  addParisMonths,
  daysBetween,
  endOfMonth,
  fromWallClock,
  isIsoDate,
  mondayOf,
  monthOf,
  parisDateTime,
  parisDay,
  parisHour,
  parisLocalToUtc,
  startOfParisDay,
  toParisLocalInput,
  toWallClock,
} from './paris-time.js'

// Every instant is written out: nothing here reads the real clock. In 2026 the clocks
// change on 29 March (02:00 → 03:00) and 25 October (03:00 → 02:00); in 2027 on 28 March
// and 31 October.
const iso = (d: Date | null) => d?.toISOString() ?? null

describe('the Paris day of an instant', () => {
  it('follows winter and summer time', () => {
    expect(parisDay('2026-01-15T22:59:59.999Z')).toBe('2026-01-15')
    expect(parisDay('2026-01-15T23:00:00.000Z')).toBe('2026-01-16')
    expect(parisDay('2026-07-15T21:59:59.999Z')).toBe('2026-07-15')
    expect(parisDay('2026-07-15T22:00:00.000Z')).toBe('2026-07-16')
  })

  it('is the next year in Paris at 23:30 UTC on 31 December', () => {
    expect(parisDay('2026-12-31T23:30:00Z')).toBe('2027-01-01')
    expect(parisDay(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31')
    expect(parisDay(Date.parse('2026-12-31T23:00:00Z'))).toBe('2027-01-01')
  })

  it('holds across the nights the clocks change (last Sunday of March and October)', () => {
    expect(parisDay('2026-03-28T23:30:00.000Z')).toBe('2026-03-29')
    expect(parisDay('2026-03-29T21:30:00.000Z')).toBe('2026-03-29')
    expect(parisDay('2026-03-29T22:30:00.000Z')).toBe('2026-03-30')
    expect(parisDay('2026-10-24T22:30:00.000Z')).toBe('2026-10-25')
    expect(parisDay('2026-10-25T22:30:00.000Z')).toBe('2026-10-25')
    expect(parisDay('2026-10-25T23:30:00.000Z')).toBe('2026-10-26')
  })

  it('knows the leap day', () => {
    expect(parisDay('2028-02-28T23:00:00Z')).toBe('2028-02-29')
    expect(parisDay('2028-02-29T22:59:59Z')).toBe('2028-02-29')
    expect(parisDay('2028-02-29T23:00:00Z')).toBe('2028-03-01')
  })

  it('gives the same day when asked again within the hour (the remembered hours)', () => {
    for (let t = Date.parse('2026-10-24T20:00:00Z'); t < Date.parse('2026-10-26T02:00:00Z'); t += 7 * 60_000) {
      const expected = toWallClock(new Date(t)).toISOString().slice(0, 10)
      expect(parisDay(t)).toBe(expected)
      expect(parisDay(t)).toBe(expected)
    }
  })

  it('reads days before 1911, when Paris ran 9 min 21 s ahead of UTC', () => {
    expect(parisDay('1900-01-01T23:50:00Z')).toBe('1900-01-01')
    expect(parisDay('1900-01-01T23:51:00Z')).toBe('1900-01-02')
  })

  it('refuses an invalid instant', () => {
    expect(() => parisDay('demain')).toThrow(RangeError)
  })

  it('reads the Paris hour', () => {
    expect(parisHour(new Date('2026-03-29T00:59:00Z'))).toBe(1)
    expect(parisHour(new Date('2026-03-29T01:00:00Z'))).toBe(3)
    expect(parisHour(new Date('2026-10-25T00:30:00Z'))).toBe(2)
    expect(parisHour(new Date('2026-10-25T01:30:00Z'))).toBe(2)
    expect(parisHour(new Date('2026-12-31T23:30:00Z'))).toBe(0)
  })
})

describe('the start of a Paris day', () => {
  it('is 23:00 or 22:00 UTC the day before', () => {
    expect(iso(startOfParisDay('2027-01-01'))).toBe('2026-12-31T23:00:00.000Z')
    expect(iso(startOfParisDay('2026-07-14'))).toBe('2026-07-13T22:00:00.000Z')
  })

  it('is right on the days the clocks change, which last 23 and 25 hours', () => {
    expect(iso(startOfParisDay('2026-03-29'))).toBe('2026-03-28T23:00:00.000Z')
    expect(iso(startOfParisDay('2026-03-30'))).toBe('2026-03-29T22:00:00.000Z')
    expect(iso(startOfParisDay('2026-10-25'))).toBe('2026-10-24T22:00:00.000Z')
    expect(iso(startOfParisDay('2026-10-26'))).toBe('2026-10-25T23:00:00.000Z')
    expect(iso(startOfParisDay('2028-02-29'))).toBe('2028-02-28T23:00:00.000Z')
  })
})

describe('Paris wall-clock time', () => {
  it('maps 09:00 Paris to 08:00Z in winter and 07:00Z in summer', () => {
    expect(iso(parisDateTime('2027-03-25', '09:00'))).toBe('2027-03-25T08:00:00.000Z')
    expect(iso(parisDateTime('2027-03-29', '09:00'))).toBe('2027-03-29T07:00:00.000Z')
    expect(iso(toWallClock(new Date('2027-03-29T07:00:00Z')))).toBe('2027-03-29T09:00:00.000Z')
  })

  it('resolves the hour skipped by spring-forward to the hour after', () => {
    // 2027-03-28 02:30 does not exist in Paris: 03:30 summer time.
    expect(iso(fromWallClock(new Date('2027-03-28T02:30:00Z')))).toBe('2027-03-28T01:30:00.000Z')
    expect(iso(parisDateTime('2026-03-29', '02:00'))).toBe('2026-03-29T01:00:00.000Z')
  })

  it('resolves the hour shown twice in the autumn to its first (summer) instant', () => {
    expect(iso(fromWallClock(new Date('2026-10-25T02:30:00Z')))).toBe('2026-10-25T00:30:00.000Z')
    expect(iso(parisDateTime('2026-10-25', '03:00'))).toBe('2026-10-25T02:00:00.000Z')
    expect(iso(parisDateTime('2026-10-25', '01:59'))).toBe('2026-10-24T23:59:00.000Z')
  })

  it('keeps milliseconds and round-trips', () => {
    for (const t of [
      '2026-03-29T00:59:59.999Z',
      '2026-03-29T01:00:00.000Z',
      '2026-10-25T00:59:59.999Z',
      '2026-10-25T02:00:00.000Z',
      '2028-02-29T12:34:56.789Z',
    ]) {
      expect(iso(fromWallClock(toWallClock(new Date(t))))).toBe(t)
    }
  })

  it('refuses days and times that are not on the calendar', () => {
    expect(parisDateTime('2027-02-30', '09:00')).toBeNull()
    expect(parisDateTime('2027-02-03', '24:00')).toBeNull()
    expect(parisDateTime('2027-02-29', '09:00')).toBeNull()
    expect(iso(parisDateTime('2028-02-29', '09:00'))).toBe('2028-02-29T08:00:00.000Z')
    expect(parisDateTime('29/02/2028', '09:00')).toBeNull()
  })
})

describe('datetime-local inputs in Paris time', () => {
  it('reads winter and summer times with their own offsets', () => {
    expect(iso(parisLocalToUtc('2026-11-27T14:05'))).toBe('2026-11-27T13:05:00.000Z')
    expect(iso(parisLocalToUtc('2026-07-14T09:30'))).toBe('2026-07-14T07:30:00.000Z')
    expect(iso(parisLocalToUtc('2027-01-01T00:30'))).toBe('2026-12-31T23:30:00.000Z')
    expect(iso(parisLocalToUtc(' 2026-07-14T09:30:15 '))).toBe('2026-07-14T07:30:15.000Z')
  })

  it('shows an instant as Paris time', () => {
    expect(toParisLocalInput('2026-11-27T13:05:00.000Z')).toBe('2026-11-27T14:05')
    expect(toParisLocalInput(new Date('2026-07-14T07:30:00Z'))).toBe('2026-07-14T09:30')
    expect(toParisLocalInput('2026-12-31T23:30:00Z')).toBe('2027-01-01T00:30')
  })

  it('round-trips around the DST changes', () => {
    for (const local of ['2026-03-29T01:59', '2026-03-29T03:00', '2026-10-25T01:30', '2026-10-25T02:30', '2026-10-25T03:30', '2028-02-29T23:59']) {
      expect(toParisLocalInput(parisLocalToUtc(local)!)).toBe(local)
    }
  })

  it('refuses malformed or impossible dates', () => {
    for (const bad of ['', 'demain', '2026-02-30T10:00', '2026-11-27 14:05', '2026-11-27T25:00', '2026-11-27T10:60', '2027-02-29T10:00']) {
      expect(parisLocalToUtc(bad)).toBeNull()
    }
  })
})

describe('instants moved in Paris wall-clock time', () => {
  it('keeps the time of day across the spring and autumn changes', () => {
    // Saturday 28 March 2026 10:00 (winter) + 1 day = Sunday 10:00 summer time: 23 hours later.
    expect(iso(addParisDays('2026-03-28T09:00:00Z', 1))).toBe('2026-03-29T08:00:00.000Z')
    // Saturday 24 October 2026 10:00 (summer) + 1 day = Sunday 10:00 winter time: 25 hours later.
    expect(iso(addParisDays('2026-10-24T08:00:00Z', 1))).toBe('2026-10-25T09:00:00.000Z')
    expect(iso(addParisDays('2026-03-30T07:00:00Z', -2))).toBe('2026-03-28T08:00:00.000Z')
    expect(iso(addParisDays('2026-12-31T23:30:00Z', 1))).toBe('2027-01-01T23:30:00.000Z')
  })

  it('moves by months, clamping the day to a shorter month', () => {
    expect(iso(addParisMonths('2026-01-31T08:00:00Z', 1))).toBe('2026-02-28T08:00:00.000Z')
    expect(iso(addParisMonths('2028-01-31T08:00:00Z', 1))).toBe('2028-02-29T08:00:00.000Z')
    // 15 March 09:00 winter → 15 April 09:00 summer.
    expect(iso(addParisMonths('2026-03-15T08:00:00Z', 1))).toBe('2026-04-15T07:00:00.000Z')
    // 31 December 23:30 UTC is 1 January 00:30 in Paris → 1 February 00:30.
    expect(iso(addParisMonths('2026-12-31T23:30:00Z', 1))).toBe('2027-01-31T23:30:00.000Z')
    expect(iso(addParisMonths('2026-10-31T09:00:00Z', -8))).toBe('2026-02-28T09:00:00.000Z')
  })
})

describe('calendar days', () => {
  it('move by days across month, year and leap day', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2028-02-29', 1)).toBe('2028-03-01')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30')
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26')
  })

  it('count days between two days', () => {
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364)
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2)
    expect(daysBetween('2026-03-29', '2026-03-28')).toBe(-1)
    expect(daysBetween('2026-10-01', '2026-11-01')).toBe(31)
  })

  it('move by months to the first of the month', () => {
    expect(addMonths('2026-11-01', 3)).toBe('2027-02-01')
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-01')
    expect(addMonths('2026-03-01', -12)).toBe('2025-03-01')
    expect(monthOf('2026-11-27')).toBe('2026-11-01')
    expect(endOfMonth('2028-02-10')).toBe('2028-02-29')
    expect(endOfMonth('2026-02-10')).toBe('2026-02-28')
    expect(endOfMonth('2026-12-31')).toBe('2026-12-31')
  })

  it('find the Monday of a week', () => {
    expect(mondayOf('2026-11-27')).toBe('2026-11-23')
    expect(mondayOf('2026-11-23')).toBe('2026-11-23')
    expect(mondayOf('2026-11-29')).toBe('2026-11-23')
    expect(mondayOf('2027-01-01')).toBe('2026-12-28')
    expect(mondayOf('2026-03-29')).toBe('2026-03-23')
  })

  it('accept only real calendar days', () => {
    expect(isIsoDate('2026-02-28')).toBe(true)
    expect(isIsoDate('2028-02-29')).toBe(true)
    expect(isIsoDate('2026-02-29')).toBe(false)
    expect(isIsoDate('2026-02-30')).toBe(false)
    expect(isIsoDate('2026-13-01')).toBe(false)
    expect(isIsoDate('27/11/2026')).toBe(false)
    expect(isIsoDate('2026-2-3')).toBe(false)
    expect(isIsoDate(20261127)).toBe(false)
  })
})
