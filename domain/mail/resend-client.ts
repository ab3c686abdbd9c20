// A small client for Resend's REST API (https://resend.com/docs/api-reference), over
// fetch: POST /emails with a Bearer key and an Idempotency-Key header. It only sends
// and classifies errors; retrying is the `mail.send` job's business.

export type ResendEmail = {
  from: string
  to: string | string[]
  subject: string
  html?: string
  text?: string
  reply_to?: string | string[]
  headers?: Record<string, string>
  /** Files as base64 `content` with their `filename` and optional `content_type` (https://resend.com/docs/api-reference/emails/send-email). */
  attachments?: { filename: string; content: string; content_type?: string }[]
}

export type ResendClientOptions = {
  apiKey: string
  baseUrl?: string
  fetch?: typeof fetch
  /** Abort a request that takes longer (ms). */
  timeoutMs?: number
}

/**
 * A refused or failed request. `retryable`: 429, 5xx, a concurrent request with the same
 * idempotency key, network errors and timeouts; everything else (400, 401, 403, 422…)
 * will fail the same way again.
 */
export class ResendError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** Resend's error name ('validation_error', 'rate_limit_exceeded'…), or 'network_error'. */
    readonly code: string,
    readonly retryable: boolean,
    /** From the Retry-After header, in seconds. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message)
    this.name = 'ResendError'
  }
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.ceil(Number(value))
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000))
}

const isRetryable = (status: number, code: string) =>
  status === 429 || status >= 500 || status === 408 || (status === 409 && code === 'concurrent_idempotent_requests')

export type ResendClient = { sendEmail(email: ResendEmail, opts: { idempotencyKey: string }): Promise<{ id: string }> }

/** @example const resend = createResendClient({ apiKey: process.env.RESEND_API_KEY! }); await resend.sendEmail({ from, to, subject, html, text }, { idempotencyKey }) */
export function createResendClient(o: ResendClientOptions): ResendClient {
  const base = (o.baseUrl ?? 'https://api.resend.com').replace(/\/+$/, '')
  const doFetch = o.fetch ?? fetch
  return {
    async sendEmail(email, { idempotencyKey }) {
      let res: Response
      try {
        res = await doFetch(`${base}/emails`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${o.apiKey}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': idempotencyKey,
            'User-Agent': 'alforis-crm',
          },
          body: JSON.stringify(email),
          signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
        })
      } catch (e) {
        throw new ResendError(`Resend injoignable : ${e instanceof Error ? e.message : String(e)}`, null, 'network_error', true)
      }
      const body = (await res.json().catch(() => null)) as { id?: string; name?: string; message?: string } | null
      if (res.ok && body?.id) return { id: body.id }
      const code = body?.name ?? (res.ok ? 'invalid_response' : `http_${res.status}`)
      const message = `Resend ${res.status} ${code}${body?.message ? ` : ${body.message}` : ''}`
      throw new ResendError(message, res.status, code, res.ok || isRetryable(res.status, code), parseRetryAfter(res.headers.get('retry-after')))
    },
  }
}
