import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from 'express'
import { bodyLimitFor, bodyTypeAccepted, refusal } from './edge-rules.server'
import { originVerdict } from './origin-check.server'
import { refuse } from './refuse.server'

const FORWARDING_HEADERS = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'forwarded']

/**
 * Refuses, before any route reads it, what no route can answer well: a NUL in the
 * address, a post from another site, a body of the wrong type or too large by its
 * declared length. Each refusal is a 4xx with a French reason (refuse.server.ts).
 */
export function edgeGuards(opts: { trustProxy: boolean }) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    // Untrusted forwarding headers are dropped, so nothing downstream (Remix's own
    // origin check included) reads what any client may write.
    if (!opts.trustProxy) for (const h of FORWARDING_HEADERS) delete req.headers[h]

    // A NUL reaches Postgres as "invalid byte sequence" (a 500) or truncates a C string.
    if (/%00/i.test(req.originalUrl) || req.originalUrl.includes('\0')) return refuse(req, res, 400, refusal.nulInUrl)

    const verdict = originVerdict(req, req.path)
    if (verdict === 'foreign') return refuse(req, res, 403, refusal.foreignOrigin)
    if (verdict === 'exempt') delete req.headers.origin

    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      if (!bodyTypeAccepted(req.path, req.get('Content-Type'))) return refuse(req, res, 415, refusal.badType)
      const limit = bodyLimitFor(req.path)
      const declared = Number(req.get('Content-Length') ?? 0)
      if (declared > limit) return refuse(req, res, 413, refusal.tooLarge(limit))
    }
    next()
  }
}
