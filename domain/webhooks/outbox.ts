import { randomUUID } from 'node:crypto'
import type { ConsumerSpec, StoredEvent } from '../../db/event-consumer.js'
import type { Db } from '../../db/kysely.js'
import { kyselyExecutor } from '../mail/enqueue-email.js'
import { envelopeOf, type EventFacts, WEBHOOK_STREAMS, webhookTypeOf } from './event-types.js'
import { DELIVER_QUEUE, type WebhookDeps } from './webhook-deps.js'

// The outbox: a consumer of the domain `events` table like the projector and the
// workflow dispatcher (db/event-consumer.ts). Each batch is read, turned into one
// delivery row per (subscribed endpoint, event) and checkpointed in ONE transaction,
// with the delivery jobs enqueued in that same transaction: no event is missed (the
// checkpoint never passes an event whose deliveries were not saved) and none is queued
// twice for an endpoint (the transaction, and `unique (endpoint_id, event_position)` as
// a second guard). This file says what a batch does; the loop lives in jobs/.

export const OUTBOX_CHECKPOINT = 'webhooks.outbox'
/** Advisory lock key of the one outbox that leads (projector 7215300201, dispatcher 7215300212). */
export const OUTBOX_LOCK_KEY = 7_215_300_230

/** Priority of first attempts in pg-boss: ahead of retries, so a failing endpoint's backlog never holds back a healthy one. */
export const FIRST_ATTEMPT_PRIORITY = 10

// An endpoint switched off by its admin receives nothing; one switched off after 100
// failures keeps its events, held (pending, no job) until it is switched back on: the
// receiver was broken, the messages are not to be lost.
const receiving = (eb: any) => eb.or([eb('enabled', '=', true), eb('disabled_reason', '=', 'failures')]) // eslint-disable-line @typescript-eslint/no-explicit-any -- kysely's expression builder of webhook_endpoints

async function noEnabledEndpoint(db: Db): Promise<boolean> {
  return !(await db.selectFrom('webhook_endpoints').select('id').where(receiving).limit(1).executeTakeFirst())
}

async function factsFor(db: Db, events: StoredEvent[]): Promise<EventFacts> {
  const invoiceIds = [...new Set(events.filter((e) => e.type === 'InvoicePaymentRecorded').map((e) => e.stream_id))]
  if (invoiceIds.length === 0) return { invoiceTotals: new Map() }
  const rows = await db.selectFrom('invoices').select(['id', 'total_ttc_cents']).where('id', 'in', invoiceIds).execute()
  return { invoiceTotals: new Map(rows.map((r) => [r.id, Number(r.total_ttc_cents)])) }
}

/** The deliveries a batch of events makes, inserted with their jobs in `trx`; returns how many. */
export async function enqueueDeliveries(trx: Db, deps: Pick<WebhookDeps, 'queue' | 'now'>, events: StoredEvent[]): Promise<number> {
  const facts = await factsFor(trx, events)
  const typed = events.flatMap((e) => {
    const type = webhookTypeOf(e, facts)
    return type ? [{ e, type }] : []
  })
  if (typed.length === 0) return 0
  const workspaceIds = [...new Set(typed.map((t) => t.e.workspace_id))]
  const endpoints = await trx
    .selectFrom('webhook_endpoints')
    .select(['id', 'workspace_id', 'event_types', 'created_at', 'enabled'])
    .where('workspace_id', 'in', workspaceIds)
    .where(receiving)
    .execute()
  if (endpoints.length === 0) return 0
  const now = deps.now()
  const rows = []
  for (const { e, type } of typed) {
    for (const ep of endpoints) {
      if (ep.workspace_id !== e.workspace_id || !ep.event_types.includes(type)) continue
      // An endpoint receives what happens after it was subscribed, not the past.
      if (new Date(e.occurred_at) < new Date(ep.created_at)) continue
      rows.push({
        id: randomUUID(),
        workspace_id: e.workspace_id,
        endpoint_id: ep.id,
        event_position: e.position,
        event_type: type,
        payload: envelopeOf(e, type),
        status: 'pending' as const,
        attempts: 0,
        // Held (null) for an endpoint switched off after failures: resumeEndpoint sends it.
        next_attempt_at: ep.enabled ? now : null,
        event_at: e.occurred_at,
        created_at: now,
      })
    }
  }
  if (rows.length === 0) return 0
  let inserted: { id: string; next_attempt_at: Date | null }[] = []
  // Postgres caps a statement at 65,535 parameters: 11 per row.
  for (let i = 0; i < rows.length; i += 2_000) {
    inserted = inserted.concat(
      await trx
        .insertInto('webhook_deliveries')
        .values(rows.slice(i, i + 2_000))
        .onConflict((oc) => oc.columns(['endpoint_id', 'event_position']).doNothing())
        .returning(['id', 'next_attempt_at'])
        .execute(),
    )
  }
  const toSend = inserted.filter((r) => r.next_attempt_at !== null)
  if (toSend.length && deps.queue) {
    const db = kyselyExecutor(trx)
    for (let i = 0; i < toSend.length; i += 2_000)
      await deps.queue.insert(
        toSend.slice(i, i + 2_000).map((r) => ({ name: DELIVER_QUEUE, data: { deliveryId: r.id, attempt: 1 }, priority: FIRST_ATTEMPT_PRIORITY })),
        { db },
      )
  }
  return inserted.length
}

export type OutboxBatch = { events: number; deliveries: number }

/** The outbox as a consumer of `events` (db/event-consumer.ts): transactional, so exactly once per endpoint. */
export function outboxSpec(deps: Pick<WebhookDeps, 'queue' | 'now'>, opts: { batchSize?: number; onBatch?: (b: OutboxBatch) => void } = {}): ConsumerSpec {
  let made = 0
  return {
    name: 'webhooks',
    checkpoints: [OUTBOX_CHECKPOINT],
    batchSize: opts.batchSize ?? 1_000,
    transactional: true,
    streamTypes: WEBHOOK_STREAMS,
    skipAll: noEnabledEndpoint,
    async handle(events, { trx }) {
      made = await enqueueDeliveries(trx!, deps, events)
    },
    onBatch(b) {
      opts.onBatch?.({ events: b.read, deliveries: made })
      made = 0
    },
  }
}
