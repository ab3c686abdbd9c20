import { findPhoneNumbersInText } from 'libphonenumber-js'
import { isValidSiren, isValidSiret } from './french-ids.js'

// A business card's OCR text → the fields of a new contact, for the rep to check before
// saving (app/components/card-scan.tsx). Pure and forgiving: OCR mixes up O/0 and l/1,
// splits or glues words, and cards put things in any order, so every rule below guesses
// and the form shows the guess, never saves it alone. Phones in French national form by
// default (libphonenumber-js, FR).

export type CardPhone = { number: string; e164: string; mobile: boolean }

export type BusinessCard = {
  firstName: string
  lastName: string
  jobTitle: string
  company: string
  emails: string[]
  phones: CardPhone[]
  website: string
  siren: string
}

const EMAIL = /[A-Za-z0-9._%+-]+\s?@\s?[A-Za-z0-9-]+(?:\s?\.\s?[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g
const WEBSITE = /\b(?:https?:\/\/)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fr|com|eu|net|org|io|co|be|ch|de|es|it|uk|biz|info|pro|paris|bzh)(?:\/[^\s]*)?/i
const LEGAL_FORM = /\b(SAS|SASU|SARL|EURL|SA|SCI|SCOP|SNC|SELARL|GIE|Ltd|LLC|GmbH|Inc|Group|Groupe)\b\.?/
// Words that make a line a job title (French and English cards).
const TITLE_WORDS =
  /\b(directeur|directrice|direction|responsable|gérant|gérante|président|présidente|fondateur|fondatrice|co-?fondat\w*|associé|associée|chargée?|chef|ingénieure?|commerciale?|consultante?|conseill[eè]re?|assistante?|comptable|acheteu[rs]e?|technicien\w*|manager|head|sales|account|ceo|cto|cfo|coo|founder|engineer|director|officer|partner|vp|attachée?|délégué\w*|business|développeu\w*|developer|chef de projet|dg|daf|drh)\b/i
const ADDRESS = /\b(\d{5}|rue|avenue|av\.|bd|boulevard|chemin|allée|place|impasse|route|quai|cedex|bp|zi|za|zac|france)\b/i
// A label before a number ("Mob. 06…", "T : 01…"): only then, so "Directrice" keeps its "Direct".
const LABELS = /^(t[ée]l(?:[ée]phone)?|tel|mobile|mob|portable|port|fax|standard|ligne directe|direct|t|m|p|f)\b\s*[.:]?\s*(?=[\d+(])/i

const clean = (s: string) => s.replace(/[|•·]/g, ' ').replace(/\s+/g, ' ').trim()

/** Capitalises a name typed in capitals on the card ("DUPONT" → "Dupont", "LE GALL" → "Le Gall"). */
export function properName(s: string): string {
  return s
    .toLowerCase()
    .replace(/(^|[\s'’-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase())
    .trim()
}

function findSiren(text: string): string {
  // A SIRET (14) or SIREN (9) after its label, or the SIREN inside "RCS Ville 123 456 789".
  const labelled = /(?:SIRE[NT]|RCS(?:\s+[A-Za-zÀ-ÿ-]+)?|N°\s*TVA|TVA)\s*[:n°.]*\s*((?:FR\s*\d{2}\s*)?[\d][\d\s.]{7,20}\d)/gi
  for (const m of text.matchAll(labelled)) {
    let digits = m[1].replace(/^FR\s*\d{2}\s*/i, '').replace(/[\s.]/g, '')
    if (/^\d{11}$/.test(m[1].replace(/\s/g, '').replace(/^FR/i, '')) && /^FR/i.test(m[1])) digits = digits.slice(-9)
    if (digits.length === 14 && isValidSiret(digits)) return digits.slice(0, 9)
    if (digits.length === 9 && isValidSiren(digits)) return digits
  }
  return ''
}

function findPhones(text: string): CardPhone[] {
  const out: CardPhone[] = []
  // Per line: "Fax" numbers are not a way to call the person.
  for (const line of text.split('\n')) {
    if (/\bfax\b/i.test(line) || /\b(SIRE[NT]|RCS|TVA|APE|NAF)\b/i.test(line)) continue
    for (const found of findPhoneNumbersInText(line.replace(/[oO](?=\d)|(?<=\d)[oO]/g, '0'), 'FR')) {
      const n = found.number
      if (!n.isValid() || out.some((p) => p.e164 === n.number)) continue
      const national = n.country === 'FR' || n.countryCallingCode === '33'
      const type = n.getType()
      out.push({
        number: national ? n.formatNational() : n.formatInternational(),
        e164: n.number,
        mobile: type === 'MOBILE' || (national && /^\+33[67]/.test(n.number)),
      })
    }
  }
  // Mobile first: it is the one a rep calls.
  return out.sort((a, b) => Number(b.mobile) - Number(a.mobile))
}

/**
 * Reads the fields of a card from its OCR text (lines as the OCR gave them).
 *
 * @example parseBusinessCard('Claire ROCHE\nDirectrice commerciale\nMenuiserie Roche SARL\n06 12 34 56 78\nclaire@roche.fr')
 * // → { firstName: 'Claire', lastName: 'Roche', jobTitle: 'Directrice commerciale', company: 'Menuiserie Roche SARL', … }
 */
export function parseBusinessCard(text: string): BusinessCard {
  const normalised = text.replace(/\r/g, '')
  const emails = [
    ...new Set(
      [...normalised.matchAll(EMAIL)].map((m) =>
        m[0]
          .replace(/\s/g, '')
          .replace(/^[.]+|[.]+$/g, '')
          .toLowerCase(),
      ),
    ),
  ]
  const phones = findPhones(normalised)
  const siren = findSiren(normalised)
  const emailDomains = emails.map((e) => e.split('@')[1])

  const lines = normalised
    .split('\n')
    .map(clean)
    .filter((l) => l.length > 1)
  let website = ''
  const rest: string[] = []
  for (const raw of lines) {
    const line = raw.replace(LABELS, '')
    const withoutEmails = line.replace(EMAIL, ' ').trim()
    if (!website) {
      const w = WEBSITE.exec(withoutEmails)
      if (w && !/@/.test(w[0])) website = w[0].replace(/[.,;]+$/, '').toLowerCase()
    }
    // Lines that are only contact points, identifiers or an address are done.
    const digits = (line.match(/\d/g) ?? []).length
    if (withoutEmails === '' || WEBSITE.test(withoutEmails) || digits >= 6 || /\b(SIRE[NT]|RCS|TVA|APE|NAF)\b/i.test(line) || ADDRESS.test(line)) continue
    rest.push(line)
  }
  if (website && !/^https?:\/\//.test(website)) website = `https://${website}`

  let jobTitle = ''
  let company = ''
  let name = ''
  const used = new Set<number>()
  // Company: a legal form, or the name the e-mail domain spells.
  const domainWord = (emailDomains.find((d) => !/gmail|yahoo|hotmail|outlook|orange|free|laposte|wanadoo|icloud|sfr/.test(d)) ?? '').split('.')[0]
  const squash = (s: string) =>
    s
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z0-9]/g, '')
  rest.forEach((l, i) => {
    if (!company && (LEGAL_FORM.test(l) || (domainWord.length > 2 && squash(l).includes(squash(domainWord)) && !TITLE_WORDS.test(l)))) {
      company = l
      used.add(i)
    }
  })
  rest.forEach((l, i) => {
    if (!used.has(i) && !jobTitle && TITLE_WORDS.test(l)) {
      jobTitle = l
      used.add(i)
    }
  })
  // The person: 2 to 4 words of letters, each starting with a capital.
  rest.forEach((l, i) => {
    if (used.has(i) || name) return
    const words = l.split(' ')
    if (words.length >= 2 && words.length <= 4 && words.every((w) => /^\p{Lu}[\p{L}'’.-]*$/u.test(w))) {
      name = l
      used.add(i)
    }
  })
  if (!company) {
    const i = rest.findIndex((_, j) => !used.has(j))
    if (i >= 0) company = rest[i]
  }
  if (!company && domainWord) company = properName(domainWord)

  let firstName = ''
  let lastName = ''
  if (name) {
    const words = name.split(' ')
    // "DUPONT Jean" (surname in capitals first) or "Jean Dupont" / "Jean DUPONT".
    const isCaps = (w: string) => w.length > 1 && w === w.toUpperCase()
    if (isCaps(words[0]) && !isCaps(words[words.length - 1])) {
      const k = words.findIndex((w) => !isCaps(w))
      lastName = words.slice(0, k).join(' ')
      firstName = words.slice(k).join(' ')
    } else {
      firstName = words[0]
      lastName = words.slice(1).join(' ')
    }
    firstName = properName(firstName)
    lastName = isCaps(lastName.replace(/\s/g, '')) ? properName(lastName) : lastName
  }

  return { firstName, lastName, jobTitle, company, emails, phones, website, siren }
}
