import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { givenWorkspace } from '../../testing/fixtures.js'
import { startTestRuntime } from '../../testing/test-runtime.js'
import type { NotificationSignal } from './kinds.js'
import { notificationListener } from './notification-listener.js'
import { listNotifications, markRead, notify, unreadCount } from './notify.js'
import { preferencesFor, setPreferences } from './preferences.js'
import { tellUser } from './tell-user.js'

let rt: Awaited<ReturnType<typeof startTestRuntime>>
let w: Awaited<ReturnType<typeof givenWorkspace>>
let other: Awaited<ReturnType<typeof givenWorkspace>>
beforeAll(async () => {
  rt = await startTestRuntime()
  w = await givenWorkspace(rt.db)
  other = await givenWorkspace(rt.db, 'Autre société')
})
afterAll(async () => {
  await rt?.stop()
})

const reminder = (userId: string, dedupKey: string | null = `task_reminder_j1:${Math.random()}`) => ({
  workspaceId: w.workspaceId,
  userId,
  kind: 'task_reminder_j1' as const,
  title: 'Rappeler Mme Roche demain',
  body: 'Devis cuisine',
  link: '/tasks/1',
  dedupKey,
})

describe('notify', () => {
  it('creates a notification once per user and dedup key', async () => {
    const first = await notify(rt.db, reminder(w.users.commercial, 'task_reminder_j1:t1:2026-11-28'))
    const again = await notify(rt.db, reminder(w.users.commercial, 'task_reminder_j1:t1:2026-11-28'))
    expect(first.created).toBe(true)
    expect(again).toEqual({ created: false, id: first.id, reason: 'duplicate' })
    // The same key for another person is that person's notification.
    expect((await notify(rt.db, reminder(w.users.manager, 'task_reminder_j1:t1:2026-11-28'))).created).toBe(true)
    const rows = await listNotifications(rt.db, { workspaceId: w.workspaceId, userId: w.users.commercial })
    expect(rows.filter((r) => r.dedup_key === 'task_reminder_j1:t1:2026-11-28')).toHaveLength(1)
  })

  it('skips a kind the user turned off in-app, and only that kind', async () => {
    await setPreferences(rt.db, { workspaceId: w.workspaceId, userId: w.users.finance, preferences: { task_reminder_j1: { email: true, in_app: false } } })
    expect(await notify(rt.db, reminder(w.users.finance))).toEqual({ created: false, id: null, reason: 'preference' })
    expect((await notify(rt.db, { ...reminder(w.users.finance), kind: 'task_reminder_j0' })).created).toBe(true)
    const prefs = await preferencesFor(rt.db, w.users.finance)
    // push not given: the kind's default (off the day before, on the day itself).
    expect(prefs.task_reminder_j1).toEqual({ email: true, in_app: false, push: false })
    expect(prefs.task_reminder_j0).toEqual({ email: true, in_app: true, push: true })
  })

  it('never notifies a user of another workspace', async () => {
    expect(await notify(rt.db, reminder(other.users.commercial))).toEqual({ created: false, id: null, reason: 'unknown_user' })
  })

  it('refuses a link to another site', async () => {
    await expect(notify(rt.db, { ...reminder(w.users.admin), link: 'https://evil.example/' })).rejects.toThrow(/app path/)
    await expect(notify(rt.db, { ...reminder(w.users.admin), link: '//evil.example/' })).rejects.toThrow(/app path/)
  })

  it('counts unread and marks one, then all, read', async () => {
    const u = w.users.manager
    const a = await notify(rt.db, reminder(u))
    await notify(rt.db, reminder(u))
    const before = await unreadCount(rt.db, w.workspaceId, u)
    expect(await markRead(rt.db, { workspaceId: w.workspaceId, userId: u, ids: [a.id!] })).toBe(1)
    expect(await unreadCount(rt.db, w.workspaceId, u)).toBe(before - 1)
    // Another user's notification id changes nothing.
    const theirs = await notify(rt.db, reminder(w.users.admin))
    expect(await markRead(rt.db, { workspaceId: w.workspaceId, userId: u, ids: [theirs.id!] })).toBe(0)
    expect(await markRead(rt.db, { workspaceId: w.workspaceId, userId: u })).toBe(before - 1)
    expect(await unreadCount(rt.db, w.workspaceId, u)).toBe(0)
    expect(await unreadCount(rt.db, w.workspaceId, w.users.admin)).toBeGreaterThan(0)
  })
})

