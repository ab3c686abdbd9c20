import { describe, expect, it } from 'vitest'
import { evaluateCondition as ev, evaluateGroup } from './conditions.js'
import { buildValues, templateValues } from './run-context.js'
import { parseDay, parseMoneyCents } from './values.js'

const values = {
  'affaire.montant': 12_000_000,
  'affaire.etape': 'PROPOSITION',
  'affaire.date_cloture': '2027-03-01',
  'organisation.nom': 'Société Générale',
  'organisation.tags': ['VIP', 'Île-de-France'],
  'contact.prenom': '',
  webhook: { order: { total: 42, ref: 'A-1' } },
}

describe('typed parsing', () => {
  it('reads money typed in euros, French style, as cents', () => {
    expect(parseMoneyCents('100000')).toBe(10_000_000)
    expect(parseMoneyCents('1 500,50 €')).toBe(150_050)
    expect(parseMoneyCents('1\u202f500.5')).toBe(150_050)
    expect(parseMoneyCents('12,345')).toBeNull()
    expect(parseMoneyCents('cent')).toBeNull()
  })
  it('reads ISO and French dates and refuses impossible ones', () => {
    expect(parseDay('01/03/2027')).toBe('2027-03-01')
    expect(parseDay('2027-02-30')).toBeNull()
  })
})

describe('conditions', () => {
  it('compares money in euros against cents', () => {
    expect(ev({ field: 'affaire.montant', op: 'gt', value: '100 000' }, values)).toBe(true)
    expect(ev({ field: 'affaire.montant', op: 'lt', value: '100000' }, values)).toBe(false)
    expect(ev({ field: 'affaire.montant', op: 'eq', value: '120 000,00' }, values)).toBe(true)
  })
  it('orders stages by the pipeline, compares dates as days', () => {
    expect(ev({ field: 'affaire.etape', op: 'gt', value: 'qualification' }, values)).toBe(true)
    expect(ev({ field: 'affaire.etape', op: 'in', value: 'NEGOCIATION, PROPOSITION' }, values)).toBe(true)
    expect(ev({ field: 'affaire.date_cloture', op: 'lt', value: '15/03/2027' }, values)).toBe(true)
  })
  it('matches text without case or accents, lists by element, emptiness', () => {
    expect(ev({ field: 'organisation.nom', op: 'contains', value: 'generale' }, values)).toBe(true)
    expect(ev({ field: 'organisation.nom', op: 'neq', value: 'société générale' }, values)).toBe(false)
    expect(ev({ field: 'organisation.tags', op: 'contains', value: 'vip' }, values)).toBe(true)
    expect(ev({ field: 'organisation.tags', op: 'in', value: 'Grand compte, VIP' }, values)).toBe(true)
    expect(ev({ field: 'contact.prenom', op: 'empty' }, values)).toBe(true)
    expect(ev({ field: 'contact.nom', op: 'not_empty' }, values)).toBe(false)
  })
  it('reads webhook payload paths, numbers as numbers', () => {
    expect(ev({ field: 'webhook.order.total', op: 'gt', value: '40' }, values)).toBe(true)
    expect(ev({ field: 'webhook.order.ref', op: 'eq', value: 'a-1' }, values)).toBe(true)
  })
  it('a value that does not fit the type never holds', () => {
    expect(ev({ field: 'affaire.montant', op: 'gt', value: 'beaucoup' }, values)).toBe(false)
  })
  it('combines AND / OR groups, nested', () => {
    const g = {
      combinator: 'and' as const,
      rules: [
        { field: 'affaire.montant', op: 'gt' as const, value: '50000' },
        {
          combinator: 'or' as const,
          rules: [
            { field: 'affaire.etape', op: 'eq' as const, value: 'SIGNE' },
            { field: 'organisation.tags', op: 'contains' as const, value: 'VIP' },
          ],
        },
      ],
    }
    expect(evaluateGroup(g, values)).toBe(true)
    expect(evaluateGroup({ ...g, rules: [...g.rules, { field: 'contact.prenom', op: 'not_empty' as const }] }, values)).toBe(false)
    expect(evaluateGroup(null, values)).toBe(true)
  })
})

describe('run context', () => {
  it('names values by French paths and formats them for templates', () => {
    const v = buildValues({
      now: new Date('2026-12-31T23:30:00Z'),
      appUrl: 'https://crm.exemple.fr',
      deal: { id: 'd1', title: 'Licences', amount_cents: 5_000_050, stage: 'SIGNE', expected_close_date: '2027-01-15' } as never,
      owner: { full_name: 'Claire Martin Dubois', email: 'claire@exemple.fr' },
      trigger: { inactiveDays: 30 },
    })
    // 23:30 UTC on 31 December is already 2027 in Paris.
    expect(v['année']).toBe(2027)
    expect(v['affaire.lien']).toBe('https://crm.exemple.fr/deals/d1')
    const t = templateValues(v)
    expect(t['affaire.montant']).toBe('50 000,50')
    expect(t['affaire.date_cloture']).toBe('15/01/2027')
    expect(t['proprietaire.prenom']).toBe('Claire')
    expect(t['proprietaire.nom']).toBe('Martin Dubois')
    expect(t['declencheur.jours_inactivite']).toBe(30)
  })
})
