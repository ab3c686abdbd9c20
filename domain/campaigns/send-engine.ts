import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { RetryLaterError } from '../mail/deliver-email.js'
import { mailFrom, resendApiKey, senderAs } from '../mail/mail-config.js'
import { ResendError, type ResendEmail } from '../mail/resend-client.js'
import { loadCompanySettings } from '../sales/company-settings.js'
import { appUrl as defaultAppUrl } from '../shared/app-url.js'
import type { CommandContext } from '../shared/events.js'
import { addParisDays, parisDay, startOfParisDay } from '../shared/paris-time.js'
import { appendEvents } from '../shared/run-command.js'
import { renderCampaignEmail } from './campaign-email.js'
import { campaignSettings, takeRequestSlot, type CampaignSettings } from './campaign-settings.js'
import { fillFields, fillPlaceholders, placeholder, toPlaceholders, type MergeValues } from './merge-fields.js'
import { createResendBatchClient, RESEND_BATCH_MAX, type ResendBatchClient } from './resend-batch-client.js'
import { campaignLinks } from './tracking-links.js'

// The sending engine, run by the `campaigns.send` job one slice at a time. Each
// recipient × step is one campaign_sends row whose send_key is unique, so it exists
// once. A batch is claimed in one transaction (sends → 'sending', a campaign_batches
// row with its own Idempotency-Key), its body rendered and STORED before Resend is
// called, then recorded as sent. A worker that dies anywhere in between leaves a
// 'pending' batch: the next slice sends the stored body again under the same key, and
// Resend answers with the first result instead of sending twice (docs/decisions).
// The suppression list and the contact's consent are read for every batch at claim
// time: an address suppressed mid-campaign is never claimed.

export type SendEngineOptions = {
  /** Resend's batch client; undefined = from RESEND_API_KEY, null = the local mailbox. */
  transport?: ResendBatchClient | null
  /** The business clock (sent_at, the day of the quota). */
  now: () => Date
  /** Wall-clock ms, for the pace only. */
  wallNow?: () => number
  sleep?: (ms: number) => Promise<void>
  appUrl?: string
  /** A slice stops after this long and the job enqueues the next one (the job's own expiry stays far). */
  maxSliceMs?: number
  /** Called with each render's duration in ms (the bench's render_p95_ms). */
  onRender?: (ms: number) => void
  /** Tests only: runs after Resend accepted a batch, before it is recorded — where a crash hurts most. */
  afterProviderAccepted?: (batchId: string) => Promise<void> | void
}

export type SliceOutcome =
  { status: 'completed' | 'stopped'; batches: number } | { status: 'more'; batches: number } | { status: 'quota'; batches: number; resumeAt: Date }

type Batch = { id: string; idempotency_key: string; payload: string | null }
type Payload = { sendIds: string[]; emails: ResendEmail[] }

export function resendBatchFromEnv(): ResendBatchClient | null {
  const apiKey = resendApiKey()
  return apiKey ? createResendBatchClient({ apiKey, baseUrl: process.env.RESEND_BASE_URL || undefined }) : null
}

/** A Retry-After up to this is waited for inside the slice. */
const INLINE_RETRY_MAX_SECONDS = 5
const INLINE_RETRIES = 5

/**
 * Sends one slice of a campaign and says what next: 'more' (enqueue again now),
 * 'quota' (again at resumeAt, the next Paris day), 'completed' or 'stopped' (paused,
 * cancelled, gone). Throws RetryLaterError on a transient provider failure.
 *
 * @example const out = await runCampaignSlice(db, campaignId, { now: runtime.now })
 */
