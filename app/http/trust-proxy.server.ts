// What the app believes about X-Forwarded-For / -Proto / -Host. Off by default: the
// client address is the socket's, so a visitor cannot rotate X-Forwarded-For to escape
// the login and quote-link rate limits, nor claim https. Behind a reverse proxy, set
// TRUST_PROXY to what Express's "trust proxy" accepts: `loopback` (a proxy on the same
// machine), addresses or subnets (`10.0.0.2, 10.0.0.0/8`), or a number of hops (`1`).

export type TrustProxy = false | number | string

/**
 * Reads TRUST_PROXY. `true`/`all` are refused on purpose: trusting every sender is the
 * same as trusting the header, which is what this setting exists to prevent.
 *
 * @example trustProxySetting('loopback') // 'loopback'
 * @example trustProxySetting(undefined)  // false
 */
export function trustProxySetting(value: string | undefined): TrustProxy {
  const v = value?.trim() ?? ''
  if (v === '' || /^(off|false|0|no|non)$/i.test(v)) return false
  if (/^\d+$/.test(v)) return Number(v)
  if (/^(true|all|\*)$/i.test(v))
    throw new Error(
      `TRUST_PROXY=${v} ferait confiance à n'importe quel client : indiquez l'adresse du proxy (par exemple « loopback » ou « 10.0.0.2 ») ou un nombre de sauts.`,
    )
  return v
}
