import { describe, expect, it } from 'vitest'
import { escapeVCardText, foldVCardLine, toVCard, vCardFileName } from './vcard.js'

describe('toVCard', () => {
  it('writes a vCard 3.0 with name, organisation, title, preferred e-mail and mobile first, CRLF line ends', () => {
    const card = toVCard({
      civility: 'Mme',
      firstName: 'Claire',
      lastName: 'Roche',
      jobTitle: 'Directrice commerciale',
      organisation: 'Menuiserie Roche, SARL',
      emails: ['claire.roche@menuiserie-roche.fr', 'c.roche@exemple.fr'],
      phones: ['+33612345678', '01 42 68 53 00'],
      url: 'https://crm.exemple.fr/contacts/42',
      updatedAt: new Date('2026-06-15T10:00:00.123Z'),
    })
    expect(card.split('\r\n')).toEqual([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Roche;Claire;;Mme;',
      'FN:Claire Roche',
      'ORG:Menuiserie Roche\\, SARL',
      'TITLE:Directrice commerciale',
      'EMAIL;TYPE=INTERNET,PREF:claire.roche@menuiserie-roche.fr',
      'EMAIL;TYPE=INTERNET:c.roche@exemple.fr',
      'TEL;TYPE=CELL,VOICE,PREF:+33612345678',
      'TEL;TYPE=WORK,VOICE:01 42 68 53 00',
      'URL:https://crm.exemple.fr/contacts/42',
      'REV:2026-06-15T10:00:00Z',
      'END:VCARD',
      '',
    ])
  })

  it('escapes separators and newlines, and folds long lines at 75 octets without cutting an accented letter', () => {
    expect(escapeVCardText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne')
    const long = `TITLE:${'é'.repeat(60)}`
    const folded = foldVCardLine(long)
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75)
    expect(folded.replace(/\r\n /g, '')).toBe(long)
  })

  it('names the file after the person, without accents or spaces', () => {
    expect(vCardFileName({ firstName: 'Hélène', lastName: "D'Arcy Lefèvre" })).toBe('Helene-D-Arcy-Lefevre.vcf')
  })
})
