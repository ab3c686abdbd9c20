import { describe, expect, it } from 'vitest'
import { jsonStringEscape, lookup, pathsIn, placeholdersIn, renderTemplate } from './template-text'

describe('template text', () => {
  it('lists the distinct paths used, spaces inside braces allowed', () => {
    expect(pathsIn('Bonjour {{contact.prenom}}, {{ organisation.nom }} / {{contact.prenom}}')).toEqual(['contact.prenom', 'organisation.nom'])
  })

  it('accepts accented paths like année', () => {
    expect(pathsIn('Nouveau client {{année}}')).toEqual(['année'])
  })

  it('marks malformed placeholders as invalid and keeps them when rendering', () => {
    const p = placeholdersIn('a {{ }} b {{organisation..nom}} c {{x y}}')
    expect(p.map((x) => x.valid)).toEqual([false, false, false])
    expect(renderTemplate('a {{x y}}', { 'x y': 'no' })).toBe('a {{x y}}')
  })

  it('renders from a flat map and from nested objects', () => {
    expect(renderTemplate('Relancer {{organisation.nom}}', { 'organisation.nom': 'Dupont SA' })).toBe('Relancer Dupont SA')
    expect(renderTemplate('{{webhook.order.id}}', { webhook: { order: { id: 42 } } })).toBe('42')
  })

  it('renders missing values as empty text, or as the missing callback says', () => {
    expect(renderTemplate('Bonjour {{contact.prenom}} !', {})).toBe('Bonjour  !')
    expect(renderTemplate('{{a.b}}', {}, { missing: (p) => `[${p}]` })).toBe('[a.b]')
  })

  it('joins lists and formats dates', () => {
    expect(renderTemplate('{{t}} {{d}}', { t: ['a', 'b'], d: new Date('2026-11-27T10:00:00Z') })).toBe('a, b 2026-11-27')
  })

  it('escapes substituted values only', () => {
    const out = renderTemplate('{"nom": "{{n}}"}', { n: 'A "B"\n' }, { escape: jsonStringEscape })
    expect(JSON.parse(out)).toEqual({ nom: 'A "B"\n' })
  })

  it('does not read inherited properties', () => {
    expect(lookup({}, 'constructor')).toBeUndefined()
    expect(renderTemplate('{{toString}}', {})).toBe('')
  })
})