describe('the notification listener', () => {
  it('hears a notification for its user at commit, and nobody else’s', async () => {
    const listener = notificationListener(rt.sql)
    const got: NotificationSignal[] = []
    const gotOther: NotificationSignal[] = []
    const off = await listener.subscribe(w.workspaceId, w.users.commercial, (s) => got.push(s))
    const offOther = await listener.subscribe(other.workspaceId, other.users.commercial, (s) => gotOther.push(s))
    try {
      let resolve!: () => void
      const arrived = new Promise<void>((r) => {
        resolve = r
      })
      const off2 = await listener.subscribe(w.workspaceId, w.users.commercial, () => resolve())
      await notify(rt.db, reminder(w.users.manager))
      const { id } = await notify(rt.db, reminder(w.users.commercial))
      await arrived
      off2()
      expect(got).toEqual([{ type: 'created', workspaceId: w.workspaceId, userId: w.users.commercial, id }])
      expect(gotOther).toEqual([])
    } finally {
      off()
      offOther()
    }
  })

  it('hears nothing from a transaction that rolled back', async () => {
    const listener = notificationListener(rt.sql)
    const got: NotificationSignal[] = []
    const off = await listener.subscribe(w.workspaceId, w.users.admin, (s) => got.push(s))
    await rt.db
      .transaction()
      .execute(async (trx) => {
        await notify(trx, reminder(w.users.admin))
        throw new Error('rollback')
      })
      .catch(() => {})
    // A marker after it: once it arrives, the rolled-back one would have too.
    let resolve!: () => void
    const marker = new Promise<void>((r) => {
      resolve = r
    })
    const off2 = await listener.subscribe(w.workspaceId, w.users.admin, () => resolve())
    const m = await notify(rt.db, reminder(w.users.admin))
    await marker
    off()
    off2()
    expect(got.map((s) => s.type === 'created' && s.id)).toEqual([m.id])
  })
})

describe('tellUser', () => {
  it('uses the channels the user chose for the kind', async () => {
    const u = w.users.commercial
    await setPreferences(rt.db, { workspaceId: w.workspaceId, userId: u, preferences: { task_overdue_j1: { email: true, in_app: false } } })
    const r = await tellUser(rt.db, null, {
      workspaceId: w.workspaceId,
      userId: u,
      kind: 'task_overdue_j1',
      title: 'Tâche en retard',
      link: '/tasks/9',
      dedupKey: 'task_overdue_j1:t9',
    })
    expect(r.inApp).toBeNull()
    expect(r.email?.created).toBe(true)
    const again = await tellUser(rt.db, null, {
      workspaceId: w.workspaceId,
      userId: u,
      kind: 'task_overdue_j1',
      title: 'Tâche en retard',
      link: '/tasks/9',
      dedupKey: 'task_overdue_j1:t9',
    })
    expect(again.email).toEqual({ id: r.email!.id, created: false })
    const mail = await rt.db.selectFrom('outbound_emails').selectAll().where('id', '=', r.email!.id).executeTakeFirstOrThrow()
    expect(mail).toMatchObject({ to: w.emails.commercial, subject: 'Tâche en retard', template: 'notification', status: 'queued' })

    // task_assigned: in-app only by default.
    const a = await tellUser(rt.db, null, {
      workspaceId: w.workspaceId,
      userId: u,
      kind: 'task_assigned',
      title: 'Nouvelle tâche',
      link: '/tasks/10',
      dedupKey: 'task_assigned:t10',
      email: { template: 'task_assigned', props: { recipientName: 'Claire', assignedBy: 'Marc', taskTitle: 'Relancer', link: '/tasks/10' } },
    })
    expect(a.inApp?.created).toBe(true)
    expect(a.email).toBeNull()
  })
})