export async function runCampaignSlice(db: Db, campaignId: string, o: SendEngineOptions): Promise<SliceOutcome> {
  const transport = o.transport === undefined ? resendBatchFromEnv() : o.transport
  const wallNow = o.wallNow ?? Date.now
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const deadline = wallNow() + (o.maxSliceMs ?? 45_000)
  let batches = 0

  const first = await db.selectFrom('campaigns').select(['workspace_id', 'status']).where('id', '=', campaignId).executeTakeFirst()
  if (!first) return { status: 'stopped', batches }
  const ws = first.workspace_id
  if (first.status === 'scheduled') await transitionByJob(db, ws, campaignId, 'scheduled', 'sending', 'CampaignStarted', o.now())
  const settings = await campaignSettings(db, ws)

  for (;;) {
    const c = await db.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst()
    if (!c || c.status !== 'sending') return { status: 'stopped', batches }

    let batch: Batch | undefined = await db
      .selectFrom('campaign_batches')
      .select(['id', 'idempotency_key', 'payload'])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'pending')
      .orderBy('created_at')
      .executeTakeFirst()
    if (!batch) {
      const now = o.now()
      const remaining = settings.dailyQuota - (await sentToday(db, ws, now))
      if (remaining <= 0) return { status: 'quota', batches, resumeAt: startOfParisDay(parisDay(addParisDays(now, 1))) }
      const claimed = await claimBatch(db, ws, campaignId, Math.min(RESEND_BATCH_MAX, remaining), now)
      if (claimed === 'none') {
        await transitionByJob(db, ws, campaignId, 'sending', 'completed', 'CampaignCompleted', o.now(), { completed_at: o.now() })
        return { status: 'completed', batches }
      }
      if (claimed === 'all_suppressed') continue
      batch = claimed
    }
    const payload = batch.payload ? (JSON.parse(batch.payload) as Payload) : await storePayload(db, c, settings, batch.id, o)
    await deliverBatch(db, ws, batch, payload, transport, settings, { ...o, wallNow, sleep })
    batches++
    if (wallNow() >= deadline) return { status: 'more', batches }
  }
}

async function sentToday(db: Db, workspaceId: string, now: Date): Promise<number> {
  const r = await sql<{ n: number }>`
    select coalesce(sum(email_count), 0)::int as n from campaign_batches
     where workspace_id = ${workspaceId} and status = 'sent' and sent_at >= ${startOfParisDay(parisDay(now))}`.execute(db)
  return r.rows[0]?.n ?? 0
}

/**
 * Claims up to `max` queued sends. Suppressed addresses and contacts who withdrew
 * consent (or were deleted) are marked 'suppressed' with the reason and never sent.
 */
async function claimBatch(db: Db, workspaceId: string, campaignId: string, max: number, now: Date): Promise<Batch | 'none' | 'all_suppressed'> {
  return db.transaction().execute(async (trx) => {
    const rows = await sql<{ id: string; reason: string | null; consent: boolean }>`
      select s.id, sup.reason,
             (ct.gdpr_consent and not ct.marketing_opt_out and ct.deleted_at is null) as consent
        from campaign_sends s
        join contacts ct on ct.id = s.contact_id
        left join email_suppressions sup on sup.workspace_id = s.workspace_id and sup.email = s.email
       where s.campaign_id = ${campaignId} and s.status = 'queued'
       order by s.id
       limit ${max}
         for update of s skip locked`.execute(trx)
    if (rows.rows.length === 0) {
      // Sends another worker holds are still 'queued' under its lock: not finished.
      const busy = await trx
        .selectFrom('campaign_sends')
        .select('id')
        .where('campaign_id', '=', campaignId)
        .where('status', 'in', ['queued', 'sending'])
        .limit(1)
        .executeTakeFirst()
      return busy ? 'all_suppressed' : 'none'
    }
    const blocked = rows.rows.filter((r) => r.reason || !r.consent)
    for (const reason of new Set(blocked.map((r) => r.reason ?? 'no_consent')))
      await trx
        .updateTable('campaign_sends')
        .set({ status: 'suppressed', suppressed_reason: reason })
        .where(
          'id',
          'in',
          blocked.filter((r) => (r.reason ?? 'no_consent') === reason).map((r) => r.id),
        )
        .execute()
    const ok = rows.rows.filter((r) => !r.reason && r.consent).map((r) => r.id)
    if (ok.length === 0) return 'all_suppressed'
    const id = randomUUID()
    const batch = { id, idempotency_key: `campaign-batch:${id}`, payload: null }
    await trx
      .insertInto('campaign_batches')
      .values({ ...batch, workspace_id: workspaceId, campaign_id: campaignId, email_count: ok.length, created_at: now })
      .execute()
    await trx.updateTable('campaign_sends').set({ status: 'sending', batch_id: id }).where('id', 'in', ok).execute()
    return batch
  })
}

