// What the web edge accepts before a route reads anything: body sizes and body types per
// kind of route, and the French sentences of its refusals. Limits are checked on the
// declared Content-Length first, then counted while the body streams (chunked uploads),
// so a refused body is never read in full.

const KB = 1024
const MB = 1024 * KB

export const FORM_BODY_LIMIT = 1 * MB

type Rule = { path: RegExp; limit: number; json?: boolean }

// Uploads get their own limit, a little above the route's own check: a file just over
// the route's limit still gets the route's message beside its field; the edge stops the
// ones far beyond it.
const RULES: Rule[] = [
  { path: /^\/(products\/)?import\/?$/, limit: 25 * MB }, // CSV/Excel files, 20 Mo (MAX_IMPORT_BYTES)
  { path: /^\/settings\/company\/?$/, limit: 2 * MB }, // logo, 1 Mo (LOGO_MAX_BYTES)
  { path: /^\/q\/[^/]+\/?$/, limit: 2 * MB }, // the drawn signature (a PNG data URL)
  { path: /^\/hooks\/workflows\/[^/]+\/?$/, limit: 1 * MB, json: true }, // the route caps at 256 Ko itself
  { path: /^\/webhooks\/resend\/?$/, limit: 1 * MB, json: true }, // Resend's signed events (JSON)
]

/** The route as Remix matches it: single fetch asks for `/deals.data`, `/_root.data` for `/`. */
export function routePath(pathname: string): string {
  const p = pathname.replace(/\.data$/, '')
  return p === '/_root' ? '/' : p
}

function ruleFor(pathname: string): Rule | undefined {
  const p = routePath(pathname)
  return RULES.find((r) => r.path.test(p))
}

/** The most bytes a request body to this path may carry. */
export function bodyLimitFor(pathname: string): number {
  return ruleFor(pathname)?.limit ?? FORM_BODY_LIMIT
}

/** Form routes read `request.formData()`: only the two form encodings (with a boundary for multipart). JSON routes take anything. */
export function bodyTypeAccepted(pathname: string, contentType: string | undefined): boolean {
  if (ruleFor(pathname)?.json) return true
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') return true
  if (type === 'multipart/form-data') return /;\s*boundary=("[^"]+"|[^\s;]+)/i.test(contentType ?? '')
  return false
}

const sizeText = (bytes: number) => `${Math.round(bytes / MB) || 1} Mo`

export const refusal = {
  tooLarge: (limit: number) => `Envoi trop volumineux : ${sizeText(limit)} au plus pour ce formulaire.`,
  badType: 'Envoi refusé : ce formulaire attend des champs de formulaire, pas ce type de contenu.',
  unreadableForm: 'Envoi illisible : le formulaire est arrivé incomplet ou mal formé. Réessayez depuis la page.',
  badValue: 'Valeur refusée : un champ ou un paramètre contient un caractère ou une valeur qu’on ne peut pas enregistrer.',
  nulInUrl: 'Adresse refusée : elle contient un caractère nul (%00).',
  badUrl: 'Adresse refusée : elle est mal encodée.',
  foreignOrigin: 'Envoi refusé : il vient d’un autre site que celui-ci. Rechargez la page et réessayez.',
} as const
