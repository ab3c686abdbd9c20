import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { randomBytes } from 'node:crypto'

// The response headers every page gets. The Content-Security-Policy is nonce-based:
// Remix's inline scripts (hydration data, module loader, scroll restoration, the service
// worker registration) carry this request's nonce (res.locals.cspNonce → load context →
// entry.server → <Scripts nonce>), and no other inline script runs. What the app needs,
// and why:
//   style-src 'unsafe-inline'   Tremor charts and the workflow canvas (React Flow) set style attributes
//   img-src data: blob:         the signature pad's preview, logo previews before upload
//   worker-src 'self' blob:     the service worker (/entry.worker.js), on-device OCR workers later
//   'wasm-unsafe-eval'          WebAssembly for on-device OCR (compiles wasm, never eval() of strings)
//   connect-src 'self'          the organisation picker's lookups, the notifications stream
//   frame-src 'self'            the mailbox preview (srcdoc) and PDF previews
//   frame-ancestors 'none'      no page of the CRM can be framed (clickjacking)
// The public one-click unsubscribe endpoint (RFC 8058), when campaigns add it, needs no
// exception here: it answers a POST with an empty body. Its Origin exemption lives in
// origin-check.server.ts.

export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean } = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`, "'wasm-unsafe-eval'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...(opts.dev ? ['ws:', 'wss:'] : [])],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
    'frame-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  }
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ')
}

// Geolocation and the camera for the PWA's own pages only (visit check-in, card scan);
// the rest of the powerful features for nobody.
export const PERMISSIONS_POLICY = 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()'

export const HSTS = 'max-age=31536000; includeSubDomains'

/**
 * Sets the security headers and this request's CSP nonce (`res.locals.cspNonce`).
 * HSTS only over https (directly, or from a proxy trusted by TRUST_PROXY): sent over
 * plain http it would be ignored anyway, and a wrong one locks users out for a year.
 * In dev (Vite's own inline scripts carry no nonce) the CSP is report-only.
 */
export function securityHeaders(opts: { dev?: boolean } = {}) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const nonce = randomBytes(16).toString('base64')
    res.locals.cspNonce = nonce
    res.setHeader(opts.dev ? 'Content-Security-Policy-Report-Only' : 'Content-Security-Policy', contentSecurityPolicy(nonce, opts))
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('Referrer-Policy', 'same-origin')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS)
    next()
  }
}
