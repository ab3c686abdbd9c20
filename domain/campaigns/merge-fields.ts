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
