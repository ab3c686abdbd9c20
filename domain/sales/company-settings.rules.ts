import { amountProblem } from '../shared/plausible.js'
import { hasControlCharacters } from '../shared/user-text.js'
import type { CompanySettingsTable } from '../../db/schema/quote-documents.js'
import { isValidSiren, isValidSiret, isValidVatNumber, normaliseDigits } from '../crm/french-ids.js'
import { ValidationError, type FieldProblems } from '../shared/errors.js'
import { formatEuros } from '../shared/money.js'
import { DEFAULT_VALIDITY_DAYS } from './quote.js'
import type { VatGroup } from './quote-totals.js'

// The workspace's legal identity as printed on its quotes (and later its invoices):
// pure checks and the legal mentions a French devis must carry. Database access is in
// company-settings.ts.

/** What an admin sets on /settings/company: the stored row but for its keys and bookkeeping (the logo is uploaded separately). */
export type CompanyFields = Omit<CompanySettingsTable, 'workspace_id' | 'logo_sha256' | 'version' | 'updated_at' | 'updated_by'>

/** The seller as frozen into a sent version (quote-snapshot.ts): enough to print the document forever. */
export type SellerLegalDetails = Omit<CompanyFields, 'company_name' | 'default_payment_terms' | 'default_validity_days'> & { logo_sha256: string | null }

export const DEFAULT_BRAND_COLOR = '#3730a3'
export const DEFAULT_PAYMENT_TERMS = 'Paiement à 30 jours à réception de facture, par virement bancaire.'
export const LOGO_MAX_BYTES = 1024 * 1024
export const LEGAL_FORMS = ['SAS', 'SASU', 'SARL', 'EURL', 'SA', 'SCOP', 'SNC', 'EI', 'Micro-entreprise', 'Association'] as const

const NAME_MAX = 200
const SHORT_MAX = 100
const TERMS_MAX = 2000

/** The defaults before an admin has filled the page: the workspace's name, the house colour. */
export const defaultCompanyFields = (workspaceName: string): CompanyFields => ({
  company_name: workspaceName,
  legal_form: null,
  share_capital_cents: null,
  siren: null,
  siret: null,
  rcs_city: null,
  vat_number: null,
  address: null,
  postal_code: null,
  city: null,
  email: null,
  phone: null,
  iban: null,
  bic: null,
  brand_color: DEFAULT_BRAND_COLOR,
  default_payment_terms: DEFAULT_PAYMENT_TERMS,
  default_validity_days: DEFAULT_VALIDITY_DAYS,
  vat_franchise: false,
})

/** "fr76 3000 6000 0112 3456 7890 189" → "FR7630006000011234567890189". */
export const compactIban = (s: string) => s.replace(/[\s-]/g, '').toUpperCase()

/**
 * IBAN check digits (ISO 13616, mod 97 = 1): letters become 10…35, the first four
 * characters move to the end. Length per country is left to the bank.
 *
 * @example isValidIban('FR76 3000 6000 0112 3456 7890 189') // true
 */
export function isValidIban(input: string): boolean {
  const s = compactIban(input)
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false
  const moved = s.slice(4) + s.slice(0, 4)
  let rest = 0
  for (const ch of moved) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : Number(ch)
    // One or two digits at a time keeps the remainder small (no BigInt needed).
    rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97
  }
  return rest === 1
}

/** "FR76 3000 6000 0112 3456 7890 189" — groups of four, as banks print it. */
export const formatIban = (iban: string) =>
  compactIban(iban)
    .replace(/(.{4})/g, '$1 ')
    .trim()

/** BIC / SWIFT: 4 letters (bank), 2 (country), 2 (place), optional 3 (branch). */
export const isValidBic = (s: string) => /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(s.replace(/\s/g, '').toUpperCase())

/** WCAG relative luminance of "#rrggbb". */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG contrast ratio between two "#rrggbb" colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (l1 + 0.05) / (l2 + 0.05)
}

/** White text sits on the brand colour (table headers, totals): AA for normal text. */
export const MIN_CONTRAST_ON_BRAND = 4.5

