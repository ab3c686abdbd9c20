import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from '../../db/kysely.js'
import type { Notification } from '../../db/schema.js'
import { NOTIFICATIONS_CHANNEL, type NotificationKind, type NotificationSignal } from './kinds.js'
import { preferencesFor } from './preferences.js'

export type NotifyInput = {
  workspaceId: string
  userId: string
  kind: NotificationKind
  title: string
  body?: string | null
  /** A path inside the app ('/tasks/…'). */
  link?: string | null
  /** Same user + same key = the same notification: a second call creates nothing. */
  dedupKey?: string | null
  now?: Date
}

export type NotifyResult = { created: true; id: string } | { created: false; id: string | null; reason: 'duplicate' | 'preference' | 'unknown_user' }

/** Tells open tabs (any process) about a change; delivered when the transaction commits. */
export async function signal(db: Db, s: NotificationSignal): Promise<void> {
  await sql`select pg_notify(${NOTIFICATIONS_CHANNEL}, ${JSON.stringify(s)})`.execute(db)
}

const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))

/**
 * An in-app notification for one user of the workspace. Idempotent on `dedupKey`
 * (per user); skipped when the user turned in-app off for this kind. Open tabs get it
 * live through NOTIFY on `alforis_notifications` (sent at commit). Joins the caller's
 * transaction if `db` is one.
 *
 * @example await notify(db, { workspaceId, userId, kind: 'task_reminder_j1', title: 'Rappeler Mme Roche demain', link: `/tasks/${id}`, dedupKey: `task_reminder_j1:${id}` })
 */
export async function notify(db: Db, input: NotifyInput): Promise<NotifyResult> {
  if (input.link != null && !isAppPath(input.link)) throw new Error(`notification link must be an app path: ${input.link}`)
  const prefs = await preferencesFor(db, input.userId)
  if (!prefs[input.kind].in_app) return { created: false, id: null, reason: 'preference' }
  return inTransaction(db, async (trx) => {
    const id = randomUUID()
    // Insert-select: only a user of this workspace can be notified (tenancy in the write).
    const row = await trx
      .insertInto('notifications')
      .columns(['id', 'workspace_id', 'user_id', 'kind', 'title', 'body', 'link', 'dedup_key', 'created_at'])
      .expression((eb) =>
        eb
          .selectFrom('users')
          .select([
            eb.val(id).as('id'),
            'workspace_id',
            'id as user_id',
            eb.val(input.kind).as('kind'),
            eb.val(input.title).as('title'),
            eb.val(input.body ?? null).as('body'),
            eb.val(input.link ?? null).as('link'),
            eb.val(input.dedupKey ?? null).as('dedup_key'),
            eb.val(input.now ?? new Date()).as('created_at'),
          ])
          .where('id', '=', input.userId)
          .where('workspace_id', '=', input.workspaceId),
      )
      .onConflict((oc) => oc.columns(['user_id', 'dedup_key']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!row) {
      const existing = input.dedupKey
        ? await trx.selectFrom('notifications').select('id').where('user_id', '=', input.userId).where('dedup_key', '=', input.dedupKey).executeTakeFirst()
        : undefined
      return existing ? { created: false, id: existing.id, reason: 'duplicate' } : { created: false, id: null, reason: 'unknown_user' }
    }
    await signal(trx, { type: 'created', workspaceId: input.workspaceId, userId: input.userId, id })
    return { created: true, id }
  })
}

export const isAppPath = (p: string) => p.startsWith('/') && !p.startsWith('//') && !p.startsWith('/\\')

/** Unread notifications of a user (the bell's number). */
export async function unreadCount(db: Db, workspaceId: string, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Newest first, `limit` at a time; `before` = the created_at/id of the last one shown. */
export async function listNotifications(
  db: Db,
  q: { workspaceId: string; userId: string; limit?: number; unreadOnly?: boolean; before?: { createdAt: Date; id: string } },
): Promise<Notification[]> {
  let query = db.selectFrom('notifications').selectAll().where('workspace_id', '=', q.workspaceId).where('user_id', '=', q.userId)
  if (q.unreadOnly) query = query.where('read_at', 'is', null)
  if (q.before) {
    const b = q.before
    query = query.where((eb) => eb.or([eb('created_at', '<', b.createdAt), eb.and([eb('created_at', '=', b.createdAt), eb('id', '<', b.id)])]))
  }
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit ?? 50)
    .execute()
}

/** Marks some (or, without ids, all) of the user's unread notifications read; returns how many changed. */
export async function markRead(db: Db, q: { workspaceId: string; userId: string; ids?: string[]; now?: Date }): Promise<number> {
  if (q.ids && q.ids.length === 0) return 0
  return inTransaction(db, async (trx) => {
    let upd = trx
      .updateTable('notifications')
      .set({ read_at: q.now ?? new Date() })
      .where('workspace_id', '=', q.workspaceId)
      .where('user_id', '=', q.userId)
      .where('read_at', 'is', null)
    if (q.ids) upd = upd.where('id', 'in', q.ids)
    const r = await upd.executeTakeFirst()
    const n = Number(r.numUpdatedRows)
    if (n > 0) await signal(trx, { type: 'read', workspaceId: q.workspaceId, userId: q.userId })
    return n
  })
}
