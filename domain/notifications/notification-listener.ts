import type postgres from 'postgres'
import { NOTIFICATIONS_CHANNEL, type NotificationSignal } from './kinds.js'

// One LISTEN connection per process for `alforis_notifications`, fanned out to the
// open event streams (app/routes/notifications.stream.ts) of the right user. NOTIFY
// goes through Postgres, so a notification created by a worker process reaches a tab
// served by any web process.

type Subscriber = { workspaceId: string; userId: string; fn: (s: NotificationSignal) => void }

export type NotificationListener = {
  /** Calls `fn` for each signal about this user of this workspace; returns the unsubscribe. */
  subscribe(workspaceId: string, userId: string, fn: (s: NotificationSignal) => void): Promise<() => void>
  /** Open subscriptions (tests, /healthz). */
  size(): number
}

// On globalThis: the server build and the sources (tests, Vite dev reloads) share one listener per pool.
const REGISTRY = Symbol.for('alforis.notificationListeners')
const listeners: WeakMap<postgres.Sql, NotificationListener> = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new WeakMap()) as WeakMap<
  postgres.Sql,
  NotificationListener
>

/** The process's listener over `sql` (created on first use). */
export function notificationListener(sql: postgres.Sql): NotificationListener {
  let l = listeners.get(sql)
  if (!l) {
    l = createListener(sql)
    listeners.set(sql, l)
  }
  return l
}

function createListener(sql: postgres.Sql): NotificationListener {
  const subscribers = new Set<Subscriber>()
  let listening: Promise<postgres.ListenMeta> | null = null

  const dispatch = (payload: string) => {
    let s: NotificationSignal
    try {
      s = JSON.parse(payload) as NotificationSignal
    } catch {
      return
    }
    for (const sub of subscribers) {
      if (sub.userId === s.userId && sub.workspaceId === s.workspaceId) {
        try {
          sub.fn(s)
        } catch {
          // One broken stream must not stop the others.
        }
      }
    }
  }

  return {
    async subscribe(workspaceId, userId, fn) {
      const sub = { workspaceId, userId, fn }
      subscribers.add(sub)
      // postgres.js keeps one connection for all listens of `sql` and re-listens after a reconnect.
      listening ??= sql.listen(NOTIFICATIONS_CHANNEL, dispatch)
      try {
        await listening
      } catch (e) {
        listening = null
        subscribers.delete(sub)
        throw e
      }
      return () => {
        subscribers.delete(sub)
      }
    },
    size: () => subscribers.size,
  }
}
