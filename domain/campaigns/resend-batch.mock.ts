import { randomUUID } from 'node:crypto'
import { http, HttpResponse } from 'msw'

// Resend's POST /emails/batch as msw emulates it, for tests and the bench: the Bearer
// key, a JSON array of 1 to 100 e-mails each with from/to/subject and html or text,
// Idempotency-Key replay (same key + same body = the first answer and nothing sent
// again; same key + another body = 409 invalid_idempotent_request), an optional rate
// limit answered like Resend's (429 rate_limit_exceeded with Retry-After and the
// ratelimit-* headers), and scripted failures first, in order.

type Scripted = { status: number; name: string; message: string; headers?: Record<string, string> }

export function resendBatchMock(opts: { apiKey: string; baseUrl?: string; requestsPerSecond?: number }) {
  const base = (opts.baseUrl ?? 'https://api.resend.com').replace(/\/+$/, '')
  const state = {
    requests: 0,
    /** E-mails accepted (Resend would deliver them): replays are not counted again. */
    delivered: [] as { id: string; to: string; subject: string; headers: Record<string, string>; html: string; text: string }[],
    replays: 0,
    rateLimited: 0,
  }
  const script: Scripted[] = []
  const byKey = new Map<string, { ids: string[]; bodyJson: string }>()
  let windowStart = 0
  let inWindow = 0

  const error = (s: Scripted) => HttpResponse.json({ statusCode: s.status, message: s.message, name: s.name }, { status: s.status, headers: s.headers })

  const handler = http.post(`${base}/emails/batch`, async ({ request }) => {
    state.requests++
    const auth = request.headers.get('authorization')
    if (!auth) return error({ status: 401, name: 'missing_api_key', message: 'Missing API key in the authorization header.' })
    if (auth !== `Bearer ${opts.apiKey}`) return error({ status: 401, name: 'validation_error', message: 'API key is invalid' })
    if (opts.requestsPerSecond) {
      const now = Date.now()
      if (now - windowStart >= 1000) {
        windowStart = now
        inWindow = 0
      }
      if (++inWindow > opts.requestsPerSecond) {
        state.rateLimited++
        return error({
          status: 429,
          name: 'rate_limit_exceeded',
          message: 'Too many requests. You can only make 2 requests per second.',
          headers: { 'retry-after': '1', 'ratelimit-limit': String(opts.requestsPerSecond), 'ratelimit-remaining': '0', 'ratelimit-reset': '1' },
        })
      }
    }
    const next = script.shift()
    if (next) return error(next)
    const body = (await request.json().catch(() => null)) as Record<string, unknown>[] | null
    if (!Array.isArray(body)) return error({ status: 422, name: 'validation_error', message: 'The request body must be an array of emails.' })
    if (body.length === 0 || body.length > 100) return error({ status: 422, name: 'validation_error', message: 'You can send up to 100 emails per batch.' })
    for (const e of body) {
      for (const f of ['from', 'to', 'subject'] as const)
        if (!e?.[f]) return error({ status: 422, name: 'missing_required_field', message: `Missing \`${f}\` field.` })
      if (!e.html && !e.text) return error({ status: 422, name: 'validation_error', message: 'Missing `html` or `text` field.' })
      if (e.attachments !== undefined) return error({ status: 422, name: 'validation_error', message: 'Attachments are not supported in batch emails.' })
    }
    const key = request.headers.get('idempotency-key')
    const bodyJson = JSON.stringify(body)
    if (key) {
      if (key.length > 256) return error({ status: 400, name: 'invalid_idempotency_key', message: 'Idempotency keys must have between 1 and 256 characters.' })
      const seen = byKey.get(key)
      if (seen && seen.bodyJson !== bodyJson)
        return error({ status: 409, name: 'invalid_idempotent_request', message: 'Same idempotency key used with a different request payload.' })
      if (seen) {
        state.replays++
        return HttpResponse.json({ data: seen.ids.map((id) => ({ id })) })
      }
    }
    const ids = body.map(() => randomUUID())
    if (key) byKey.set(key, { ids, bodyJson })
    body.forEach((e, i) =>
      state.delivered.push({
        id: ids[i]!,
        to: Array.isArray(e.to) ? String(e.to[0]) : String(e.to),
        subject: String(e.subject),
        headers: (e.headers as Record<string, string>) ?? {},
        html: String(e.html ?? ''),
        text: String(e.text ?? ''),
      }),
    )
    return HttpResponse.json({ data: ids.map((id) => ({ id })) })
  })

  return {
    handler,
    state,
    fail(status: number, name: string, message: string, headers?: Record<string, string>) {
      script.push({ status, name, message, headers })
    },
    reset() {
      state.requests = 0
      state.delivered.length = 0
      state.replays = 0
      state.rateLimited = 0
      script.length = 0
      byKey.clear()
    },
  }
}
