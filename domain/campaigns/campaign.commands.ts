import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import type { CampaignStatus } from '../../db/schema.js'
import { kyselyExecutor, type SqlExecutor } from '../mail/enqueue-email.js'
import { loadCompanySettings } from '../sales/company-settings.js'
import { DomainError, NotFoundError, ValidationError, type FieldProblems } from '../shared/errors.js'
import type { CommandContext } from '../shared/events.js'
import { appendEvents } from '../shared/run-command.js'
import { unknownFields } from './merge-fields.js'
import { audienceFilter, type Segment } from './segment.js'
import { isTrackableUrl } from './tracking-links.js'

// A campaign's life: drafted (name, subject, body, optional button, segment), then
// started now or scheduled (Europe/Paris, given here as an instant), its recipients
// fixed as one send row each (send_key unique), paused, resumed or cancelled. The
// `campaigns.send` job does the sending (send-engine.ts); each change is an event.

export const CAMPAIGN_SEND_QUEUE = 'campaigns.send' as const
export type CampaignSendJob = { campaignId: string }
export type CampaignQueue = {
  send(queue: typeof CAMPAIGN_SEND_QUEUE, data: CampaignSendJob, opts?: { singletonKey?: string; startAfter?: Date; db?: SqlExecutor }): Promise<string | null>
}

export type CampaignDraft = { name: string; subject: string; body: string; buttonLabel: string | null; buttonUrl: string | null; segment: Segment }

const LIMITS = { name: 200, subject: 200, body: 20_000, buttonLabel: 80, buttonUrl: 2000 }

/** Field problems of a draft (unknown variables beside the field they are in). */
export function checkDraft(d: CampaignDraft): FieldProblems {
  const errors: FieldProblems = {}
  if (!d.name.trim()) errors.name = 'campaign.name.required'
  else if (d.name.length > LIMITS.name) errors.name = { code: 'text.too_long', params: { max: LIMITS.name } }
  if (!d.subject.trim()) errors.subject = 'campaign.subject.required'
  else if (d.subject.length > LIMITS.subject) errors.subject = { code: 'text.too_long', params: { max: LIMITS.subject } }
  if (!d.body.trim()) errors.body = 'campaign.body.required'
  else if (d.body.length > LIMITS.body) errors.body = { code: 'text.too_long', params: { max: LIMITS.body } }
  for (const f of ['subject', 'body'] as const) {
    const unknown = unknownFields(d[f])
    if (unknown.length && !errors[f]) errors[f] = { code: 'campaign.variable.unknown', params: { names: unknown.join(', ') } }
  }
  const label = d.buttonLabel?.trim() ?? ''
  const url = d.buttonUrl?.trim() ?? ''
  if (
    (label || url) &&
    (!label || !url || !url.startsWith('https://') || !isTrackableUrl(url) || url.length > LIMITS.buttonUrl || label.length > LIMITS.buttonLabel)
  )
    errors.button_url = 'campaign.button.incomplete'
  return errors
}

/** Saves a new draft. @example const id = await createCampaign(db, ctx, { name, subject, body, buttonLabel: null, buttonUrl: null, segment: {} }) */
export async function createCampaign(db: Db, ctx: CommandContext, d: CampaignDraft): Promise<string> {
  const errors = checkDraft(d)
  if (Object.keys(errors).length) throw new ValidationError(errors)
  const id = randomUUID()
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('campaigns')
      .values({
        id,
        workspace_id: ctx.workspaceId,
        name: d.name.trim(),
        subject: d.subject.trim(),
        body: d.body,
        button_label: d.buttonLabel?.trim() || null,
        button_url: d.buttonUrl?.trim() || null,
        segment: d.segment as Record<string, unknown>,
        created_by: ctx.actorId,
        created_at: ctx.now,
      })
      .execute()
    await appendEvents(trx, ctx, 'campaign', id, 0, [{ type: 'CampaignCreated', data: { id, name: d.name.trim() } }])
  })
  return id
}

async function loadForUpdate(trx: Db, ctx: CommandContext, id: string) {
  const c = await trx.selectFrom('campaigns').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst()
  if (!c) throw new NotFoundError('campaign.not_found')
  return c
}

async function transition(
  trx: Db,
  ctx: CommandContext,
  c: { id: string; version: number },
  status: CampaignStatus,
  event: string,
  extra: Record<string, unknown> = {},
) {
  await trx
    .updateTable('campaigns')
    .set({ status, version: c.version + 1, ...extra })
    .where('id', '=', c.id)
    .execute()
  await appendEvents(trx, ctx, 'campaign', c.id, c.version, [{ type: event, data: { id: c.id, status } }])
}