/** "#3730A3", "3730a3", "#37a" → "#3730a3"; null if not a hex colour. */
export function normaliseHexColor(input: string): string | null {
  const s = input.trim().toLowerCase().replace(/^#?/, '#')
  if (/^#[0-9a-f]{6}$/.test(s)) return s
  if (/^#[0-9a-f]{3}$/.test(s)) return `#${s[1]}${s[1]}${s[2]}${s[2]}${s[3]}${s[3]}`
  return null
}

/** Checks and normalises the company fields; throws a ValidationError with a code beside each field. */
export function validateCompanyFields(input: CompanyFields): CompanyFields {
  const errors: FieldProblems = {}
  const clean = (v: string | null | undefined) => v?.trim().replace(/[ \t]+/g, ' ') || null
  const name = clean(input.company_name)
  if (!name) errors.company_name = 'company.name.required'
  else if (name.length > NAME_MAX) errors.company_name = { code: 'company.name.too_long', params: { max: NAME_MAX } }
  const short = (
    field: keyof CompanyFields,
    v: string | null,
    code: 'company.legal_form.too_long' | 'company.rcs_city.too_long' | 'company.city.too_long' | 'company.phone.too_long',
  ) => {
    if (v && v.length > SHORT_MAX) errors[field] = { code, params: { max: SHORT_MAX } }
    return v
  }
  const legalForm = short('legal_form', clean(input.legal_form), 'company.legal_form.too_long')
  const capital = input.share_capital_cents
  const capitalProblem =
    capital === null ? null : amountProblem(capital, { invalid: 'company.share_capital.invalid', negative: 'company.share_capital.invalid' })
  if (capitalProblem) errors.share_capital_cents = capitalProblem

  const siren = input.siren ? normaliseDigits(input.siren) : null
  if (siren && !isValidSiren(siren)) errors.siren = 'company.siren.invalid'
  const siret = input.siret ? normaliseDigits(input.siret) : null
  if (siret && !isValidSiret(siret)) errors.siret = 'company.siret.invalid'
  else if (siret && siren && !siret.startsWith(siren)) errors.siret = 'company.siret.must_start_with_siren'
  const vat = input.vat_number ? input.vat_number.replace(/\s/g, '').toUpperCase() : null
  if (vat && !isValidVatNumber(vat)) errors.vat_number = 'company.vat_number.invalid'
  else if (vat && siren && vat.startsWith('FR') && vat.slice(4) !== siren) errors.vat_number = 'company.vat_number.siren_mismatch'
  const rcsCity = short('rcs_city', clean(input.rcs_city), 'company.rcs_city.too_long')

  const address = clean(input.address)
  if (address && address.length > 500) errors.address = { code: 'company.address.too_long', params: { max: 500 } }
  const postal = clean(input.postal_code)
  if (postal && !/^\d{5}$/.test(postal)) errors.postal_code = 'company.postal_code.invalid'
  const city = short('city', clean(input.city), 'company.city.too_long')
  const email = clean(input.email)
  if (email && !/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/.test(email)) errors.email = 'email.invalid'
  const phone = short('phone', clean(input.phone), 'company.phone.too_long')

  const iban = input.iban ? compactIban(input.iban) : null
  if (iban && !isValidIban(iban)) errors.iban = 'company.iban.invalid'
  const bic = input.bic ? input.bic.replace(/\s/g, '').toUpperCase() : null
  if (bic && !isValidBic(bic)) errors.bic = 'company.bic.invalid'

  const color = normaliseHexColor(input.brand_color ?? '')
  if (!color) errors.brand_color = 'company.brand_color.invalid'
  else {
    const ratio = contrastRatio(color, '#ffffff')
    if (ratio < MIN_CONTRAST_ON_BRAND) {
      errors.brand_color = { code: 'company.brand_color.too_light', params: { ratio: { decimal: ratio, digits: 1 } } }
    }
  }
  const terms = clean(input.default_payment_terms)
  if (terms && terms.length > TERMS_MAX) errors.default_payment_terms = { code: 'payment_terms.too_long', params: { max: TERMS_MAX } }
  const validity = input.default_validity_days
  if (!Number.isInteger(validity) || validity < 1 || validity > 365)
    errors.default_validity_days = { code: 'validity_days.range', params: { min: 1, max: 365 } }
  // Printed on every quote and invoice: no invisible characters (the same rule as every user text).
  const texts = { company_name: name, legal_form: legalForm, rcs_city: rcsCity, address, city, email, phone, default_payment_terms: terms }
  for (const [field, v] of Object.entries(texts)) {
    if (v && hasControlCharacters(v, field === 'address' || field === 'default_payment_terms')) errors[field] ??= 'text.control_characters'
  }

  if (Object.keys(errors).length) throw new ValidationError(errors)
  return {
    company_name: name!,
    legal_form: legalForm,
    share_capital_cents: capital,
    siren,
    siret,
    rcs_city: rcsCity,
    vat_number: vat,
    address,
    postal_code: postal,
    city,
    email,
    phone,
    iban,
    bic,
    brand_color: color!,
    default_payment_terms: terms,
    default_validity_days: validity,
    vat_franchise: !!input.vat_franchise,
  }
}

/**
 * What a devis must show and the settings lack (French labels): the identity line and
 * the address. The page warns, sending is not blocked (a sole trader has no capital).
 */
export function missingLegalDetails(
  f: Pick<CompanyFields, 'legal_form' | 'share_capital_cents' | 'siren' | 'rcs_city' | 'vat_number' | 'address' | 'city' | 'vat_franchise'>,
): string[] {
  const out: string[] = []
  if (!f.legal_form) out.push('forme juridique')
  if (f.share_capital_cents === null && f.legal_form && !/^(EI|Micro-entreprise|Association)$/.test(f.legal_form)) out.push('capital social')
  if (!f.siren) out.push('SIREN')
  if (!f.rcs_city && f.legal_form && !/^(EI|Micro-entreprise|Association)$/.test(f.legal_form)) out.push('ville du RCS')
  if (!f.vat_number && !f.vat_franchise) out.push('numéro de TVA intracommunautaire')
  if (!f.address || !f.city) out.push('adresse')
  return out
}

const nbsp = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ')
const spacedSiren = (s: string) => s.replace(/^(\d{3})(\d{3})(\d{3})/, '$1 $2 $3')

/**
 * The seller's identity line(s): "Atelier Dupont SAS au capital de 10 000,00 € — RCS Lyon
 * 732 829 320 — SIRET … — TVA FR…" (Code de commerce art. R123-237: form, capital, RCS
 * and city on every commercial document).
 */
export function sellerIdentity(s: Partial<SellerLegalDetails> & { name: string }): string[] {
  const first = [s.legal_form ? `${s.name} ${s.legal_form}` : s.name]
  if (s.share_capital_cents != null) first.push(`au capital de ${nbsp(formatEuros(s.share_capital_cents))}`)
  const parts = [first.join(' ')]
  if (s.siren) parts.push(s.rcs_city ? `RCS ${s.rcs_city} ${spacedSiren(s.siren)}` : `SIREN ${spacedSiren(s.siren)}`)
  if (s.siret) parts.push(`SIRET ${s.siret}`)
  if (s.vat_number) parts.push(`N° TVA intracommunautaire ${s.vat_number}`)
  return parts
}

/**
 * The mentions a French devis carries, in print order:
 * - the seller's identity (form, capital, RCS, SIREN/SIRET, VAT number);
 * - "Devis reçu avant l'exécution des travaux" (arrêté du 2 mars 1990, réglementation des
 *   devis: the customer acknowledges receiving it before the work);
 * - between professionals (Code de commerce L441-9 / L441-10 / D441-5): payment date,
 *   late-payment penalties, the €40 recovery fee, and the early-payment discount (none);
 * - the VAT exemption: the 293 B franchise on the whole document, and each 0 % line's
 *   own mention (CGI art. 242 nonies A) once per mention.
 */
export function legalMentions(
  seller: Partial<SellerLegalDetails> & { name: string },
  opts: { b2b?: boolean; vat?: Pick<VatGroup, 'rate' | 'exemption'>[] } = {},
): string[] {
  const out = [sellerIdentity(seller).join(' — ') + '.']
  out.push("Devis reçu avant l'exécution des travaux : la signature vaut acceptation de l'offre et de ses conditions.")
  if (opts.b2b ?? true) {
    out.push(
      "En cas de retard de paiement, des pénalités sont exigibles de plein droit au taux de trois fois le taux d'intérêt légal (art. L441-10 du Code de commerce), ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 € (art. D441-5 du Code de commerce).",
    )
    out.push("Pas d'escompte pour paiement anticipé.")
  }
  if (seller.vat_franchise) out.push('TVA non applicable, art. 293 B du CGI.')
  const exemptions = [...new Set((opts.vat ?? []).filter((g) => g.rate === 0 && g.exemption).map((g) => g.exemption!))]
  for (const e of exemptions) if (!(seller.vat_franchise && /293 B/.test(e))) out.push(`Lignes à 0 % de TVA : ${e.replace(/\.$/, '')}.`)
  return out
}
