import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { kyselyExecutor as kyselyLike } from '../mail/enqueue-email.js'
import { notify } from '../notifications/notify.js'
import { OutboundRefused, postGuarded } from '../shared/outbound-http/guarded-post.js'
import { signingSecrets } from './endpoints.js'
import { messageIdOf } from './event-types.js'
import { signMessage } from './signing.js'
import { DELIVER_QUEUE, type DeliverJob, DISABLE_AFTER_FAILURES, RETRY_DELAYS_MS, type WebhookDeps } from './webhook-deps.js'

// One attempt of one delivery. Each attempt number is claimed before the request
// (`attempts = n - 1` → n), so a job pg-boss hands out twice, or a redelivery clicked
// twice, sends it once. A failure schedules the next attempt (1 min, 10 min, 1 h) or,
// after the last, leaves the delivery dead-lettered for the log. Every failed attempt
// counts against the endpoint; at 100 in a row it is switched off and its admins told.

export type AttemptOutcome = 'succeeded' | 'retry' | 'dead' | 'skipped' | 'paused'

const EXCERPT_CHARS = 500

function describe(e: unknown): string {
  if (e instanceof OutboundRefused) {
    switch (e.reason) {
      case 'address':
        return `Adresse refusée (réseau interne) : ${e.detail}`
      case 'redirect':
        return `Redirection refusée vers ${e.detail || 'une autre adresse'}`
      case 'scheme':
        return 'Adresse refusée : https:// obligatoire'
      case 'unresolved':
        return `Nom introuvable : ${e.detail}`
      default:
        return `Adresse invalide : ${e.detail}`
    }
  }
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'Pas de réponse dans le délai'
  return `Injoignable : ${(e as Error)?.message ?? String(e)}`
}

/**
 * Sends attempt `job.attempt` of a delivery and records it.
 *
 * @example await attemptDelivery(deps, { deliveryId, attempt: 1 })
 */
export async function attemptDelivery(deps: WebhookDeps, job: DeliverJob): Promise<AttemptOutcome> {
  const db = deps.db
  const d = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select([
      'd.id',
      'd.workspace_id',
      'd.endpoint_id',
      'd.event_position',
      'd.payload',
      'd.status',
      'd.attempts',
      'e.url',
      'e.enabled',
      'e.consecutive_failures',
      'e.allow_private_network',
      'e.secret_sealed',
      'e.previous_secret_sealed',
      'e.previous_secret_expires_at',
    ])
    .where('d.id', '=', job.deliveryId)
    .executeTakeFirst()
  if (!d || d.status !== 'pending' || d.attempts !== job.attempt - 1) return 'skipped'
  // A switched-off endpoint keeps its deliveries pending: switching it on sends them.
  if (!d.enabled) {
    await db.updateTable('webhook_deliveries').set({ next_attempt_at: null }).where('id', '=', d.id).where('status', '=', 'pending').execute()
    return 'paused'
  }
  const claimed = await db
    .updateTable('webhook_deliveries')
    .set({ attempts: job.attempt, next_attempt_at: null })
    .where('id', '=', d.id)
    .where('status', '=', 'pending')
    .where('attempts', '=', job.attempt - 1)
    .executeTakeFirst()
  if (!claimed.numUpdatedRows) return 'skipped'

  const startedAt = deps.now()
  const t0 = performance.now()
  let status: number | null = null
  let excerpt: string | null = null
  let error: string | null = null
  try {
    const headers = signMessage(signingSecrets(d, startedAt), messageIdOf(Number(d.event_position)), startedAt, d.payload)
    const res = await postGuarded(
      d.url,
      {
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Alforis-CRM-Webhooks/1' },
        body: d.payload,
        timeoutMs: deps.timeoutMs ?? 10_000,
      },
      {
        policy: { ...deps.outbound.policy, allowPrivate: d.allow_private_network && !!deps.outbound.policy.privateNetworkSwitch },
        lookup: deps.outbound.lookup,
      },
    )
    status = res.status
    excerpt = res.excerpt.slice(0, EXCERPT_CHARS)
    if (status < 200 || status >= 300) error = `Réponse HTTP ${status}`
  } catch (e) {
    error = describe(e)
  }
  const durationMs = Math.round(performance.now() - t0)
  const ok = error === null
  const lastAttempt = job.manual || job.attempt > RETRY_DELAYS_MS.length
  const delay = ok || lastAttempt ? null : Math.round(RETRY_DELAYS_MS[job.attempt - 1] * (deps.retryScale ?? 1))
  const now = deps.now()

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: d.id,
        attempt: job.attempt,
        workspace_id: d.workspace_id,
        endpoint_id: d.endpoint_id,
        started_at: startedAt,
        duration_ms: durationMs,
        response_status: status,
        response_excerpt: excerpt,
        error,
        manual: !!job.manual,
      })
      .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
      .execute()
    await trx
      .updateTable('webhook_deliveries')
      .set(
        ok
          ? { status: 'succeeded', delivered_at: now }
          : delay === null
            ? { status: 'dead', next_attempt_at: null }
            : { next_attempt_at: new Date(now.getTime() + delay) },
      )
      .where('id', '=', d.id)
      .execute()
    if (ok) {
      await trx
        .updateTable('webhook_endpoints')
        .set({ consecutive_failures: 0 })
        .where('id', '=', d.endpoint_id)
        .where('consecutive_failures', '>', 0)
        .execute()
    } else if (!ok) {
      await countFailure(trx, d.endpoint_id, d.workspace_id, now)
    }
    // The retry's job is enqueued in the transaction that records the failure: both or neither.
    if (delay !== null && deps.queue) {
      // pg-boss counts startAfter in whole seconds; the bench's shrunken delays round up to one.
      await deps.queue.send(
        DELIVER_QUEUE,
        { deliveryId: d.id, attempt: job.attempt + 1 },
        { startAfter: Math.max(1, Math.ceil(delay / 1000)), db: kyselyLike(trx) },
      )
    }
  })
  return ok ? 'succeeded' : delay === null ? 'dead' : 'retry'
}

