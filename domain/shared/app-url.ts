// The app's public base URL (`APP_URL`, e.g. https://crm.mon-domaine.fr): every absolute
// link the app hands out — in e-mails, in the calendar feed — starts with it, so links
// work behind a proxy and never point at an internal host name. Read when used (tests
// change it at run time).

type Env = Record<string, string | undefined>

/**
 * `APP_URL` without its trailing slash; unset, the request's origin when there is one
 * (the calendar feed), else http://localhost:PORT (development).
 *
 * @example appUrl() // → 'https://crm.mon-domaine.fr'
 */
export function appUrl(fallbackOrigin?: string, env: Env = process.env): string {
  return (env.APP_URL?.trim() || fallbackOrigin || `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, '')
}

/** The startup warning for a production server without `APP_URL`, or null. */
export function appUrlWarning(env: Env = process.env): string | null {
  if (env.NODE_ENV !== 'production' || env.APP_URL?.trim()) return null
  return 'APP_URL n’est pas défini : les liens des e-mails et du flux d’agenda pointeront vers localhost. Définissez APP_URL (ex. https://crm.mon-domaine.fr).'
}