/**
 * Starts a draft now (`at` null) or at `at`: checks the legal footer can be written,
 * fixes the recipients (the segment, minus contacts without marketing consent and
 * suppressed addresses: the send engine checks both again per batch) and enqueues the
 * job in the same transaction. Returns the number of recipients.
 */
export async function startCampaign(db: Db, queue: CampaignQueue | null, ctx: CommandContext, id: string, at: Date | null = null): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const c = await loadForUpdate(trx, ctx, id)
    if (c.status !== 'draft') throw new DomainError('campaign.state.invalid', undefined, { status: 409 })
    if (at && at.getTime() <= ctx.now.getTime()) throw new ValidationError({ scheduled_at: 'campaign.schedule.past' })
    const company = await loadCompanySettings(trx, ctx.workspaceId)
    if (!company.address?.trim() || !company.city?.trim()) throw new DomainError('campaign.postal_address.missing')
    const filter = audienceFilter(c.segment as Segment, ctx.workspaceId)
    const inserted = await sql<{ n: number }>`
      with ins as (
        insert into campaign_sends (id, workspace_id, campaign_id, contact_id, email, step, send_key)
        select gen_random_uuid(), ${ctx.workspaceId}, ${id}, ct.id, lower(ct.emails[1]), 0, ${id} || ':' || ct.id || ':0'
          from contacts ct
         where ${filter}
           and not exists (select 1 from email_suppressions s where s.workspace_id = ct.workspace_id and s.email = lower(ct.emails[1]))
        on conflict (send_key) do nothing
        returning 1)
      select count(*)::int as n from ins`.execute(trx)
    const n = inserted.rows[0]?.n ?? 0
    if (n === 0) throw new DomainError('campaign.no_recipients')
    await transition(trx, ctx, c, at ? 'scheduled' : 'sending', at ? 'CampaignScheduled' : 'CampaignStarted', {
      scheduled_at: at,
      started_at: at ? null : ctx.now,
    })
    await queue?.send(CAMPAIGN_SEND_QUEUE, { campaignId: id }, { singletonKey: id, startAfter: at ?? undefined, db: kyselyExecutor(trx) })
    return n
  })
}

/** Stops after the batch in flight; queued sends wait. */
export async function pauseCampaign(db: Db, ctx: CommandContext, id: string) {
  await db.transaction().execute(async (trx) => {
    const c = await loadForUpdate(trx, ctx, id)
    if (c.status !== 'sending' && c.status !== 'scheduled') throw new DomainError('campaign.state.invalid', undefined, { status: 409 })
    await transition(trx, ctx, c, 'paused', 'CampaignPaused')
  })
}

/** Picks up where it stopped (nothing already sent goes again: send rows and batch keys). */
export async function resumeCampaign(db: Db, queue: CampaignQueue | null, ctx: CommandContext, id: string) {
  await db.transaction().execute(async (trx) => {
    const c = await loadForUpdate(trx, ctx, id)
    if (c.status !== 'paused') throw new DomainError('campaign.state.invalid', undefined, { status: 409 })
    const wait = c.scheduled_at && new Date(c.scheduled_at).getTime() > ctx.now.getTime() && !c.started_at
    await transition(trx, ctx, c, wait ? 'scheduled' : 'sending', 'CampaignResumed', wait ? {} : { started_at: c.started_at ?? ctx.now })
    await queue?.send(
      CAMPAIGN_SEND_QUEUE,
      { campaignId: id },
      { singletonKey: id, startAfter: wait ? new Date(c.scheduled_at!) : undefined, db: kyselyExecutor(trx) },
    )
  })
}

/** Cancels what is not sent yet; a batch already handed to Resend is not recalled. */
export async function cancelCampaign(db: Db, ctx: CommandContext, id: string) {
  await db.transaction().execute(async (trx) => {
    const c = await loadForUpdate(trx, ctx, id)
    if (c.status === 'cancelled' || c.status === 'completed') throw new DomainError('campaign.state.invalid', undefined, { status: 409 })
    await transition(trx, ctx, c, 'cancelled', 'CampaignCancelled', { completed_at: ctx.now })
    await trx.updateTable('campaign_sends').set({ status: 'cancelled' }).where('campaign_id', '=', id).where('status', '=', 'queued').execute()
  })
}

export type CampaignProgress = { queued: number; sending: number; sent: number; failed: number; suppressed: number; cancelled: number; total: number }

/** Counts by status, for the campaign page. */
export async function campaignProgress(db: Db, workspaceId: string, id: string): Promise<CampaignProgress> {
  const rows = await db
    .selectFrom('campaign_sends')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', id)
    .groupBy('status')
    .execute()
  const p: CampaignProgress = { queued: 0, sending: 0, sent: 0, failed: 0, suppressed: 0, cancelled: 0, total: 0 }
  for (const r of rows) {
    p[r.status] = r.n
    p.total += r.n
  }
  return p
}
