import { describe, expect, it } from 'vitest'
import { parseBusinessCard, properName } from './business-card.js'

describe('parseBusinessCard', () => {
  it('reads a French card: name in capitals, title, company with legal form, mobile and landline, e-mail, website, SIREN from the RCS line', () => {
    const card = parseBusinessCard(
      [
        'Menuiserie Roche SARL',
        'Claire ROCHE',
        'Directrice commerciale',
        'Mob. 06 12 34 56 78',
        'Tél : 01 42 68 53 00',
        'Fax 01 42 68 53 01',
        'claire.roche@menuiserie-roche.fr',
        'www.menuiserie-roche.fr',
        '12 rue des Lilas, 75011 Paris',
        'RCS Paris 552 100 554',
      ].join('\n'),
    )
    expect(card).toEqual({
      firstName: 'Claire',
      lastName: 'Roche',
      jobTitle: 'Directrice commerciale',
      company: 'Menuiserie Roche SARL',
      emails: ['claire.roche@menuiserie-roche.fr'],
      phones: [
        { number: '06 12 34 56 78', e164: '+33612345678', mobile: true },
        { number: '01 42 68 53 00', e164: '+33142685300', mobile: false },
      ],
      website: 'https://www.menuiserie-roche.fr',
      siren: '552100554',
    })
  })

  it('reads an English card: surname first in capitals is not assumed, international number, company from the e-mail domain', () => {
    const card = parseBusinessCard(['John Smith', 'Head of Sales', 'Northwind Traders', '+44 20 7946 0958', 'john.smith@northwind.co.uk'].join('\n'))
    expect(card.firstName).toBe('John')
    expect(card.lastName).toBe('Smith')
    expect(card.jobTitle).toBe('Head of Sales')
    expect(card.company).toBe('Northwind Traders')
    expect(card.phones).toEqual([{ number: '+44 20 7946 0958', e164: '+442079460958', mobile: false }])
    expect(card.siren).toBe('')
  })

  it('takes "DUPONT Jean" as surname then first name, a SIRET as its SIREN, and forgives OCR spacing in the e-mail', () => {
    const card = parseBusinessCard(
      ['DUPONT Jean', 'Gérant', 'Atelier Dupont', 'SIRET 732 829 320 00074', 'jean.dupont @ atelier-dupont.fr', '07 81 22 33 44'].join('\n'),
    )
    expect(card).toMatchObject({
      firstName: 'Jean',
      lastName: 'Dupont',
      jobTitle: 'Gérant',
      company: 'Atelier Dupont',
      siren: '732829320',
      emails: ['jean.dupont@atelier-dupont.fr'],
    })
    expect(card.phones[0]).toMatchObject({ e164: '+33781223344', mobile: true })
  })

  it('ignores a SIREN whose check digit is wrong, and returns empty fields for an empty text', () => {
    expect(parseBusinessCard('SIREN 552 100 555').siren).toBe('')
    expect(parseBusinessCard('')).toEqual({ firstName: '', lastName: '', jobTitle: '', company: '', emails: [], phones: [], website: '', siren: '' })
  })
})

describe('properName', () => {
  it('capitalises each part of a name written in capitals', () => {
    expect(properName('LE GALL')).toBe('Le Gall')
    expect(properName("D'ARTAGNAN-MARTIN")).toBe("D'Artagnan-Martin")
  })
})
