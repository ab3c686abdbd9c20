import type { StoredEvent } from '../../db/event-consumer.js'

// Which domain events become which outbound webhook types, and what their `data` is.
// Pure: the outbox (outbox.ts) reads events, this file names them.

export const WEBHOOK_EVENT_TYPES = [
  'deal.created',
  'deal.updated',
  'deal.won',
  'deal.lost',
  'organisation.created',
  'contact.created',
  'task.created',
  'quote.signed',
  'invoice.issued',
  'invoice.paid',
  'contract.renewed',
] as const

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

export const isWebhookEventType = (t: string): t is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(t)

/** The streams whose events can become webhooks: the others are read without their data. */
export const WEBHOOK_STREAMS = ['deal', 'organisation', 'contact', 'task', 'quote', 'invoice', 'contract'] as const

/** Facts the event alone does not carry: the total of an invoice (is a payment the last one?). */
export type EventFacts = { invoiceTotals: ReadonlyMap<string, number> }

/**
 * The webhook type of a domain event, or null when none is sent for it. A stage change
 * to a closed stage is `deal.won` / `deal.lost` (a lost stage always has its reason), to
 * an open one `deal.updated`; a payment is `invoice.paid` once it settles the invoice.
 */
export function webhookTypeOf(e: Pick<StoredEvent, 'type' | 'data' | 'stream_id'>, facts: EventFacts): WebhookEventType | null {
  switch (e.type) {
    case 'DealCreated':
      return 'deal.created'
    case 'DealUpdated':
      return 'deal.updated'
    case 'DealStageChanged':
      if (!e.data?.closed) return 'deal.updated'
      return e.data.lost_reason ? 'deal.lost' : 'deal.won'
    case 'OrganisationCreated':
      return 'organisation.created'
    case 'ContactCreated':
      return 'contact.created'
    case 'TaskCreated':
      return 'task.created'
    case 'QuoteAccepted':
      return 'quote.signed'
    case 'InvoiceIssued':
      return 'invoice.issued'
    case 'InvoicePaymentRecorded': {
      const total = facts.invoiceTotals.get(e.stream_id)
      return total !== undefined && Number(e.data?.paid_cents) >= total ? 'invoice.paid' : null
    }
    case 'ContractRenewed':
      return 'contract.renewed'
    default:
      return null
  }
}

/** The standard envelope `{ id, type, created_at, workspace_id, data }`, as the exact text that is signed and sent. */
export function envelopeOf(e: Pick<StoredEvent, 'position' | 'workspace_id' | 'stream_id' | 'type' | 'data' | 'occurred_at'>, type: WebhookEventType): string {
  // The workspace is in the envelope; the event's own copy (DealCreated) is left out.
  const { workspace_id: _ws, ...data } = (e.data ?? {}) as Record<string, unknown>
  return JSON.stringify({
    id: messageIdOf(e.position),
    type,
    created_at: new Date(e.occurred_at).toISOString(),
    workspace_id: e.workspace_id,
    data: { id: e.stream_id, ...data, ...(e.type === 'DealStageChanged' ? { event: 'stage_changed' } : {}) },
  })
}

/** The message id (`webhook-id` and the envelope's `id`): one per event, the same on every attempt, so a receiver can drop a repeat. */
export const messageIdOf = (position: number) => `evt_${position}`
