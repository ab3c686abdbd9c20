import { z } from 'zod'
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhooks/event-types'
import { field } from './form-schema.server'

// The posted endpoint form (/settings/webhooks and its detail page): shapes only; the
// domain (domain/webhooks/endpoints.ts) judges the address and the choice of events.
export const endpointFormSchema = z.object({
  url: field.text(),
  description: field.text(),
  event_types: field.someOf(WEBHOOK_EVENT_TYPES),
  allow_private_network: field.checkbox(),
})

export const endpointInputOf = (v: z.output<typeof endpointFormSchema>) => ({
  url: v.url,
  description: v.description,
  eventTypes: v.event_types,
  allowPrivateNetwork: v.allow_private_network,
})

/** The form's values to show again after a refusal (the ticked boxes are a repeated name). */
export const postedEndpoint = (form: FormData) => ({
  url: String(form.get('url') ?? ''),
  description: String(form.get('description') ?? ''),
  eventTypes: form.getAll('event_types').map(String),
  allowPrivateNetwork: form.get('allow_private_network') === 'on',
})
