// A contact as a vCard 3.0 file (RFC 2426) — the version every phone's address book
// imports (iOS Contacts, Android, Outlook). Pure: app/routes/contacts_.$id.vcard.ts serves it.

export type VCardContact = {
  civility?: string | null
  firstName: string
  lastName: string
  jobTitle?: string | null
  organisation?: string | null
  emails: string[]
  /** As stored (E.164 or as typed); a +33 number is written as is, phones dial it. */
  phones: string[]
  /** The contact's page in the CRM. */
  url?: string | null
  /** Last change, for REV. */
  updatedAt?: Date | null
}

/** Escapes a text value: backslash, comma, semicolon, newlines (RFC 2426 §4). */
export const escapeVCardText = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/\r\n|\r|\n/g, '\\n')

/** Folds a line at 75 octets (never inside a UTF-8 character): continuation lines start with a space. */
export function foldVCardLine(line: string): string {
  const out: string[] = []
  let current = ''
  let bytes = 0
  for (const ch of line) {
    const n = Buffer.byteLength(ch)
    const limit = out.length === 0 ? 75 : 74 // the leading space counts
    if (bytes + n > limit) {
      out.push(current)
      current = ''
      bytes = 0
    }
    current += ch
    bytes += n
  }
  out.push(current)
  return out.join('\r\n ')
}

/**
 * @example toVCard({ firstName: 'Claire', lastName: 'Roche', emails: ['claire@roche.fr'], phones: ['+33612345678'] })
 * // 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Roche;Claire;;;\r\nFN:Claire Roche\r\n…END:VCARD\r\n'
 */
export function toVCard(c: VCardContact): string {
  const e = escapeVCardText
  const fn =
    [c.firstName, c.lastName]
      .map((s) => s.trim())
      .filter(Boolean)
      .join(' ') ||
    c.organisation ||
    '?'
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `N:${e(c.lastName.trim())};${e(c.firstName.trim())};;${e(c.civility?.trim() ?? '')};`, `FN:${e(fn)}`]
  if (c.organisation?.trim()) lines.push(`ORG:${e(c.organisation.trim())}`)
  if (c.jobTitle?.trim()) lines.push(`TITLE:${e(c.jobTitle.trim())}`)
  c.emails
    .map((m) => m.trim())
    .filter(Boolean)
    .forEach((m, i) => lines.push(`EMAIL;TYPE=INTERNET${i === 0 ? ',PREF' : ''}:${e(m)}`))
  c.phones
    .map((p) => p.trim())
    .filter(Boolean)
    .forEach((p, i) => lines.push(`TEL;TYPE=${/^(\+33|0)[67]/.test(p.replace(/\s/g, '')) ? 'CELL' : 'WORK'},VOICE${i === 0 ? ',PREF' : ''}:${e(p)}`))
  if (c.url) lines.push(`URL:${e(c.url)}`)
  if (c.updatedAt) lines.push(`REV:${c.updatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')}`)
  lines.push('END:VCARD')
  return lines.map(foldVCardLine).join('\r\n') + '\r\n'
}

/** A file name for the card: the person's name, letters digits and dashes only. */
export const vCardFileName = (c: Pick<VCardContact, 'firstName' | 'lastName'>) =>
  `${
    `${c.firstName} ${c.lastName}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'contact'
  }.vcf`
