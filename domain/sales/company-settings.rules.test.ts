import { describe, expect, it } from 'vitest'
import { ValidationError } from '../shared/errors.js'
import {
  contrastRatio,
  defaultCompanyFields,
  isValidIban,
  legalMentions,
  missingLegalDetails,
  normaliseHexColor,
  validateCompanyFields,
  type CompanyFields,
} from './company-settings.rules.js'

const fields = (over: Partial<CompanyFields> = {}): CompanyFields => ({
  ...defaultCompanyFields('Atelier Dupont'),
  legal_form: 'SAS',
  share_capital_cents: 1_000_000,
  siren: '732 829 320',
  siret: '73282932000074',
  rcs_city: 'Lyon',
  vat_number: 'FR44732829320',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'agrifrpp',
  ...over,
})

const errorsOf = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    if (e instanceof ValidationError) return e.fieldErrors
    throw e
  }
  throw new Error('no error')
}

describe('company settings rules', () => {
  it('checks IBANs with the mod-97 key', () => {
    expect(isValidIban('FR76 3000 6000 0112 3456 7890 189')).toBe(true)
    expect(isValidIban('DE89370400440532013000')).toBe(true)
    expect(isValidIban('GB82WEST12345698765432')).toBe(true)
    expect(isValidIban('FR76 3000 6000 0112 3456 7890 188')).toBe(false) // last digit changed
    expect(isValidIban('FR77 3000 6000 0112 3456 7890 189')).toBe(false) // key changed
    expect(isValidIban('pas un iban')).toBe(false)
  })

  it('measures WCAG contrast and normalises colours', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5)
    expect(contrastRatio('#3730a3', '#ffffff')).toBeGreaterThan(4.5)
    expect(contrastRatio('#facc15', '#ffffff')).toBeLessThan(2)
    expect(normaliseHexColor('37A')).toBe('#3377aa')
    expect(normaliseHexColor('#3730A3')).toBe('#3730a3')
    expect(normaliseHexColor('bleu')).toBeNull()
  })

  it('normalises valid settings', () => {
    const f = validateCompanyFields(fields())
    expect(f).toMatchObject({ siren: '732829320', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', vat_number: 'FR44732829320', brand_color: '#3730a3' })
  })

  it('refuses a bad IBAN, SIRET, colour and SIREN/VAT mismatch in French beside each field', () => {
    const e = errorsOf(() =>
      validateCompanyFields(fields({ iban: 'FR76 3000 6000 0112 3456 7890 188', siret: '73282932000075', brand_color: '#fde047', company_name: ' ' })),
    )
    expect(e.iban).toMatch('company.iban.invalid')
    expect(e.siret).toBe('company.siret.invalid')
    expect(e.brand_color).toMatchObject({ code: 'company.brand_color.too_light', params: { ratio: { digits: 1 } } })
    expect(e.company_name).toBe('company.name.required')
    expect(errorsOf(() => validateCompanyFields(fields({ brand_color: 'rouge' }))).brand_color).toMatch('company.brand_color.invalid')
    expect(errorsOf(() => validateCompanyFields(fields({ vat_number: 'FR83404833048' }))).vat_number).toMatch('company.vat_number.siren_mismatch')
  })

  it('prints the mentions a French B2B devis must carry', () => {
    const m = legalMentions(
      { name: 'Atelier Dupont', ...validateCompanyFields(fields()) },
      {
        vat: [
          { rate: 2000, exemption: null },
          { rate: 0, exemption: 'Autoliquidation' },
        ],
      },
    )
    expect(m[0]).toBe('Atelier Dupont SAS au capital de 10 000,00 € — RCS Lyon 732 829 320 — SIRET 73282932000074 — N° TVA intracommunautaire FR44732829320.')
    expect(m).toContain("Devis reçu avant l'exécution des travaux : la signature vaut acceptation de l'offre et de ses conditions.")
    expect(m.join(' ')).toMatch(/trois fois le taux d'intérêt légal.*40 €/)
    expect(m).toContain("Pas d'escompte pour paiement anticipé.")
    expect(m).toContain('Lignes à 0 % de TVA : Autoliquidation.')
    const franchise = legalMentions({ name: 'Dupont', vat_franchise: true }, { b2b: false })
    expect(franchise).toContain('TVA non applicable, art. 293 B du CGI.')
    expect(franchise.join(' ')).not.toMatch(/40 €/)
  })

  it('lists the mandatory details still missing', () => {
    expect(missingLegalDetails(defaultCompanyFields('Dupont'))).toEqual(['forme juridique', 'SIREN', 'numéro de TVA intracommunautaire', 'adresse'])
    expect(missingLegalDetails({ ...fields({ share_capital_cents: null, rcs_city: null }), address: '3 rue des Lilas', city: 'Lyon' })).toEqual([
      'capital social',
      'ville du RCS',
    ])
    expect(
      missingLegalDetails({
        ...fields({ legal_form: 'EI', share_capital_cents: null, rcs_city: null, vat_number: null, vat_franchise: true }),
        address: '3 rue des Lilas',
        city: 'Lyon',
      }),
    ).toEqual([])
  })
})
