import type { LoaderFunctionArgs } from '@remix-run/node'
import { notificationListener } from '../../domain/notifications/notification-listener'
import type { NotificationSignal } from '../../domain/notifications/kinds'
import { unreadCount } from '../../domain/notifications/notify'
import { getAuth } from '~/utils/auth.server'

// Server-Sent Events for the bell: `unread` ({ count }) on connect and after reads,
// `notification` ({ id, kind, title, body, link, createdAt, unread }) for each new one.
// Fed by Postgres LISTEN (alforis_notifications), so a notification committed by any
// process arrives; only this session's user (and workspace) is ever sent anything. A
// comment line every 25 s keeps proxies from closing an idle stream; the stream ends
// when the browser goes away, or when the server stops.

const HEARTBEAT_MS = 25_000

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await getAuth(request, context)
  // No redirect to /login: EventSource would follow it and parse a page as events.
  if (!auth) return new Response('unauthorized', { status: 401, headers: { 'Cache-Control': 'no-store' } })
  const { db, sql } = context.runtime
  const { workspaceId, id: userId } = auth.user
  const heartbeatMs = Number(process.env.ALFORIS_SSE_HEARTBEAT_MS) || HEARTBEAT_MS
  const encoder = new TextEncoder()
  // Set once the server is stopping (runtime.beginStop); absent from hand-made test contexts.
  const stopping = context.runtime.stopping as AbortSignal | undefined
  let close = () => {}

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false
      let unsubscribe: (() => void) | null = null
      // Signals are handled one after the other, so counts never go back in time.
      let queue = Promise.resolve()
      const write = (chunk: string) => {
        if (!closed) controller.enqueue(encoder.encode(chunk))
      }
      const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
      const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs)
      close = () => {
        if (closed) return
        closed = true
        clearInterval(heartbeat)
        stopping?.removeEventListener('abort', close)
        unsubscribe?.()
        try {
          controller.close()
        } catch {
          // already closed by the reader
        }
      }
      request.signal.addEventListener('abort', close, { once: true })
      // The server is stopping: end the stream (the browser reconnects after `retry`), else
      // its socket would hold the stop until it is cut.
      if (stopping?.aborted) return close()
      stopping?.addEventListener('abort', close, { once: true })

      const onSignal = (s: NotificationSignal) => {
        queue = queue
          .then(async () => {
            if (closed) return
            const unread = await unreadCount(db, workspaceId, userId)
            if (s.type === 'read') return send('unread', { count: unread })
            const n = await db
              .selectFrom('notifications')
              .select(['id', 'kind', 'title', 'body', 'link', 'created_at'])
              .where('id', '=', s.id)
              .where('user_id', '=', userId)
              .where('workspace_id', '=', workspaceId)
              .executeTakeFirst()
            if (n)
              send('notification', {
                id: n.id,
                kind: n.kind,
                title: n.title,
                body: n.body,
                link: n.link,
                createdAt: new Date(n.created_at).toISOString(),
                unread,
              })
          })
          .catch(() => {})
      }

      write('retry: 5000\n\n')
      try {
        // Listen first, count second: nothing committed in between is missed.
        unsubscribe = await notificationListener(sql).subscribe(workspaceId, userId, onSignal)
        if (closed) return unsubscribe()
        send('unread', { count: await unreadCount(db, workspaceId, userId) })
      } catch {
        close()
      }
    },
    cancel() {
      close()
    },
  })

  return new Response(stream, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform: the compression middleware leaves the stream unbuffered.
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    },
  })
}
