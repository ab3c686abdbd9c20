import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { makeT } from '../i18n/i18n'
import { field, parseForm } from './form-schema.server'

const form = (entries: [string, string][]) => {
  const f = new FormData()
  for (const [k, v] of entries) f.append(k, v)
  return f
}
const LEVELS = ['basse', 'haute'] as const
const schema = z.object({
  title: field.text(),
  note: field.optionalText(),
  level: field.oneOf(LEVELS).default('basse'),
  owner: field.optionalUuid(),
  urgent: field.checkbox(),
  days: field.someOf(['MO', 'TU', 'WE'] as const),
  emails: field.list(),
})

describe('parseForm', () => {
  it('reads a no-JS post: trimmed text, empty as null, a default choice, a ticked box, repeated names', () => {
    const r = parseForm(
      form([
        ['csrf', 'x'],
        ['title', '  Appel  '],
        ['note', ''],
        ['owner', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'],
        ['urgent', 'on'],
        ['days', 'TU'],
        ['days', 'XX'],
        ['days', 'MO'],
        ['emails', ' a@b.fr '],
        ['emails', ''],
        ['emails', 'c@d.fr'],
      ]),
      schema,
      { t: makeT('fr'), locale: 'fr' as const },
    )
    expect(r).toEqual({
      ok: true,
      value: {
        title: 'Appel',
        note: null,
        level: 'basse',
        owner: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
        urgent: true,
        days: ['TU', 'MO'],
        emails: ['a@b.fr', 'c@d.fr'],
      },
      values: { title: '  Appel  ', note: '', owner: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', urgent: 'on', days: 'MO', emails: 'c@d.fr' },
    })
    expect(parseForm(form([]), schema, { t: makeT('fr'), locale: 'fr' as const })).toMatchObject({
      ok: true,
      value: { title: '', note: null, owner: null, urgent: false, days: [], emails: [] },
    })
  })

  it("refuses a value outside the list beside its field, in the user's language, keeping what was typed (not the token)", () => {
    const posted = form([
      ['csrf', 'x'],
      ['title', 'Appel'],
      ['level', 'bogus'],
      ['owner', 'pas-un-id'],
    ])
    expect(parseForm(posted, schema, { t: makeT('fr'), locale: 'fr' as const })).toEqual({
      ok: false,
      fieldErrors: { level: 'Choix invalide.', owner: 'Choix invalide.' },
      values: { title: 'Appel', level: 'bogus', owner: 'pas-un-id' },
    })
    expect(parseForm(posted, schema, { t: makeT('en'), locale: 'en' as const })).toMatchObject({ fieldErrors: { level: 'Invalid choice.' } })
  })

  it('says "Valeur invalide." rather than zod\'s English when the shape is wrong', () => {
    expect(
      parseForm(
        form([
          ['title', 'a'],
          ['title', 'b'],
        ]),
        schema,
        { t: makeT('fr'), locale: 'fr' as const },
      ),
    ).toMatchObject({ ok: false, fieldErrors: { title: 'Valeur invalide.' } })
  })
})
