import type { ActionFunctionArgs } from '@remix-run/node'
import { MAX_WEBHOOK_BYTES, receiveWebhook } from '../../domain/workflows/engine/triggers'

// Inbound webhook of a workflow: POST JSON signed the Standard Webhooks way with the
// workflow's secret (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256
// of "id.timestamp.body">; domain/workflows/engine/inbound-signature.ts). 202 with the run
// id; 401 bad signature or a time more than 5 minutes off, 409 an id already received (a
// replay), 404 unknown or disabled workflow, 413 over 256 KB. No session, no CSRF: the
// signature is the authentication.

const json = (body: object, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } })
// The rest of a refused body is not read: the connection is closed rather than reused.
const tooLarge = () => json({ error: 'Corps trop volumineux (256 Ko au plus).' }, 413, { connection: 'close' })

export async function loader() {
  return json({ error: 'Utilisez POST.' }, 405)
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ error: 'Utilisez POST.' }, 405)
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > MAX_WEBHOOK_BYTES) return tooLarge()
  const raw = await readCapped(request, MAX_WEBHOOK_BYTES)
  if (raw === null) return tooLarge()
  const r = await receiveWebhook(context.runtime.workflows.deps, {
    workflowId: params.id ?? '',
    rawBody: raw,
    headers: {
      id: request.headers.get('webhook-id'),
      timestamp: request.headers.get('webhook-timestamp'),
      signature: request.headers.get('webhook-signature'),
    },
  })
  if (r.status === 202) return json({ runId: r.runId }, 202)
  if (r.status === 409) return json({ error: r.error, runId: r.runId }, 409)
  return json({ error: r.error }, r.status)
}

/** The body as text, or null as soon as it passes `max` bytes (a missing or false Content-Length cannot make us read more). */
async function readCapped(request: Request, max: number): Promise<string | null> {
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}
