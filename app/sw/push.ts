/// <reference lib="WebWorker" />
// Web Push in the service worker (imported by app/entry.worker.ts): shows what the server
// sent (domain/notifications/push-send.ts, PushMessage) and opens its page when tapped.
// Only an app path is ever opened, whatever the payload says.

export {}

declare let self: ServiceWorkerGlobalScope

type PushPayload = { title?: string; body?: string | null; link?: string | null; tag?: string | null }

const appPath = (p: unknown): string => (typeof p === 'string' && p.startsWith('/') && !p.startsWith('//') && !p.startsWith('/\\') ? p : '/notifications')

self.addEventListener('push', (event) => {
  let data: PushPayload = {}
  try {
    data = (event.data?.json() ?? {}) as PushPayload
  } catch {
    data = { title: event.data?.text() }
  }
  event.waitUntil(
    self.registration.showNotification(data.title || 'Alforis CRM', {
      body: data.body ?? undefined,
      tag: data.tag ?? undefined,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      lang: 'fr',
      data: { link: appPath(data.link) },
    }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const link = appPath((event.notification.data as { link?: string } | null)?.link)
  event.waitUntil(
    (async () => {
      const url = new URL(link, self.location.origin).href
      const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true })
      const tab = open.find((c) => new URL(c.url).origin === self.location.origin) as WindowClient | undefined
      if (tab) {
        await tab.focus()
        await tab.navigate(url).catch(() => undefined)
      } else await self.clients.openWindow(url)
    })(),
  )
})
