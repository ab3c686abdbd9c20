import { describe, expect, it } from 'vitest'
import { triggerSchema } from '../workflow.definition.js'
import { changedPaths, eventMatches } from './dispatch.js'
import { wakeTime } from './execute.js'
import { loopGuard } from './start-run.js'

const t = (x: unknown) => triggerSchema.parse(x)

describe('event matching', () => {
  it('matches each trigger kind to its event type only', () => {
    expect(eventMatches(t({ kind: 'deal.created' }), { type: 'DealCreated', data: {} })).toBe(true)
    expect(eventMatches(t({ kind: 'deal.created' }), { type: 'OrganisationCreated', data: {} })).toBe(false)
    expect(eventMatches(t({ kind: 'organisation.updated' }), { type: 'OrganisationUpdated', data: { changes: { city: 'Lyon' } } })).toBe(true)
  })
  it('deal.updated fires only when one of the chosen fields changed', () => {
    const trig = t({ kind: 'deal.updated', fields: ['affaire.montant', 'proprietaire.nom'] })
    expect(eventMatches(trig, { type: 'DealUpdated', data: { changes: { title: 'x' } } })).toBe(false)
    expect(eventMatches(trig, { type: 'DealUpdated', data: { changes: { amount_cents: 10 } } })).toBe(true)
    expect(eventMatches(trig, { type: 'DealUpdated', data: { changes: { owner_id: 'u' } } })).toBe(true)
    expect(changedPaths('organisation', { name: 'a', tags: [] })).toEqual(['organisation.nom', 'organisation.tags'])
  })
  it('stage_changed matches from → to, either side optional', () => {
    const e = { type: 'DealStageChanged', data: { from: 'NEGOCIATION', to: 'SIGNE' } }
    expect(eventMatches(t({ kind: 'deal.stage_changed', to: 'SIGNE' }), e)).toBe(true)
    expect(eventMatches(t({ kind: 'deal.stage_changed', from: 'PROPOSITION', to: 'SIGNE' }), e)).toBe(false)
    expect(eventMatches(t({ kind: 'deal.stage_changed' }), e)).toBe(true)
  })
})

describe('loop protection', () => {
  it('skips past depth 3 and past 10 runs per record and hour', () => {
    expect(loopGuard(3, 9)).toBeNull()
    expect(JSON.parse(loopGuard(4, 0)!)).toEqual({ code: 'workflow.run.skip.depth', params: { depth: 4, max: 3 } })
    expect(JSON.parse(loopGuard(0, 10)!)).toEqual({ code: 'workflow.run.skip.rate', params: { max: 10 } })
  })
})

describe('delays', () => {
  const now = new Date('2027-03-10T10:00:00Z')
  it('waits a duration, or until a date field at 09:00 Paris plus an offset', () => {
    expect(wakeTime({ id: 'd', type: 'delay', mode: 'duration', amount: 7, unit: 'days', field: null, offsetDays: 0, next: null }, {}, now).toISOString()).toBe(
      '2027-03-17T10:00:00.000Z',
    )
    expect(
      wakeTime({ id: 'd', type: 'delay', mode: 'duration', amount: 90, unit: 'minutes', field: null, offsetDays: 0, next: null }, {}, now).toISOString(),
    ).toBe('2027-03-10T11:30:00.000Z')
    // 2 days before the 1st of April (summer time: 09:00 Paris = 07:00 UTC).
    expect(
      wakeTime(
        { id: 'd', type: 'delay', mode: 'until_field', amount: 0, unit: 'days', field: 'affaire.date_cloture', offsetDays: -2, next: null },
        { 'affaire.date_cloture': '2027-04-01' },
        now,
      ).toISOString(),
    ).toBe('2027-03-30T07:00:00.000Z')
    expect(() =>
      wakeTime({ id: 'd', type: 'delay', mode: 'until_field', amount: 0, unit: 'days', field: 'affaire.date_cloture', offsetDays: 0, next: null }, {}, now),
    ).toThrow('workflow.run.wait.no_date')
  })
})
