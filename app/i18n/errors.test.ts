import { describe, expect, it } from 'vitest'
import { ERROR_CODES, type ErrorCode, type Problem } from '../../domain/shared/errors'
import { errorsEn } from './errors.en'
import { errorsFr } from './errors.fr'
import { translateProblem, translateRecorded } from './errors'

// The catalogues are typed Record<ErrorCode, string>, so a code the domain may throw
// without its French and English text does not compile; this checks what types cannot.

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
const codes = Object.keys(ERROR_CODES) as ErrorCode[]

describe('the error catalogues', () => {
  it('have a French and an English text for every code of the domain, and no other', () => {
    expect(Object.keys(errorsFr).sort()).toEqual([...codes].sort())
    expect(Object.keys(errorsEn).sort()).toEqual([...codes].sort())
    for (const code of codes) {
      expect(errorsFr[code].trim(), code).not.toBe('')
      expect(errorsEn[code].trim(), code).not.toBe('')
      expect(errorsEn[code], code).not.toBe(errorsFr[code].length > 12 ? errorsFr[code] : '\0')
    }
  })

  it('name, in both languages, exactly the values each code carries', () => {
    for (const code of codes) {
      const params = [...ERROR_CODES[code]].sort()
      expect(placeholders(errorsFr[code]), code).toEqual(params)
      expect(placeholders(errorsEn[code]), code).toEqual(params)
    }
  })

  it('keep English free of French accents, quotes and apostrophes', () => {
    for (const code of codes) expect(errorsEn[code], code).not.toMatch(/[éèàùçêâôîûœ«»]|\bl’|\bd’/i)
  })
})

describe('a problem in the reader’s language', () => {
  const expired: Problem = { code: 'quote.expired', params: { date: { day: '2026-11-01' } } }
  it('writes the French sentences the domain used to write, values included', () => {
    expect(translateProblem('fr', expired)).toBe(
      'Ce devis a expiré le 01/11/2026 : il ne peut plus être accepté. Modifiez-le pour envoyer une nouvelle version.',
    )
    expect(translateProblem('fr', { code: 'company.logo.too_large', params: { size: { decimal: (1.25 * 1024 * 1024) / 1024 / 1024, digits: 1 } } })).toBe(
      'Le logo dépasse 1 Mo (1,3 Mo) : réduisez-le avant de l’envoyer.',
    )
    expect(translateProblem('fr', { code: 'company.brand_color.too_light', params: { ratio: { decimal: 1.56, digits: 1 } } })).toBe(
      'Couleur trop claire : un texte blanc posé dessus n’est pas assez lisible (contraste 1,6:1, il faut au moins 4,5:1). Choisissez une teinte plus foncée.',
    )
    expect(translateProblem('fr', { code: 'workflow.variable.unknown', params: { path: 'client.nom' } })).toBe(
      'La variable {{client.nom}} n’existe pas pour ce déclencheur.',
    )
    expect(
      translateProblem('fr', {
        code: 'import.cancelled',
        params: { line: 4, reason: ['name.required', { code: 'contact.email.invalid', params: { value: 'x@' } }] },
      }),
    ).toBe('Import annulé, rien n’a été enregistré : ligne 4 — Le nom est obligatoire. ; Adresse e-mail invalide : x@')
    expect(translateProblem('fr', { code: 'validity_days.range', params: { min: 1, max: 365 } })).toBe(
      'La durée de validité doit être un nombre de jours entre 1 et 365.',
    )
    expect(translateProblem('fr', 'record.changed')).toBe(
      'Cet enregistrement a été modifié par quelqu’un d’autre entre-temps. Rechargez la page pour voir la dernière version, puis refaites votre modification.',
    )
  })

  it('writes English with English dates and decimals', () => {
    expect(translateProblem('en', expired)).toBe('This quote expired on 1 November 2026: it can no longer be accepted. Edit it to send a new version.')
    expect(translateProblem('en', { code: 'company.brand_color.too_light', params: { ratio: { decimal: 1.56, digits: 1 } } })).toContain('contrast 1.6:1')
  })

  it('translates what jobs recorded (a code, a problem as JSON), and leaves older French text and technical messages as they are', () => {
    expect(translateRecorded('en', 'deal.not_found')).toBe('Deal not found.')
    expect(translateRecorded('en', JSON.stringify({ code: 'quote.lines.max', params: { max: 200 } }))).toBe('A quote has at most 200 lines.')
    expect(translateRecorded('en', [{ code: 'import.row.duplicate', params: { line: 3 } }])).toBe('Duplicate of line 3 in the file')
    expect(translateRecorded('fr', JSON.stringify({ code: 'workflow.run.skip.depth', params: { depth: 4, max: 3 } }))).toBe(
      'profondeur 4 > 3 : déclenché par ses propres modifications',
    )
    expect(translateRecorded('fr', JSON.stringify({ code: 'workflow.run.webhook.status', params: { status: 410 } }))).toBe('Le webhook a répondu 410')
    expect(translateRecorded('en', 'Statut inconnu.')).toBe('Statut inconnu.')
    expect(translateRecorded('en', '{not json')).toBe('{not json')
  })
})
