import { createHash, createHmac } from 'node:crypto'

// AWS Signature Version 4 for S3 requests (header form), over plain fetch: the one
// piece of the S3 protocol the file store needs, without an SDK. Reference:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html

export type S3Credentials = { accessKeyId: string; secretAccessKey: string; region: string }

const hex = (b: Buffer) => b.toString('hex')
const sha256Hex = (s: string | Buffer) => createHash('sha256').update(s).digest('hex')
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest()

/** The empty body's SHA-256, the payload hash of a GET. */
export const EMPTY_SHA256 = sha256Hex('')

// RFC 3986 unreserved characters stay, everything else %XX; '/' kept in paths.
const encode = (s: string, keepSlash: boolean) =>
  encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(keepSlash ? /%2F/g : /$^/, '/')

/** "20130524T000000Z" */
export const amzDate = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

/**
 * The headers to add to a request (x-amz-date, x-amz-content-sha256, Authorization).
 * `headers` are the other headers to sign (host is taken from the URL).
 *
 * @example signS3Request({ method: 'GET', url: new URL('https://bucket.s3.amazonaws.com/a.pdf'), headers: {}, payloadSha256: EMPTY_SHA256, now: new Date(), credentials })
 */
export function signS3Request(r: {
  method: string
  url: URL
  headers: Record<string, string>
  payloadSha256: string
  now: Date
  credentials: S3Credentials
}): Record<string, string> {
  const date = amzDate(r.now)
  const day = date.slice(0, 8)
  const all: Record<string, string> = { ...lower(r.headers), host: r.url.host, 'x-amz-content-sha256': r.payloadSha256, 'x-amz-date': date }
  const names = Object.keys(all).sort()
  const canonicalHeaders = names.map((n) => `${n}:${all[n].trim().replace(/\s+/g, ' ')}\n`).join('')
  const signedHeaders = names.join(';')
  const query = [...r.url.searchParams.entries()]
    .map(([k, v]) => [encode(k, false), encode(v, false)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const path = encode(decodeURIComponent(r.url.pathname), true)
  const canonicalRequest = [r.method, path, query, canonicalHeaders, signedHeaders, r.payloadSha256].join('\n')
  const scope = `${day}/${r.credentials.region}/s3/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonicalRequest)].join('\n')
  const key = hmac(hmac(hmac(hmac(`AWS4${r.credentials.secretAccessKey}`, day), r.credentials.region), 's3'), 'aws4_request')
  const signature = hex(createHmac('sha256', key).update(stringToSign).digest())
  return {
    'x-amz-date': date,
    'x-amz-content-sha256': r.payloadSha256,
    authorization: `AWS4-HMAC-SHA256 Credential=${r.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  }
}

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]))
