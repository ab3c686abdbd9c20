// Variables of a campaign's subject and body: `{{contact.prenom}}`, with a fallback for
// an empty value: `{{contact.prenom | "Madame, Monsieur"}}`. Checked when the campaign
// is saved (an unknown name is refused beside the field), filled at send time.

export const MERGE_FIELDS = ['contact.prenom', 'contact.nom', 'contact.civilite', 'contact.email', 'organisation.nom', 'commercial.nom'] as const
export type MergeField = (typeof MERGE_FIELDS)[number]
export type MergeValues = Partial<Record<MergeField, string | null>>

const TOKEN = /\{\{\s*([a-zA-Z_.]+)\s*(?:\|\s*"([^"]*)"\s*)?\}\}/g

/** Names used in `text` that are not variables we know. @example unknownFields('Bonjour {{contact.age}}') // ['contact.age'] */
export function unknownFields(text: string): string[] {
  const out = new Set<string>()
  for (const m of text.matchAll(TOKEN)) if (!(MERGE_FIELDS as readonly string[]).includes(m[1]!)) out.add(m[1]!)
  // A brace pair that is not a well-formed variable is a typo the sender would see.
  const stray = text.replace(TOKEN, '')
  if (/\{\{|\}\}/.test(stray)) out.add(stray.match(/\{\{[^}]*\}?\}?/)?.[0] ?? '{{')
  return [...out]
}

/** Fills the variables; an empty value takes its fallback, else ''. */
export function fillFields(text: string, values: MergeValues): string {
  return text.replace(TOKEN, (_, name: string, fallback?: string) => {
    const v = values[name as MergeField]?.trim()
    return v ? v : (fallback ?? '')
  })
}

/**
 * Swaps each variable for a numbered placeholder (`zqx0qxz`, letters and digits only,
 * so react-email and the HTML-to-text step keep it intact), recording what it stands
 * for: the e-mail is rendered once per batch, and each recipient's copy is the rendered
 * text with the placeholders filled (fillPlaceholders).
 */
export function toPlaceholders(text: string, slots: { name: string; fallback: string }[]): string {
  return text.replace(TOKEN, (_, name: string, fallback?: string) => {
    slots.push({ name, fallback: fallback ?? '' })
    return `zqx${slots.length - 1}qxz`
  })
}

/** A placeholder named outside the merge fields (links): its slot name is the key in `values`. */
export function placeholder(slots: { name: string; fallback: string }[], name: string): string {
  slots.push({ name, fallback: '' })
  return `zqx${slots.length - 1}qxz`
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;')

/** Fills the placeholders of a rendered e-mail for one recipient (HTML-escaped in the HTML part). */
export function fillPlaceholders(
  rendered: string,
  slots: { name: string; fallback: string }[],
  values: Record<string, string | null | undefined>,
  html: boolean,
): string {
  return rendered.replace(/zqx(\d+)qxz/g, (m, i: string) => {
    const slot = slots[Number(i)]
    if (!slot) return m
    const v = values[slot.name]?.trim() || slot.fallback
    return html ? escapeHtml(v) : v
  })
}
