import { createHash } from 'node:crypto'
import { http, HttpResponse } from 'msw'

// An S3-compatible bucket as msw emulates it for tests: PutObject and GetObject,
// path-style, with S3's own checks and XML errors — a SigV4 Authorization header for
// the right access key, x-amz-content-sha256 equal to the body's hash
// (XAmzContentSHA256Mismatch), NoSuchKey for an unknown key.

export function s3Mock(opts: { endpoint: string; bucket: string; accessKeyId: string }) {
  const objects = new Map<string, { body: Buffer; contentType: string }>()
  const requests: { method: string; key: string; headers: Record<string, string> }[] = []
  const base = `${opts.endpoint.replace(/\/+$/, '')}/${opts.bucket}/*`
  const error = (status: number, code: string, message: string) =>
    new HttpResponse(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`, {
      status,
      headers: { 'Content-Type': 'application/xml' },
    })
  const keyOf = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').slice(2).join('/'))
  const authorised = (request: Request) => {
    const auth = request.headers.get('authorization') ?? ''
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/[^/]+\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/.exec(auth)
    if (!m) return error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.')
    if (m[1] !== opts.accessKeyId) return error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.')
    if (!m[2].split(';').includes('x-amz-date') || !request.headers.get('x-amz-date')) return error(403, 'AccessDenied', 'x-amz-date must be signed.')
    return null
  }
  return {
    objects,
    requests,
    handlers: [
      http.put(base, async ({ request }) => {
        requests.push({ method: 'PUT', key: keyOf(request.url), headers: Object.fromEntries(request.headers.entries()) })
        const denied = authorised(request)
        if (denied) return denied
        const body = Buffer.from(await request.arrayBuffer())
        const claimed = request.headers.get('x-amz-content-sha256')
        if (claimed !== 'UNSIGNED-PAYLOAD' && claimed !== createHash('sha256').update(body).digest('hex'))
          return error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.")
        objects.set(keyOf(request.url), { body, contentType: request.headers.get('content-type') ?? 'binary/octet-stream' })
        return new HttpResponse(null, { status: 200, headers: { ETag: `"${createHash('md5').update(body).digest('hex')}"` } })
      }),
      http.get(base, ({ request }) => {
        requests.push({ method: 'GET', key: keyOf(request.url), headers: Object.fromEntries(request.headers.entries()) })
        const denied = authorised(request)
        if (denied) return denied
        const o = objects.get(keyOf(request.url))
        if (!o) return error(404, 'NoSuchKey', 'The specified key does not exist.')
        return new HttpResponse(new Uint8Array(o.body), { headers: { 'Content-Type': o.contentType, 'Content-Length': String(o.body.length) } })
      }),
    ],
  }
}
