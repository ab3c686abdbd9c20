import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/kysely.js'
import { type FieldProblems, ValidationError } from '../shared/errors.js'
import { classifyAddress } from '../shared/outbound-http/address-policy.js'
import type { OutboundPolicy } from '../shared/outbound-http/outbound-policy.js'
import { open, seal } from '../shared/secrets/secrets.js'
import { isWebhookEventType, type WebhookEventType } from './event-types.js'
import { newSecret } from './signing.js'
import { PREVIOUS_SECRET_VALID_MS } from './webhook-deps.js'

// The endpoints a workspace's admins subscribe (the route checks the role; every write
// here is scoped to the workspace it is given). A secret is returned once, at creation
// or rotation, and stored sealed.

/** `allowPrivateNetwork` counts only where the operator offers the switch (OutboundPolicy.privateNetworkSwitch). */
export type EndpointInput = { url: string; description: string; eventTypes: string[]; allowPrivateNetwork: boolean }

const MAX_DESCRIPTION = 200

/** The problems of an endpoint's fields (the address is judged as written; names are resolved at each send). */
export function validateEndpoint(input: EndpointInput, policy: OutboundPolicy): { url: string; eventTypes: WebhookEventType[] } {
  const problems: FieldProblems = {}
  let url: URL | null = null
  try {
    url = new URL(input.url.trim())
  } catch {
    problems.url = 'webhook.url.invalid'
  }
  if (url) {
    const host = url.hostname.replace(/^\[|\]$/g, '')
    const literal = /^[\d.]+$/.test(host) || host.includes(':')
    const verdict = host === 'localhost' || host.endsWith('.localhost') ? 'loopback' : literal ? classifyAddress(host) : 'public'
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) problems.url = 'webhook.url.invalid'
    else if (
      verdict === 'refused' ||
      (verdict === 'loopback' && !policy.allowLoopback) ||
      (verdict === 'private' && !(input.allowPrivateNetwork && policy.privateNetworkSwitch))
    )
      problems.url = 'webhook.url.internal'
    else if (url.protocol === 'http:' && !policy.allowHttp && verdict !== 'loopback') problems.url = 'webhook.url.https_only'
  }
  const eventTypes = [...new Set(input.eventTypes.filter(isWebhookEventType))]
  if (eventTypes.length === 0) problems.event_types = 'webhook.events.required'
  if (input.description.length > MAX_DESCRIPTION) problems.description = { code: 'description.too_long', params: { max: MAX_DESCRIPTION } }
  if (Object.keys(problems).length) throw new ValidationError(problems)
  return { url: url!.toString(), eventTypes }
}

/**
 * Subscribes a URL to event types; returns the endpoint's id and its secret (shown once).
 *
 * @example const { id, secret } = await createEndpoint(db, { workspaceId, actorId, now, policy }, { url, description: '', eventTypes: ['deal.won'], allowPrivateNetwork: false })
 */
export async function createEndpoint(
  db: Db,
  ctx: { workspaceId: string; actorId: string | null; now: Date; policy: OutboundPolicy },
  input: EndpointInput,
): Promise<{ id: string; secret: string }> {
  const { url, eventTypes } = validateEndpoint(input, ctx.policy)
  const id = randomUUID()
  const secret = newSecret()
  await db
    .insertInto('webhook_endpoints')
    .values({
      id,
      workspace_id: ctx.workspaceId,
      url,
      description: input.description.trim(),
      event_types: eventTypes,
      secret_sealed: seal(secret),
      enabled: true,
      allow_private_network: input.allowPrivateNetwork && !!ctx.policy.privateNetworkSwitch,
      created_by: ctx.actorId,
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .execute()
  return { id, secret }
}

/** Changes what an endpoint receives (address, types, description, private-network switch). */
export async function updateEndpoint(db: Db, ctx: { workspaceId: string; now: Date; policy: OutboundPolicy }, id: string, input: EndpointInput): Promise<void> {
  const { url, eventTypes } = validateEndpoint(input, ctx.policy)
  const r = await db
    .updateTable('webhook_endpoints')
    .set({
      url,
      event_types: eventTypes,
      description: input.description.trim(),
      allow_private_network: input.allowPrivateNetwork && !!ctx.policy.privateNetworkSwitch,
      updated_at: ctx.now,
    })
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.workspaceId)
    .executeTakeFirst()
  if (!r.numUpdatedRows) throw new ValidationError({ '': 'webhook.not_found' })
}

/**
 * A new secret (returned once); the previous one keeps signing beside it for 24 hours,
 * so receivers can switch without losing a message.
 */
export async function rotateSecret(db: Db, ctx: { workspaceId: string; now: Date }, id: string): Promise<{ secret: string }> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .select(['secret_sealed'])
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.workspaceId)
    .executeTakeFirst()
  if (!row) throw new ValidationError({ '': 'webhook.not_found' })
  const secret = newSecret()
  await db
    .updateTable('webhook_endpoints')
    .set({
      secret_sealed: seal(secret),
      previous_secret_sealed: row.secret_sealed,
      previous_secret_expires_at: new Date(ctx.now.getTime() + PREVIOUS_SECRET_VALID_MS),
      updated_at: ctx.now,
    })
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.workspaceId)
    .execute()
  return { secret }
}

/** Switches an endpoint on (its failure count starts again) or off. */
export async function setEndpointEnabled(db: Db, ctx: { workspaceId: string; now: Date }, id: string, enabled: boolean): Promise<void> {
  const r = await db
    .updateTable('webhook_endpoints')
    .set(
      enabled ? { enabled, disabled_reason: null, consecutive_failures: 0, updated_at: ctx.now } : { enabled, disabled_reason: 'admin', updated_at: ctx.now },
    )
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.workspaceId)
    .executeTakeFirst()
  if (!r.numUpdatedRows) throw new ValidationError({ '': 'webhook.not_found' })
}

/** The secrets that sign now: the current one, and the previous one until it expires. */
export function signingSecrets(
  row: { secret_sealed: string; previous_secret_sealed: string | null; previous_secret_expires_at: Date | null },
  now: Date,
): string[] {
  const out = [open(row.secret_sealed)]
  if (row.previous_secret_sealed && row.previous_secret_expires_at && new Date(row.previous_secret_expires_at) > now) out.push(open(row.previous_secret_sealed))
  return out
}
