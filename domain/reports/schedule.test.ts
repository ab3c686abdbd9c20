import { describe, expect, it } from 'vitest'
import { fromWallClock, toWallClock } from '../shared/paris-time.js'
import { describeCron, isValidCron, nextRuns } from './schedule.js'

// The last Sunday of a month of a given year, as 'YYYY-MM-DD' — computed, not written down,
// so the test holds whatever year it runs in.
function lastSunday(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0))
  d.setUTCDate(d.getUTCDate() - d.getUTCDay())
  return d.toISOString().slice(0, 10)
}

const year = new Date().getUTCFullYear() + 1
const paris = (wall: string) => fromWallClock(new Date(`${wall}:00Z`))
const wallOf = (d: Date) => toWallClock(d).toISOString().slice(0, 16)

describe('nextRuns, on the Paris wall clock', () => {
  for (const [name, month] of [
    ['spring forward', 3],
    ['fall back', 10],
  ] as const) {
    it(`gives each 09:00 Monday slot once around the ${name} (last Sunday of month ${month})`, () => {
      const sunday = lastSunday(year, month)
      const from = paris(`${sunday}T00:00`)
      const from2 = new Date(from.getTime() - 14 * 86_400_000)
      const to = new Date(from.getTime() + 15 * 86_400_000)
      const runs = nextRuns('0 9 * * 1', from2, to)
      expect(runs.length).toBe(4)
      for (const r of runs) {
        expect(wallOf(r.at).slice(11)).toBe('09:00')
        expect(new Date(`${r.slot}:00Z`).getUTCDay()).toBe(1)
        expect(r.slot).toBe(wallOf(r.at))
      }
      expect(new Set(runs.map((r) => r.slot)).size).toBe(4)
    })

    it(`runs a daily 02:30 schedule once on the day of the ${name}`, () => {
      const sunday = lastSunday(year, month)
      const runs = nextRuns('30 2 * * *', paris(`${sunday}T00:00`), paris(`${sunday}T23:59`))
      expect(runs).toHaveLength(1)
      expect(runs[0].slot).toBe(`${sunday}T02:30`)
      // Spring: 02:30 does not exist and runs at 03:30 summer time; autumn: the first 02:30 (summer time).
      expect(wallOf(runs[0].at)).toBe(month === 3 ? `${sunday}T03:30` : `${sunday}T02:30`)
      if (month === 10) expect(runs[0].at.toISOString().slice(11, 16)).toBe('00:30')
    })
  }

  it('keeps a slot to its window: [from, to)', () => {
    const at = paris(`${year}-06-07T09:00`)
    expect(nextRuns('0 9 * * *', at, new Date(at.getTime() + 1))).toHaveLength(1)
    expect(nextRuns('0 9 * * *', new Date(at.getTime() + 1), new Date(at.getTime() + 3_600_000))).toHaveLength(0)
  })

  it('gives the 1st of each month at 08:00 twelve times a year', () => {
    const runs = nextRuns('0 8 1 * *', paris(`${year}-01-01T00:00`), paris(`${year + 1}-01-01T00:00`))
    expect(runs.map((r) => r.slot.slice(5))).toEqual(Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(2, '0')}-01T08:00`))
  })
})

describe('describeCron', () => {
  it('reads the common shapes in French', () => {
    expect(describeCron('0 9 * * 1')).toBe('tous les lundis à 09:00')
    expect(describeCron('0 8 1 * *')).toBe('le 1er de chaque mois à 08:00')
    expect(describeCron('30 7 * * 1-5')).toBe('du lundi au vendredi à 07:30')
    expect(describeCron('15 18 * * *')).toBe('tous les jours à 18:15')
    expect(describeCron('*/5 * * * *')).toBeNull()
  })

  it('refuses what is not a five-field expression', () => {
    expect(isValidCron('0 9 * *')).toBe(false)
    expect(isValidCron('0 25 * * *')).toBe(false)
    expect(isValidCron('bonjour')).toBe(false)
    expect(isValidCron('0 9 * * 1')).toBe(true)
  })
})
