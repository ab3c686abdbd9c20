import type { Db } from '../../db/kysely.js'
import type { MailProvider } from '../../db/schema.js'
import { notify } from '../notifications/notify.js'
import type { Problem } from '../shared/errors.js'
import { resendApiKey } from './mail-config.js'
import { createResendClient, type ResendClient, ResendError } from './resend-client.js'

// What the `mail.send` job does with one outbound_emails row. Provider errors are
// sorted: a permanent one (the provider will refuse it again) marks the row failed
// and tells the workspace's admins — never retried; a transient one (429, 5xx,
// network) is thrown so pg-boss retries with backoff, a short Retry-After being waited
// for at once. The row counts attempts; at MAX_SEND_ATTEMPTS it is failed for good.

/** Attempts per e-mail, all runs together; below the queue's retryLimit + 1 runs. */
export const MAX_SEND_ATTEMPTS = 6
/** A Retry-After up to this is waited for inside the run (Resend's is usually 1 s). */
export const INLINE_RETRY_MAX_SECONDS = 5

export type DeliverOutcome =
  | { status: 'sent'; provider: MailProvider; providerId: string | null; attempts: number }
  /** `error`: what is recorded in `last_error`, a problem as JSON the admin mailbox translates. */
  | { status: 'failed'; error: string; attempts: number }
  | { status: 'skipped'; reason: 'not_found' | 'already_sent' | 'already_failed' }

/** Thrown for a transient failure: the job fails and pg-boss runs it again later. */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message)
    this.name = 'RetryLaterError'
  }
}

export type DeliverOptions = {
  /** The Resend client; undefined = from RESEND_API_KEY, null = the local mailbox. */
  resend?: ResendClient | null
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
}

export function resendFromEnv(): ResendClient | null {
  const apiKey = resendApiKey()
  return apiKey ? createResendClient({ apiKey, baseUrl: process.env.RESEND_BASE_URL || undefined }) : null
}

/**
 * Sends one queued e-mail (Resend, or the local mailbox without RESEND_API_KEY).
 * Sent or failed rows are left alone, so a replayed job sends nothing twice.
 *
 * @example await deliverEmail(db, emailId) // { status: 'sent', provider: 'mailbox', … }
 */
export async function deliverEmail(db: Db, id: string, opts: DeliverOptions = {}): Promise<DeliverOutcome> {
  const now = opts.now ?? (() => new Date())
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const resend = opts.resend === undefined ? resendFromEnv() : opts.resend

  for (let inlineRetries = 0; ; inlineRetries++) {
    // Claim an attempt: counted before the call, so a crash mid-send still counts.
    const row = await db
      .updateTable('outbound_emails')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .returning(['id', 'workspace_id', 'to', 'from_address', 'reply_to', 'subject', 'html', 'text', 'idempotency_key', 'attempts'])
      .executeTakeFirst()
    if (!row) {
      const r = await db.selectFrom('outbound_emails').select('status').where('id', '=', id).executeTakeFirst()
      return { status: 'skipped', reason: !r ? 'not_found' : r.status === 'failed' ? 'already_failed' : 'already_sent' }
    }

    if (!resend) {
      await markSent(db, id, 'mailbox', null, now())
      return { status: 'sent', provider: 'mailbox', providerId: null, attempts: row.attempts }
    }

    try {
      const files = await db
        .selectFrom('outbound_email_attachments')
        .select(['filename', 'content_type', 'content'])
        .where('email_id', '=', id)
        .orderBy('position')
        .execute()
      const attachments = files.length
        ? files.map((f) => ({ filename: f.filename, content: Buffer.from(f.content).toString('base64'), content_type: f.content_type }))
        : undefined
      const { id: providerId } = await resend.sendEmail(
        {
          from: row.from_address,
          to: row.to,
          subject: row.subject,
          html: row.html,
          text: row.text,
          ...(row.reply_to ? { reply_to: row.reply_to } : {}),
          attachments,
        },
        { idempotencyKey: row.idempotency_key },
      )
      await markSent(db, id, 'resend', providerId, now())
      return { status: 'sent', provider: 'resend', providerId, attempts: row.attempts }
    } catch (e) {
      const err = e instanceof ResendError ? e : new ResendError(e instanceof Error ? e.message : String(e), null, 'unexpected_error', true)
      if (!err.retryable) {
        const recorded = JSON.stringify(problemOf(err))
        await markFailed(db, row, recorded, now())
        return { status: 'failed', error: recorded, attempts: row.attempts }
      }
      if (row.attempts >= MAX_SEND_ATTEMPTS) {
        const recorded = JSON.stringify({ code: 'mail.gave_up', params: { attempts: row.attempts, reason: [problemOf(err)] } } satisfies Problem)
        await markFailed(db, row, recorded, now())
        return { status: 'failed', error: recorded, attempts: row.attempts }
      }
      await db
        .updateTable('outbound_emails')
        .set({ last_error: JSON.stringify(problemOf(err)) })
        .where('id', '=', id)
        .execute()
      const wait = err.retryAfterSeconds
      if (inlineRetries === 0 && wait !== null && wait <= INLINE_RETRY_MAX_SECONDS) {
        await sleep(wait * 1000)
        continue
      }
      throw new RetryLaterError(err.message, wait)
    }
  }
}

/**
 * A provider error as a code the admin mailbox translates (`last_error` holds it as JSON).
 * The provider's own words (Resend's error name and message, in English) stay as the
 * detail: they are what its documentation and support speak of.
 */
export function problemOf(err: ResendError): Problem {
  if (err.code === 'network_error') return { code: 'mail.provider.unreachable', params: { detail: err.message.replace(/^Resend injoignable : /, '') } }
  // The message reads "Resend <status> <name>[ : <message>]"; the detail is what follows the status.
  return { code: 'mail.provider.refused', params: { status: String(err.status ?? '—'), detail: err.message.replace(/^Resend \S+ /, '') } }
}

async function markSent(db: Db, id: string, provider: MailProvider, providerId: string | null, at: Date) {
  await db
    .updateTable('outbound_emails')
    .set({ status: 'sent', provider, provider_id: providerId, sent_at: at, last_error: null })
    .where('id', '=', id)
    .execute()
}

/** Failed for good: recorded on the row (shown translated in /admin/mailbox) and told to the admins, who open it there for the reason. */
async function markFailed(db: Db, row: { id: string; workspace_id: string; to: string; subject: string }, recorded: string, at: Date) {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('outbound_emails')
      .set({ status: 'failed', provider: 'resend', last_error: recorded, sent_at: null })
      .where('id', '=', row.id)
      .execute()
    const admins = await trx
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', row.workspace_id)
      .where('role', '=', 'admin')
      .where('active', '=', true)
      .execute()
    for (const a of admins) {
      await notify(trx, {
        workspaceId: row.workspace_id,
        userId: a.id,
        kind: 'mail_failed',
        title: `E-mail non envoyé à ${row.to}`,
        body: `« ${row.subject} »`.slice(0, 500),
        link: `/admin/mailbox/${row.id}`,
        dedupKey: `mail_failed:${row.id}`,
        now: at,
      })
    }
  })
}