async function countFailure(trx: Db, endpointId: string, workspaceId: string, now: Date): Promise<void> {
  const r = await trx
    .updateTable('webhook_endpoints')
    .set({ consecutive_failures: sql`consecutive_failures + 1` })
    .where('id', '=', endpointId)
    .returning(['consecutive_failures', 'enabled', 'url'])
    .executeTakeFirstOrThrow()
  if (!r.enabled || r.consecutive_failures < DISABLE_AFTER_FAILURES) return
  await trx.updateTable('webhook_endpoints').set({ enabled: false, disabled_reason: 'failures', updated_at: now }).where('id', '=', endpointId).execute()
  const admins = await trx
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('active', '=', true)
    .execute()
  for (const a of admins)
    await notify(trx, {
      workspaceId,
      userId: a.id,
      kind: 'webhook_disabled',
      title: `Webhook désactivé : ${r.url}`,
      body: `${DISABLE_AFTER_FAILURES} envois de suite ont échoué. Vérifiez le point de réception, puis réactivez-le.`,
      link: `/settings/webhooks/${endpointId}`,
      dedupKey: `webhook_disabled:${endpointId}:${now.toISOString()}`,
      now,
    })
}

/** Sends a delivery again now (from the log): one more attempt, without retries; returns false when it is already on its way. */
export async function redeliver(deps: WebhookDeps, ctx: { workspaceId: string }, deliveryId: string): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const d = await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: deps.now() })
      .where('id', '=', deliveryId)
      .where('workspace_id', '=', ctx.workspaceId)
      .where('status', 'in', ['dead', 'succeeded'])
      .returning(['attempts'])
      .executeTakeFirst()
    if (!d) return false
    await deps.queue?.send(DELIVER_QUEUE, { deliveryId, attempt: d.attempts + 1, manual: true }, { db: kyselyLike(trx), priority: 10 })
    return true
  })
}

/** Queues again the deliveries an endpoint kept while it was off (called when it is switched back on). */
export async function resumeEndpoint(deps: WebhookDeps, ctx: { workspaceId: string }, endpointId: string): Promise<number> {
  const pending = await deps.db
    .selectFrom('webhook_deliveries')
    .select(['id', 'attempts'])
    .where('endpoint_id', '=', endpointId)
    .where('workspace_id', '=', ctx.workspaceId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', 'is', null)
    .execute()
  for (const p of pending) await deps.queue?.send(DELIVER_QUEUE, { deliveryId: p.id, attempt: p.attempts + 1 })
  return pending.length
}