type CampaignRow = { id: string; workspace_id: string; subject: string; body: string; button_label: string | null; button_url: string | null }

/** Renders the batch's e-mails and stores the body before any request leaves. */
async function storePayload(db: Db, c: CampaignRow, settings: CampaignSettings, batchId: string, o: SendEngineOptions): Promise<Payload> {
  const rows = await sql<{
    id: string
    email: string
    first_name: string
    last_name: string
    civility: string | null
    org: string | null
    owner: string | null
  }>`
    select s.id, s.email, ct.first_name, ct.last_name, ct.civility, o.name as org, u.full_name as owner
      from campaign_sends s
      join contacts ct on ct.id = s.contact_id
      left join organisations o on o.id = ct.organisation_id and o.workspace_id = s.workspace_id
      left join users u on u.id = ct.owner_id and u.workspace_id = s.workspace_id
     where s.batch_id = ${batchId}
     order by s.id`.execute(db)
  const company = await loadCompanySettings(db, c.workspace_id)
  const postal = [company.address, [company.postal_code, company.city].filter(Boolean).join(' ')].filter((x) => x?.trim()).join(', ')
  const from = company.company_name ? senderAs(null, company.company_name) : mailFrom()
  const base = o.appUrl ?? defaultAppUrl()
  // Rendered once per batch with placeholders, then filled per recipient: react-email's
  // render is the costly step (milliseconds), filling is string replacement.
  const slots: { name: string; fallback: string }[] = []
  const t0 = performance.now()
  const body = toPlaceholders(c.body, slots)
  const unsubscribe = placeholder(slots, 'link.unsubscribe')
  const template = await renderCampaignEmail({
    senderName: company.company_name,
    postalAddress: postal,
    paragraphs: body.split(/\n\s*\n|\n/).filter((l) => l.trim()),
    button: c.button_label && c.button_url ? { label: toPlaceholders(c.button_label, slots), href: placeholder(slots, 'link.click') } : null,
    unsubscribeUrl: unsubscribe,
    openPixelUrl: placeholder(slots, 'link.open'),
    preview: body.slice(0, 120),
  })
  let setup = performance.now() - t0
  const emails: ResendEmail[] = []
  for (const r of rows.rows) {
    const started = performance.now()
    const links = campaignLinks(base, settings.linkSecret, r.id)
    const values: Record<string, string | null> = {
      'contact.prenom': r.first_name,
      'contact.nom': r.last_name,
      'contact.civilite': r.civility,
      'contact.email': r.email,
      'organisation.nom': r.org,
      'commercial.nom': r.owner,
      'link.unsubscribe': links.unsubscribe,
      'link.open': links.open,
      'link.click': c.button_url ? links.click(c.button_url) : null,
    }
    emails.push({
      from,
      to: r.email,
      subject: fillFields(c.subject, values as MergeValues),
      html: fillPlaceholders(template.html, slots, values, true),
      text: fillPlaceholders(template.text, slots, values, false),
      // RFC 8058: mail clients show "unsubscribe" and POST `List-Unsubscribe=One-Click` to the URL.
      headers: { 'List-Unsubscribe': `<${links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    })
    // The batch's one render is counted in its first e-mail's time.
    o.onRender?.(performance.now() - started + setup)
    setup = 0
  }
  const payload: Payload = { sendIds: rows.rows.map((r) => r.id), emails }
  await db
    .updateTable('campaign_batches')
    .set({ payload: JSON.stringify(payload) })
    .where('id', '=', batchId)
    .where('payload', 'is', null)
    .execute()
  // Whatever is stored is what goes out (another worker may have stored it first).
  const stored = await db.selectFrom('campaign_batches').select('payload').where('id', '=', batchId).executeTakeFirstOrThrow()
  return JSON.parse(stored.payload!) as Payload
}

async function deliverBatch(
  db: Db,
  workspaceId: string,
  batch: Batch,
  payload: Payload,
  transport: ResendBatchClient | null,
  settings: CampaignSettings,
  o: SendEngineOptions & { wallNow: () => number; sleep: (ms: number) => Promise<void> },
) {
  let ids: (string | null)[]
  if (!transport) {
    // The local mailbox (/admin/mailbox): one outbound_emails row per send, keyed by its send_key.
    const keys = await db.selectFrom('campaign_sends').select(['id', 'send_key']).where('id', 'in', payload.sendIds).execute()
    const keyOf = new Map(keys.map((k) => [k.id, k.send_key]))
    const now = o.now()
    await db
      .insertInto('outbound_emails')
      .values(
        payload.emails.map((e, i) => ({
          id: randomUUID(),
          workspace_id: workspaceId,
          to: String(e.to),
          from_address: e.from,
          subject: e.subject,
          html: e.html ?? '',
          text: e.text ?? '',
          template: 'campaign',
          status: 'sent' as const,
          provider: 'mailbox' as const,
          provider_id: null,
          last_error: null,
          idempotency_key: `campaign:${keyOf.get(payload.sendIds[i]!)}`,
          sent_at: now,
        })),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute()
    ids = payload.sendIds.map(() => null)
  } else {
    ids = []
    for (let attempt = 0; ; attempt++) {
      await o.sleep(await takeRequestSlot(db, workspaceId, new Date(o.wallNow())))
      await db
        .updateTable('campaign_batches')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', batch.id)
        .execute()
      try {
        ids = (await transport.sendBatch(payload.emails, { idempotencyKey: batch.idempotency_key })).ids
        break
      } catch (e) {
        const err = e instanceof ResendError ? e : new ResendError(e instanceof Error ? e.message : String(e), null, 'unexpected_error', true)
        await db
          .updateTable('campaign_batches')
          .set({ last_error: err.message.slice(0, 1000) })
          .where('id', '=', batch.id)
          .execute()
        if (!err.retryable) return failBatch(db, batch.id, payload, err.message, o.now())
        const wait = err.retryAfterSeconds ?? 1
        if (attempt < INLINE_RETRIES && wait <= INLINE_RETRY_MAX_SECONDS) {
          await o.sleep(wait * 1000)
          continue
        }
        throw new RetryLaterError(err.message, err.retryAfterSeconds)
      }
    }
    await o.afterProviderAccepted?.(batch.id)
  }
  const now = o.now()
  await db.transaction().execute(async (trx) => {
    await sql`
      update campaign_sends s set status = 'sent', provider_id = v.provider_id, sent_at = ${now}, error = null
        from unnest(${payload.sendIds}::uuid[], ${ids}::text[]) as v(id, provider_id)
       where s.id = v.id and s.status = 'sending'`.execute(trx)
    await trx.updateTable('campaign_batches').set({ status: 'sent', payload: null, sent_at: now, last_error: null }).where('id', '=', batch.id).execute()
  })
}

/** Resend refused the batch for good (it would refuse it again): its sends are failed, the campaign goes on. */
async function failBatch(db: Db, batchId: string, payload: Payload, message: string, now: Date) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('campaign_sends')
      .set({ status: 'failed', error: message.slice(0, 1000) })
      .where('id', 'in', payload.sendIds)
      .where('status', '=', 'sending')
      .execute()
    await trx.updateTable('campaign_batches').set({ status: 'failed', sent_at: now }).where('id', '=', batchId).execute()
  })
}

async function transitionByJob(
  db: Db,
  workspaceId: string,
  id: string,
  from: string,
  to: 'sending' | 'completed',
  event: string,
  now: Date,
  extra: Record<string, unknown> = {},
) {
  await db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('campaigns').select(['version', 'status']).where('id', '=', id).forUpdate().executeTakeFirst()
    if (!c || c.status !== from) return
    await trx
      .updateTable('campaigns')
      .set({ status: to, version: c.version + 1, ...(to === 'sending' ? { started_at: now } : {}), ...extra })
      .where('id', '=', id)
      .execute()
    const ctx: CommandContext = { workspaceId, actorId: null, now, source: 'job' }
    await appendEvents(trx, ctx, 'campaign', id, c.version, [{ type: event, data: { id, status: to } }])
  })
}
