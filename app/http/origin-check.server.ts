import type { Request as ExpressRequest } from 'express'

// Cross-site posts are refused at the edge, before Remix: Remix's own check
// (throwIfPotentialCSRFAttack) throws a plain Error on a foreign Origin, which became a
// 500. Here it is a 403 with a reason. Routes still check Sec-Fetch-Site and their form
// token (app/utils/csrf.server.ts): this is the first of three layers, not the only one.
//
// Exempt by design: the public one-click unsubscribe endpoint of campaigns (RFC 8058,
// app/routes/desabonnement.$send.$tag.tsx). Mail providers POST `List-Unsubscribe=One-Click`
// without a cookie and sometimes with their own Origin; the signed tag in the URL is the
// credential and the POST only ever unsubscribes that one address. Its Origin header is
// dropped here, so neither this check nor Remix's refuses it. The pattern is exactly that
// path (a send id and a tag), nothing under it. Nothing else belongs in that list.
export const ORIGIN_EXEMPT: readonly RegExp[] = [/^\/desabonnement\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{1,64}$/]

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** This request's own origin, as the Remix request URL will carry it (see remix-handler.server.ts). */
export function ownOrigin(req: ExpressRequest): string {
  return `${req.protocol}://${ownHost(req)}`
}

/** Host and port the way @remix-run/express builds the request URL (req.hostname honours TRUST_PROXY). */
export function ownHost(req: ExpressRequest): string {
  const portOf = (h: string | undefined) => Number.parseInt(h?.split(':')[1] ?? '', 10)
  const forwarded = portOf(req.get('X-Forwarded-Host'))
  const direct = portOf(req.get('Host'))
  const port = Number.isSafeInteger(forwarded) ? forwarded : Number.isSafeInteger(direct) ? direct : null
  const hostname = req.hostname.includes(':') && !req.hostname.startsWith('[') ? `[${req.hostname}]` : req.hostname
  return port ? `${hostname}:${port}` : hostname
}

export type OriginVerdict = 'same' | 'absent' | 'exempt' | 'foreign'

/** Is this state-changing request from our own pages? Safe methods and requests without Origin pass (the form token decides). */
export function originVerdict(req: ExpressRequest, pathname: string): OriginVerdict {
  if (SAFE_METHODS.has(req.method)) return 'same'
  const origin = req.get('Origin')
  if (origin === undefined) return 'absent'
  if (ORIGIN_EXEMPT.some((r) => r.test(pathname))) return 'exempt'
  // "null" (sandboxed frames, no-referrer policies, file://) and garbage are foreign too.
  let parsed: URL
  try {
    parsed = new URL(origin)
  } catch {
    return 'foreign'
  }
  let own: string
  try {
    own = new URL(ownOrigin(req)).origin // normalises a default port (":443")
  } catch {
    return 'foreign'
  }
  return parsed.origin === own ? 'same' : 'foreign'
}
