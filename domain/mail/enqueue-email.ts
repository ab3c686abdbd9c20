import { randomUUID } from 'node:crypto'
import { CompiledQuery } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { mailFrom, senderAs } from './mail-config.js'
import { renderEmail } from './render-email.js'
import type { TemplateName, TemplateProps } from './templates/index.js'

export const MAIL_SEND_QUEUE = 'mail.send' as const

/** The job payload of `mail.send`: the row's id, never the e-mail itself. */
export type MailSendJob = { id: string }

/** pg-boss's executor shape (`send(…, { db })`): runs its SQL on our transaction. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg-boss's own executor type says any[]; we must match it to be accepted
export type SqlExecutor = { executeSql(text: string, values: unknown[]): Promise<{ rows: any[] }> }

/** What enqueueEmail needs of pg-boss: `Runtime.jobs` and a job's `deps` both fit. */
export type MailQueue = {
  send(queue: typeof MAIL_SEND_QUEUE, data: MailSendJob, opts?: { singletonKey?: string; db?: SqlExecutor }): Promise<string | null>
}

export type EnqueueEmailInput<K extends TemplateName> = {
  workspaceId: string
  to: string
  template: K
  props: TemplateProps<K>
  /** One e-mail per key, ever (also Resend's Idempotency-Key): e.g. `task_reminder_j1:<taskId>:<userId>`. */
  idempotencyKey: string
  /** Files sent with it (the quote PDF), stored beside the row. */
  attachments?: EmailAttachment[]
  /**
   * A customer-facing e-mail goes out in the seller's name ("<rep> — <company>" on the
   * sending domain) with Reply-To the rep's address; without it, MAIL_FROM (internal mail).
   */
  sender?: { repName: string | null; company: string; replyTo: string | null }
}

export type EmailAttachment = { filename: string; contentType: string; content: Uint8Array }

/** Resend accepts 40 MB per e-mail after base64; we keep far below. */
export const MAX_ATTACHMENTS_BYTES = 10 * 1024 * 1024

export class InvalidEmailError extends Error {}

// Deliberately loose: one @, no spaces, a dot in the domain. Resend has the last word.
const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/

/** A kysely transaction as pg-boss's executor, so the job is inserted in our transaction. */
export function kyselyExecutor(trx: Db): SqlExecutor {
  return {
    async executeSql(text, values) {
      // pg-boss passes undefined for unset options: node-postgres sends NULL, postgres.js
      // refuses it. (Its job data object is fine: postgres.js serialises it for jsonb.)
      const params = values.map((v) => (v === undefined ? null : v))
      const r = await trx.executeQuery(CompiledQuery.raw(text, params))
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- same executor shape as above
      return { rows: r.rows as any[] }
    },
  }
}

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))

/**
 * Renders `template`, stores the e-mail (`outbound_emails`, status queued) and enqueues
 * its `mail.send` job in the same transaction: the job exists iff the row does.
 * Idempotent on `idempotencyKey`: a second call returns the first id and sends nothing.
 * Joins the caller's transaction if `db` is one. With `jobs` null (pg-boss off, some
 * tests) the row is stored and stays queued.
 *
 * @example await enqueueEmail(db, runtime.jobs, { workspaceId, to: 'claire@exemple.fr', template: 'notification', props: { title: 'Bienvenue' }, idempotencyKey: `welcome:${userId}` })
 */
export async function enqueueEmail<K extends TemplateName>(
  db: Db,
  jobs: MailQueue | null,
  input: EnqueueEmailInput<K>,
): Promise<{ id: string; created: boolean }> {
  const to = input.to.trim()
  if (!EMAIL.test(to)) throw new InvalidEmailError(`adresse e-mail invalide : ${input.to}`)
  if (input.idempotencyKey.length < 1 || input.idempotencyKey.length > 256) throw new Error('idempotencyKey: 1 to 256 characters')
  const replyTo = input.sender?.replyTo?.trim() || null
  if (replyTo && !EMAIL.test(replyTo)) throw new InvalidEmailError(`adresse de réponse invalide : ${replyTo}`)
  if ((input.attachments ?? []).reduce((n, a) => n + a.content.byteLength, 0) > MAX_ATTACHMENTS_BYTES) throw new Error('attachments: 10 MB at most')

  const existing = await findByKey(db, input.idempotencyKey)
  if (existing) return { id: existing, created: false }
  // Rendered outside the transaction: it takes a few milliseconds of CPU, no locks needed.
  const rendered = await renderEmail(input.template, input.props)

  return inTransaction(db, async (trx) => {
    const id = randomUUID()
    const row = await trx
      .insertInto('outbound_emails')
      .values({
        id,
        workspace_id: input.workspaceId,
        to,
        from_address: input.sender ? senderAs(input.sender.repName, input.sender.company) : mailFrom(),
        reply_to: replyTo,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        template: input.template,
        idempotency_key: input.idempotencyKey,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!row) return { id: (await findByKey(trx, input.idempotencyKey))!, created: false }
    if (input.attachments?.length) {
      await trx
        .insertInto('outbound_email_attachments')
        .values(
          input.attachments.map((a, position) => ({
            email_id: id,
            position,
            filename: a.filename,
            content_type: a.contentType,
            content: Buffer.from(a.content),
          })),
        )
        .execute()
    }
    if (jobs) {
      const jobId = await jobs.send(MAIL_SEND_QUEUE, { id }, { singletonKey: id, db: kyselyExecutor(trx) })
      if (!jobId) throw new Error(`mail.send refused the job of e-mail ${id}`)
    }
    return { id, created: true }
  })
}

async function findByKey(db: Db, key: string): Promise<string | null> {
  const r = await db.selectFrom('outbound_emails').select('id').where('idempotency_key', '=', key).executeTakeFirst()
  return r?.id ?? null
}
