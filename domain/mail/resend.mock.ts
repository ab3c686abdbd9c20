import { randomUUID } from 'node:crypto'
import { http, HttpResponse } from 'msw'

// Resend's POST /emails as msw emulates it for tests: checks the Bearer key, the
// fields Resend requires, Idempotency-Key replay (same key + same body = the first
// answer, no second e-mail; same key + another body = 409). Scripted failures come
// first, in order (`mock.fail(429, …)`).

export type RecordedRequest = { headers: Record<string, string>; body: Record<string, unknown> }
type Scripted = { status: number; name: string; message: string; headers?: Record<string, string> }

export function resendMock(opts: { apiKey: string; baseUrl?: string }) {
  const base = (opts.baseUrl ?? 'https://api.resend.com').replace(/\/+$/, '')
  const requests: RecordedRequest[] = []
  /** E-mails Resend accepted (and would deliver): one per idempotency key. */
  const delivered: { id: string; body: Record<string, unknown> }[] = []
  const script: Scripted[] = []
  const byKey = new Map<string, { id: string; bodyJson: string }>()

  const error = (s: Scripted) => HttpResponse.json({ statusCode: s.status, message: s.message, name: s.name }, { status: s.status, headers: s.headers })

  const handler = http.post(`${base}/emails`, async ({ request }) => {
    const headers = Object.fromEntries(request.headers.entries())
    const body = (await request.json().catch(() => null)) as Record<string, unknown> | null
    requests.push({ headers, body: body ?? {} })
    const auth = request.headers.get('authorization')
    if (!auth)
      return error({
        status: 401,
        name: 'missing_api_key',
        message: 'Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY',
      })
    if (auth !== `Bearer ${opts.apiKey}`) return error({ status: 401, name: 'validation_error', message: 'API key is invalid' })
    const next = script.shift()
    if (next) return error(next)
    if (!body) return error({ status: 422, name: 'validation_error', message: 'Invalid JSON body.' })
    for (const f of ['from', 'to', 'subject'] as const) {
      if (!body[f]) return error({ status: 422, name: 'missing_required_field', message: `Missing \`${f}\` field.` })
    }
    if (!body.html && !body.text) return error({ status: 422, name: 'validation_error', message: 'Missing `html` or `text` field.' })
    // Attachments as Resend documents them: a filename and either base64 `content` or a
    // remote `path`; `content_type` optional. reply_to: one address or a list.
    if (body.attachments !== undefined) {
      const list = body.attachments
      if (!Array.isArray(list)) return error({ status: 422, name: 'validation_error', message: '`attachments` must be an array.' })
      for (const a of list as Record<string, unknown>[]) {
        if (typeof a.filename !== 'string' || !a.filename)
          return error({ status: 422, name: 'validation_error', message: 'Attachment `filename` is required.' })
        const hasContent = typeof a.content === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(a.content)
        if (hasContent === (typeof a.path === 'string'))
          return error({ status: 422, name: 'validation_error', message: 'Attachment needs base64 `content` or a `path`.' })
        if (a.content_type !== undefined && typeof a.content_type !== 'string')
          return error({ status: 422, name: 'validation_error', message: '`content_type` must be a string.' })
      }
    }
    const replyTo = body.reply_to
    if (replyTo !== undefined && typeof replyTo !== 'string' && !(Array.isArray(replyTo) && replyTo.every((r) => typeof r === 'string')))
      return error({ status: 422, name: 'validation_error', message: '`reply_to` must be a string or an array of strings.' })
    const key = request.headers.get('idempotency-key')
    const bodyJson = JSON.stringify(body)
    if (key) {
      if (key.length > 256) return error({ status: 400, name: 'invalid_idempotency_key', message: 'Idempotency keys must have between 1 and 256 characters.' })
      const seen = byKey.get(key)
      if (seen && seen.bodyJson !== bodyJson)
        return error({ status: 409, name: 'invalid_idempotent_request', message: 'Same idempotency key used with a different request payload.' })
      if (seen) return HttpResponse.json({ id: seen.id })
    }
    const id = randomUUID()
    if (key) byKey.set(key, { id, bodyJson })
    delivered.push({ id, body })
    return HttpResponse.json({ id }, { headers: { 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '1' } })
  })

  return {
    handler,
    requests,
    delivered,
    /** The next request(s) get this error, in order. */
    fail(status: number, name: string, message: string, headers?: Record<string, string>) {
      script.push({ status, name, message, headers })
    },
    reset() {
      requests.length = 0
      delivered.length = 0
      script.length = 0
      byKey.clear()
    },
  }
}
