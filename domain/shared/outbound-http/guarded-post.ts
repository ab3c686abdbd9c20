import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { classifyAddress } from './address-policy.js'
import type { OutboundPolicy } from './outbound-policy.js'

// The one way the app posts to an address a user typed (workflow webhook steps, the
// outbound webhooks to come). Against SSRF:
// - the name is resolved once, here, and every address it gives must be public (a name
//   that also answers 10.0.0.1 is refused: we do not pick the good one out of a mix);
// - the connection goes to the address that was checked: the request gets a `lookup`
//   that returns it, so no second DNS answer (rebinding) can move it, while the URL keeps
//   the name for the Host header and TLS (SNI, certificate check);
// - redirects are not followed (Node's http client never does): a 3xx is a refusal, so the
//   signature header never reaches another address;
// - https only, unless the operator allows http; loopback only with the test switch.
// `lookup` is injectable: tests answer with fixed addresses and never leave loopback.

export type ResolvedAddress = { address: string; family: number }
export type LookupFn = (hostname: string) => Promise<ResolvedAddress[]>

export const systemLookup: LookupFn = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

export type RefusalReason = 'url_invalid' | 'scheme' | 'address' | 'unresolved' | 'redirect'

/** A call the guard would not make (permanent: trying again changes nothing). */
export class OutboundRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`)
    this.name = 'OutboundRefused'
  }
}

export type CheckedTarget = { url: URL; address: string; family: 4 | 6 }

/** Parses, resolves and checks a URL: the address to connect to, or OutboundRefused. */
export async function checkTarget(raw: string, policy: OutboundPolicy, lookup: LookupFn = systemLookup): Promise<CheckedTarget> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new OutboundRefused('url_invalid', raw)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutboundRefused('scheme', url.protocol)
  if (url.username || url.password) throw new OutboundRefused('url_invalid', 'identifiants dans l’adresse')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let answers: ResolvedAddress[]
  if (isIP(host)) answers = [{ address: host, family: isIP(host) }]
  else {
    try {
      answers = await lookup(host)
    } catch (e) {
      throw new OutboundRefused('unresolved', `${host} (${(e as Error).message})`)
    }
  }
  if (answers.length === 0) throw new OutboundRefused('unresolved', host)
  const verdicts = answers.map((a) => classifyAddress(a.address))
  const allowed = (v: string) => v === 'public' || (v === 'loopback' && policy.allowLoopback) || (v === 'private' && !!policy.allowPrivate)
  const bad = answers.find((_, i) => !allowed(verdicts[i]))
  if (bad) throw new OutboundRefused('address', bad.address)
  // http: allowed by the operator, or to a loopback receiver under the test switch.
  if (url.protocol === 'http:' && !policy.allowHttp && !verdicts.every((v) => v === 'loopback')) throw new OutboundRefused('scheme', 'http:')
  const first = answers[0]
  return { url, address: first.address, family: first.family === 6 || isIP(first.address) === 6 ? 6 : 4 }
}

// Bytes too: a Web Push body is encrypted (domain/notifications/push-send.ts).
export type PostRequest = { headers: Record<string, string>; body: string | Uint8Array; timeoutMs: number }
export type PostResult = {
  status: number
  /** The first bytes of the answer's body as text (up to EXCERPT_BYTES), for delivery logs. */
  excerpt: string
}

/** How much of an answer's body is kept; the rest is read and dropped. */
export const EXCERPT_BYTES = 1024

/**
 * POSTs `body` to a checked address. Resolves with the status of a non-redirect answer;
 * throws OutboundRefused (refused target, redirect), or the network error (name
 * 'TimeoutError' after `timeoutMs`).
 *
 * @example await postGuarded('https://hooks.exemple.fr/x', { headers: {}, body: '{}', timeoutMs: 5000 }, { policy })
 */
export async function postGuarded(raw: string, req: PostRequest, o: { policy: OutboundPolicy; lookup?: LookupFn }): Promise<PostResult> {
  const target = await checkTarget(raw, o.policy, o.lookup)
  const pinned: LookupFunction = (_hostname, options, callback) => {
    // Node asks for every address when it races IPv4/IPv6 (autoSelectFamily): give the one checked.
    if ((options as { all?: boolean }).all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [{ address: target.address, family: target.family }])
    else callback(null, target.address, target.family)
  }
  const client = target.url.protocol === 'https:' ? https : http
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      target.url,
      {
        method: 'POST',
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        lookup: pinned,
        agent: false,
        // One connection per call: a pooled socket would skip the pinned lookup.
      },
      (res) => {
        const kept: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) kept.push(chunk.subarray(0, EXCERPT_BYTES - size))
          size += chunk.length
        })
        res.on('end', () => {
          clearTimeout(timer)
          const status = res.statusCode ?? 0
          if (status >= 300 && status < 400) reject(new OutboundRefused('redirect', String(res.headers.location ?? '')))
          else resolve({ status, excerpt: Buffer.concat(kept).toString('utf8') })
        })
        res.on('error', (e) => {
          clearTimeout(timer)
          reject(e)
        })
      },
    )
    const timer = setTimeout(() => {
      const e = new Error(`no answer after ${req.timeoutMs} ms`)
      e.name = 'TimeoutError'
      request.destroy(e)
    }, req.timeoutMs)
    request.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    request.end(req.body)
  })
}
