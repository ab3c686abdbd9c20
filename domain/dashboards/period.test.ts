import { describe, expect, it } from 'vitest'
import { daysInRange, goalPeriodsOverlapping, presetRange } from './period.js'

describe('dashboard periods', () => {
  const today = '2026-11-27'
  it('runs this month, quarter and year to today', () => {
    expect(presetRange('mois', today)).toEqual({ from: '2026-11-01', to: today })
    expect(presetRange('trimestre', today)).toEqual({ from: '2026-10-01', to: today })
    expect(presetRange('annee', today)).toEqual({ from: '2026-01-01', to: today })
  })

  it('takes last month whole, across a new year', () => {
    expect(presetRange('mois-precedent', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' })
    expect(presetRange('mois-precedent', '2027-01-05')).toEqual({ from: '2026-12-01', to: '2026-12-31' })
    expect(presetRange('mois-precedent', '2028-03-31')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
  })

  it('rolls twelve months back to the day after', () => {
    expect(presetRange('12-mois', today)).toEqual({ from: '2025-11-28', to: today })
    expect(presetRange('12-mois', '2026-12-31')).toEqual({ from: '2026-01-01', to: '2026-12-31' })
    expect(daysInRange('2025-11-28', today)).toBe(365)
    // From the leap day: 365 days, as any other year (29 February 2027 does not exist).
    expect(presetRange('12-mois', '2028-02-29')).toEqual({ from: '2027-03-02', to: '2028-02-29' })
    expect(presetRange('trimestre', '2026-03-31')).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(presetRange('trimestre', '2026-12-01')).toEqual({ from: '2026-10-01', to: '2026-12-01' })
  })

  it('lists the months and quarters a range touches', () => {
    expect(goalPeriodsOverlapping('2026-09-15', '2026-11-27')).toEqual(['2026-09', '2026-Q3', '2026-10', '2026-Q4', '2026-11'])
  })
})
