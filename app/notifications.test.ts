import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverEmail } from '../domain/mail/deliver-email.js'
import { enqueueEmail } from '../domain/mail/enqueue-email.js'
import { ResendError } from '../domain/mail/resend-client.js'
import { notificationListener } from '../domain/notifications/notification-listener.js'
import { notify } from '../domain/notifications/notify.js'
import { preferencesFor } from '../domain/notifications/preferences.js'
import { startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'
import { givenWorkspace } from '../testing/fixtures.js'

// Notifications, their live stream, preferences and the admins' mailbox, through real
// HTTP: forms posted the way a browser without JavaScript does, the event stream read
// the way EventSource reads it.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let other: Awaited<ReturnType<typeof givenWorkspace>>
beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  other = await givenWorkspace(app.rt.db, 'Autre société')
})
afterAll(async () => {
  await app?.stop()
})

let seq = 0
const tell = (ws: typeof w, userId: string, title: string, over: { link?: string } = {}) =>
  notify(app.rt.db, {
    workspaceId: ws.workspaceId,
    userId,
    kind: 'task_reminder_j0',
    title,
    body: 'Échéance aujourd’hui à 14:00',
    link: over.link ?? '/deals',
    dedupKey: `t:${++seq}`,
  })

type SseEvent = { event: string; data: any } | { comment: string }

/** An open /notifications/stream, parsed as EventSource would. */
async function openStream(client: WebClient) {
  const ac = new AbortController()
  const res = await client.request('/notifications/stream', { signal: ac.signal, headers: { Accept: 'text/event-stream' } })
  const events: SseEvent[] = []
  const waiters: (() => void)[] = []
  const pump = (async () => {
    if (!res.body) return
    const reader = res.body.getReader()
    const dec = new TextDecoder()
    let buf = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buf += dec.decode(value, { stream: true })
        let i: number
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i)
          buf = buf.slice(i + 2)
          if (block.startsWith(':')) events.push({ comment: block.slice(1).trim() })
          else {
            const event = /^event: (.*)$/m.exec(block)?.[1]
            const data = /^data: (.*)$/m.exec(block)?.[1]
            if (event) events.push({ event, data: data ? JSON.parse(data) : null })
          }
          waiters.splice(0).forEach((f) => f())
        }
      }
    } catch {
      // aborted
    }
  })()
  /** Resolves with the first event matching, waiting for it if needed (no fixed sleep). */
  async function next(match: (e: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    const until = Date.now() + timeoutMs
    for (;;) {
      const found = events.find(match)
      if (found) return found
      if (Date.now() > until) throw new Error(`no matching event; got ${JSON.stringify(events)}`)
      await new Promise<void>((r) => {
        waiters.push(r)
        setTimeout(r, 200)
      })
    }
  }
  return {
    res,
    events,
    next,
    close: async () => {
      ac.abort()
      await pump
    },
  }
}

const isEvent =
  (name: string, pred: (d: any) => boolean = () => true) =>
  (e: SseEvent) =>
    'event' in e && e.event === name && pred(e.data)

