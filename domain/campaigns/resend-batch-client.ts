import { parseRetryAfter, ResendError, type ResendEmail } from '../mail/resend-client.js'

// Resend's batch endpoint (https://resend.com/docs/api-reference/emails/send-batch-emails):
// POST /emails/batch with up to 100 e-mails as a JSON array, answered
// `{ data: [{ id }, …] }` in the same order. With an Idempotency-Key, the same key and
// body within 24 h return the first answer and send nothing again; the same key with
// another body is a 409. Errors are classified like the single-send client's.

export const RESEND_BATCH_MAX = 100

export type ResendBatchClient = {
  sendBatch(emails: ResendEmail[], opts: { idempotencyKey: string }): Promise<{ ids: string[] }>
}

const isRetryable = (status: number, code: string) =>
  status === 429 || status >= 500 || status === 408 || (status === 409 && code === 'concurrent_idempotent_requests')

/** @example const c = createResendBatchClient({ apiKey }); await c.sendBatch([{ from, to, subject, html }], { idempotencyKey: 'campaign-batch:…' }) */
export function createResendBatchClient(o: { apiKey: string; baseUrl?: string; fetch?: typeof fetch; timeoutMs?: number }): ResendBatchClient {
  const base = (o.baseUrl ?? 'https://api.resend.com').replace(/\/+$/, '')
  // Looked up at each call: a test's msw server patches the global fetch after this client is made.
  const doFetch: typeof fetch = (input, init) => (o.fetch ?? globalThis.fetch)(input, init)
  return {
    async sendBatch(emails, { idempotencyKey }) {
      if (emails.length === 0 || emails.length > RESEND_BATCH_MAX) throw new RangeError(`a batch holds 1 to ${RESEND_BATCH_MAX} e-mails`)
      let res: Response
      try {
        res = await doFetch(`${base}/emails/batch`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${o.apiKey}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': idempotencyKey,
            'User-Agent': 'alforis-crm',
          },
          body: JSON.stringify(emails),
          signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
        })
      } catch (e) {
        throw new ResendError(`Resend injoignable : ${e instanceof Error ? e.message : String(e)}`, null, 'network_error', true)
      }
      const body = (await res.json().catch(() => null)) as { data?: { id?: string }[]; name?: string; message?: string } | null
      const ids = body?.data?.map((d) => d.id)
      if (res.ok && ids && ids.length === emails.length && ids.every((id): id is string => typeof id === 'string')) return { ids }
      const code = body?.name ?? (res.ok ? 'invalid_response' : `http_${res.status}`)
      const message = `Resend ${res.status} ${code}${body?.message ? ` : ${body.message}` : ''}`
      throw new ResendError(message, res.status, code, res.ok || isRetryable(res.status, code), parseRetryAfter(res.headers.get('retry-after')))
    },
  }
}
