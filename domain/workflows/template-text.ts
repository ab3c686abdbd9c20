// `{{ path }}` placeholders in the text a user writes in a workflow step (e-mail subject
// and body, task title, notification, webhook body, tag, field value). Pure: the editor's
// validation lists the paths to check them against the trigger's variables, the engine
// renders them with a run's context. No logic in templates (no loops, no filters): a
// placeholder is a dotted path and nothing else, so what the user sees is what runs.

/** A placeholder as written: `{{ organisation.nom }}` → path 'organisation.nom'. */
export type Placeholder = { path: string; start: number; end: number; raw: string }

// A path: letters (accents allowed: `année`), digits, _ and - separated by dots.
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g
const PATH = /^[\p{L}_][\p{L}\p{N}_-]*(\.[\p{L}\p{N}_-]+)*$/u

/** Every `{{…}}` in `text`, in order, including malformed ones (`valid: false`) so validation can name them. */
export function placeholdersIn(text: string): Array<Placeholder & { valid: boolean }> {
  const out: Array<Placeholder & { valid: boolean }> = []
  for (const m of text.matchAll(PLACEHOLDER)) {
    const path = m[1]
    out.push({ path, start: m.index!, end: m.index! + m[0].length, raw: m[0], valid: PATH.test(path) })
  }
  return out
}

/** The distinct well-formed paths used in `text` (`Relancer {{organisation.nom}}` → ['organisation.nom']). */
export function pathsIn(text: string): string[] {
  return [
    ...new Set(
      placeholdersIn(text)
        .filter((p) => p.valid)
        .map((p) => p.path),
    ),
  ]
}

/** A run's variables: a flat map by path ('organisation.nom' → 'Dupont SA') or a nested object. */
export type TemplateContext = Record<string, unknown>

/** The value at a dotted path: a flat key first ('webhook.order.id' as one key), then nested objects. */
export function lookup(context: TemplateContext, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(context, path)) return context[path]
  let cur: unknown = context
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

function toText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (Array.isArray(v)) return v.map(toText).join(', ')
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v)
}

export type RenderOptions = {
  /** Applied to each substituted value (e.g. JSON string escaping for a webhook body). Not to the template's own text. */
  escape?: (value: string) => string
  /** What a missing path becomes; default ''. */
  missing?: (path: string) => string
}

/**
 * Replaces each `{{ path }}` with its value in `context`. Missing values become '' (a
 * run must not fail because a contact has no first name); malformed placeholders are
 * left as written. Arrays join with ', '; dates as YYYY-MM-DD.
 *
 * @example renderTemplate('Relancer {{organisation.nom}}', { 'organisation.nom': 'Dupont SA' }) // 'Relancer Dupont SA'
 */
export function renderTemplate(text: string, context: TemplateContext, opts: RenderOptions = {}): string {
  return text.replace(PLACEHOLDER, (raw, inner: string) => {
    const path = inner.trim()
    if (!PATH.test(path)) return raw
    const v = lookup(context, path)
    const s = v === undefined ? (opts.missing ? opts.missing(path) : '') : toText(v)
    return opts.escape ? opts.escape(s) : s
  })
}

/** Escapes a value for inclusion inside a JSON string literal (webhook bodies: `"name": "{{organisation.nom}}"`). */
export const jsonStringEscape = (s: string) => JSON.stringify(s).slice(1, -1)
