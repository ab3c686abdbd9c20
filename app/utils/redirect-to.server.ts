// The one place a user-supplied "where to go next" (`redirectTo`, `back`, `returnTo`) is
// turned into a Location header. Only a path on this site survives; anything else falls
// back. Browsers and URL parsers forgive a lot (tabs and newlines are dropped, `\` is read
// as `/`, `/%2F` is decoded by some proxies), so the value is refused rather than
// repaired whenever any reading of it could leave the site.

// Any base works: only "does it stay on this origin" is asked, and the path is returned.
const BASE = 'http://alforis.invalid'
const MAX_LENGTH = 2048

// C0 controls, DEL, C1 controls, and anything outside Latin-1 (a Location header cannot carry it).
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHAR = /[\u0000-\u001f\u007f-\u009f\\]|[^\u0000-\u00ff]/

/** Percent-decodes until stable (at most 3 rounds); null when the encoding is broken. */
function decodedForms(value: string): string[] | null {
  const forms = [value]
  let current = value
  for (let i = 0; i < 3; i++) {
    let next: string
    try {
      next = decodeURIComponent(current)
    } catch {
      return null
    }
    if (next === current) break
    forms.push(next)
    current = next
  }
  return forms
}

/** Would a browser or a proxy read this as leaving the site? */
function looksOffSite(s: string): boolean {
  return FORBIDDEN_CHAR.test(s) || !s.startsWith('/') || s.startsWith('//') || /^\/[\\/]/.test(s)
}

/**
 * A same-site path (`/deals?etape=x#top`) from untrusted input, or `fallback`.
 *
 * @example safeRedirectTo('/deals?etape=PROSPECT') // '/deals?etape=PROSPECT'
 * @example safeRedirectTo('/\t/evil.example')     // '/' (the tab would vanish into `//evil.example`)
 */
export function safeRedirectTo(value: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback
  const forms = decodedForms(value)
  if (!forms || forms.some(looksOffSite)) return fallback
  let url: URL
  try {
    url = new URL(value, BASE)
  } catch {
    return fallback
  }
  if (url.origin !== BASE) return fallback
  // Normalisation can itself produce `//host` (e.g. `/.//evil.example`): check the result too.
  const path = url.pathname + url.search + url.hash
  return looksOffSite(path) ? fallback : path
}