describe('the notification stream', () => {
  it('delivers a notification to its user’s open stream, never to another user’s or workspace’s', async () => {
    const [x, y, z] = await Promise.all([app.login(w.emails.commercial), app.login(w.emails.manager), app.login(other.emails.commercial)])
    const [sx, sy, sz] = await Promise.all([openStream(x), openStream(y), openStream(z)])
    try {
      expect(sx.res.status).toBe(200)
      expect(sx.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
      // Not buffered by the compression middleware.
      expect(sx.res.headers.get('content-encoding')).toBeNull()
      await Promise.all([sx, sy, sz].map((s) => s.next(isEvent('unread'))))

      const { id } = await tell(w, w.users.commercial, 'Rappeler Mme Roche')
      const got = await sx.next(isEvent('notification'))
      expect(got).toEqual({
        event: 'notification',
        data: expect.objectContaining({ id, title: 'Rappeler Mme Roche', link: '/deals', kind: 'task_reminder_j0', unread: 1 }),
      })

      // Markers for Y and Z: once theirs arrive, X's would have too.
      const my = await tell(w, w.users.manager, 'Pour Y')
      const mz = await tell(other, other.users.commercial, 'Pour Z')
      await sy.next(isEvent('notification'))
      await sz.next(isEvent('notification'))
      const ids = (s: typeof sx) => s.events.filter(isEvent('notification')).map((e) => ('event' in e ? e.data.id : null))
      expect(ids(sx)).toEqual([id])
      expect(ids(sy)).toEqual([my.id])
      expect(ids(sz)).toEqual([mz.id])

      // Reading it (a plain form post) updates the count on the open stream.
      await x.get('/notifications')
      const { res } = await x.post('/notifications', { intent: 'read', id: id! })
      expect(res.status).toBe(302)
      await sx.next(isEvent('unread', (d) => d.count === 0))
    } finally {
      await Promise.all([sx, sy, sz].map((s) => s.close()))
    }
  })

  it('sends a heartbeat and lets go of the listener when the browser goes away', async () => {
    const listener = notificationListener(app.rt.sql)
    const settle = async (n: number) => {
      const until = Date.now() + 5000
      while (listener.size() !== n && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
      return listener.size()
    }
    // The previous test's streams are let go of asynchronously, as the server sees them close.
    expect(await settle(0)).toBe(0)
    const before = 0
    process.env.ALFORIS_SSE_HEARTBEAT_MS = '200'
    const client = await app.login(w.emails.finance)
    const s = await openStream(client)
    try {
      await s.next(isEvent('unread'))
      expect(listener.size()).toBe(before + 1)
      await s.next((e) => 'comment' in e && e.comment === 'ping')
    } finally {
      delete process.env.ALFORIS_SSE_HEARTBEAT_MS
      await s.close()
    }
    expect(await settle(before)).toBe(before)
  })

  it('answers 401 without a session (no redirect for EventSource to follow)', async () => {
    const res = await app.client().request('/notifications/stream')
    expect(res.status).toBe(401)
  })
})

describe('the bell and /notifications without JavaScript', () => {
  it('shows the unread count on every page and lists, marks one and all read', async () => {
    const admin = await app.login(w.emails.admin)
    const a = await tell(w, w.users.admin, 'Relancer la Menuiserie Roche')
    await tell(w, w.users.admin, 'Envoyer le devis D-2026-0042')
    const { html } = await admin.get('/organisations')
    expect(html).toMatch(
      /<a[^>]*aria-label="Notifications, 2 non lues"[^>]*href="\/notifications"|<a[^>]*href="\/notifications"[^>]*aria-label="Notifications, 2 non lues"/,
    )

    const list = textOf((await admin.get('/notifications')).html)
    expect(list).toContain('Relancer la Menuiserie Roche')
    expect(list).toContain('Envoyer le devis D-2026-0042')
    expect(list).toContain('Non lues (2)')

    const { res } = await admin.post('/notifications', { intent: 'read', id: a.id!, back: '/notifications' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/notifications')
    expect((await admin.get('/notifications')).html).toContain('aria-label="Notifications, 1 non lue"')

    const all = await admin.post('/notifications', { intent: 'read-all', back: '/notifications?filtre=non-lues' })
    expect(all.res.headers.get('location')).toBe('/notifications?filtre=non-lues&lues=1')
    const after = textOf((await admin.get('/notifications?filtre=non-lues&lues=1')).html)
    expect(after).toContain('Toutes vos notifications sont marquées comme lues.')
    expect(after).toContain('Aucune notification non lue.')
    expect(after).toContain('Notifications, aucune non lue')
  })

  it('cannot mark another person’s notification read', async () => {
    const theirs = await tell(w, w.users.manager, 'Pour le manager')
    const rep = await app.login(w.emails.commercial)
    await rep.post('/notifications', { intent: 'read', id: theirs.id! })
    const row = await app.rt.db.selectFrom('notifications').select('read_at').where('id', '=', theirs.id!).executeTakeFirstOrThrow()
    expect(row.read_at).toBeNull()
    expect(textOf((await rep.get('/notifications')).html)).not.toContain('Pour le manager')
  })

  it('refuses a post without the CSRF token', async () => {
    const rep = await app.login(w.emails.commercial)
    const { res } = await rep.post('/notifications', { intent: 'read-all' }, { csrf: false })
    expect(res.status).toBe(403)
  })
})

describe('/settings/notifications', () => {
  it('saves each kind’s channels and notify then respects them', async () => {
    const finance = await app.login(w.emails.finance)
    const page = (await finance.get('/settings/notifications')).html
    expect(page).toMatch(/name="task_reminder_j1.email"[^>]*checked/)
    expect(page).toContain('aria-label="La veille de l’échéance d’une tâche (J-1) : Dans l’application"')
    const { res } = await finance.post('/settings/notifications', {
      'task_reminder_j1.email': 'on',
      'task_reminder_j0.in_app': 'on',
      'task_overdue_j1.email': 'on',
      'task_overdue_j1.in_app': 'on',
      'task_reminder_j0.push': 'on',
    })
    expect(res.headers.get('location')).toBe('/settings/notifications?enregistre=1')
    expect(textOf((await finance.get('/settings/notifications?enregistre=1')).html)).toContain('Préférences enregistrées.')
    const prefs = await preferencesFor(app.rt.db, w.users.finance)
    expect(prefs.task_reminder_j1).toEqual({ email: true, in_app: false, push: false })
    expect(prefs.task_reminder_j0).toEqual({ email: false, in_app: true, push: true })
    expect(prefs.task_assigned).toEqual({ email: false, in_app: false, push: false })
    const r = await notify(app.rt.db, { workspaceId: w.workspaceId, userId: w.users.finance, kind: 'task_reminder_j1', title: 'x', dedupKey: 'pref-test' })
    expect(r).toMatchObject({ created: false, reason: 'preference' })
  })
})

describe('/admin/mailbox', () => {
  let sentId: string
  let failedId: string
  let otherId: string
  beforeAll(async () => {
    const mk = async (ws: typeof w, title: string, key: string) =>
      (
        await enqueueEmail(app.rt.db, null, {
          workspaceId: ws.workspaceId,
          to: 'claire.roche@exemple.fr',
          template: 'task_reminder',
          idempotencyKey: key,
          props: {
            when: 'j1',
            recipientName: 'Claire',
            taskTitle: title,
            dueLabel: 'samedi 28 novembre 2026 à 10:00',
            relatedLabel: 'Menuiserie Roche',
            link: '/tasks/1',
          },
        })
      ).id
    sentId = await mk(w, 'Rappeler Mme Roche', 'mb:1')
    failedId = await mk(w, 'Envoyer le devis', 'mb:2')
    otherId = await mk(other, 'Secret d’une autre société', 'mb:3')
    await deliverEmail(app.rt.db, sentId, { resend: null })
    const refused = {
      async sendEmail(): Promise<{ id: string }> {
        throw new ResendError('Resend 422 invalid_from_address : Invalid `from` field.', 422, 'invalid_from_address', false)
      },
    }
    await deliverEmail(app.rt.db, failedId, { resend: refused })
  })

  it('is for admins only', async () => {
    const rep = await app.login(w.emails.commercial)
    expect((await rep.get('/admin/mailbox')).res.status).toBe(403)
    expect((await rep.get(`/admin/mailbox/${sentId}`)).res.status).toBe(403)
  })

  it('lists the workspace’s e-mails with their state, and only them', async () => {
    const admin = await app.login(w.emails.admin)
    const text = textOf((await admin.get('/admin/mailbox')).html)
    expect(text).toContain('Mode local : aucun e-mail ne quitte le serveur')
    expect(text).toContain('À faire demain : Rappeler Mme Roche')
    expect(text).toContain('À faire demain : Envoyer le devis')
    expect(text).not.toContain('Secret d’une autre société')
    const failedOnly = textOf((await admin.get('/admin/mailbox?etat=failed')).html)
    expect(failedOnly).toContain('Envoyer le devis')
    expect(failedOnly).not.toContain('Rappeler Mme Roche')
  })

  it('shows one e-mail: HTML in a sandboxed srcdoc frame, the text part, the error of a failure', async () => {
    const admin = await app.login(w.emails.admin)
    const { html } = await admin.get(`/admin/mailbox/${sentId}`)
    const frame = /<iframe[^>]*>/.exec(html)?.[0] ?? ''
    expect(frame).toContain('sandbox="allow-popups allow-popups-to-escape-sandbox"')
    expect(frame).toMatch(/srcDoc="[^"]*Rappeler Mme Roche/i)
    expect(frame).not.toContain('allow-scripts')
    expect(frame).not.toContain('allow-same-origin')
    const text = textOf(html)
    expect(text).toContain('Boîte locale')
    expect(text).toContain('Bonjour Claire,')

    const failed = textOf((await admin.get(`/admin/mailbox/${failedId}`)).html)
    // The provider's refusal, translated (the domain records a code with its status and message).
    expect(failed).toMatch(
      /role="alert"[^>]*><strong>Erreur :<\/strong> Le service d’envoi a refusé l’e-mail \(code 422\) : invalid_from_address : Invalid `from` field\./,
    )
    expect((await admin.get(`/admin/mailbox/${otherId}`)).res.status).toBe(404)
  })
})
