/// <reference lib="WebWorker" />
/**
 * Alforis CRM's service worker. `@remix-pwa/dev` bundles this file into
 * `build/client/entry.worker.js`; `@remix-pwa/worker-runtime` owns the `fetch` event and
 * hands every request to `defaultFetchHandler` below.
 *
 * What it keeps, in one versioned cache (`alforis-shell-<hash of the built assets>`):
 * the built JS/CSS under /assets (content-hashed, so cache-first), the icons, the
 * favicon, the web manifest and the offline page. Nothing else, ever: a CRM is opened on
 * shared phones, so no page, `.data` response, action or /healthz answer is stored — what
 * a signed-in person saw must not be readable from the cache after they leave.
 * `Set-Cookie` is invisible to a service worker (a forbidden response header), hence an
 * allowlist of URLs rather than a check on responses, plus a refusal of anything marked
 * `private`/`no-store`, and the offline page fetched without cookies.
 *
 * Navigations go to the network; when it fails, the browser is redirected to /offline,
 * served from the cache (at its own URL: Remix reloads a page whose HTML was rendered for
 * another URL). A client-side navigation whose `.data` request fails sends the tab there too.
 */
import type { DefaultFetchHandler } from '@remix-pwa/sw'
import './sw/push'
import { isOcrAsset, OCR_CACHE, ocrFetch } from './sw/precache-ocr'
import { replayQueue, SYNC_TAG } from './offline/replay'

export {}

declare let self: ServiceWorkerGlobalScope & {
  /** Set by @remix-pwa/worker-runtime: every file of build/client at build time. */
  __workerManifest?: { assets: string[] }
}

const CACHE_PREFIX = 'alforis-shell-'
const OFFLINE_PATH = '/offline'
const MANIFEST_PATH = '/manifest.webmanifest'

/** Static files worth keeping: the content-hashed bundle, icons and favicon. */
const isShellAsset = (pathname: string) =>
  (pathname.startsWith('/assets/') && !pathname.endsWith('.map')) || /^\/icons\/[\w.-]+\.png$/.test(pathname) || pathname === '/favicon.svg'

let cacheNameMemo: string | undefined
/**
 * The cache of this build. Asset file names carry content hashes, so their list changes
 * with every client change: a new deploy gets a new worker (its text embeds the list) and
 * a new cache, and `activate` drops the old one.
 */
function cacheName(): string {
  if (!cacheNameMemo) {
    let h = 0x811c9dc5 // FNV-1a over the sorted asset list
    for (const c of shellAssets().join('\n')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0
    cacheNameMemo = CACHE_PREFIX + h.toString(36)
  }
  return cacheNameMemo
}

/**
 * Extra public files to precache with the shell (e.g. the card-scan language data): other
 * modules append to this list. Never a signed-in page or data.
 */
export const EXTRA_PRECACHE: string[] = []

const shellAssets = () => [...(self.__workerManifest?.assets ?? []).filter(isShellAsset), ...EXTRA_PRECACHE].sort()

/** Only plain 200s from our origin that don't say they are private. */
function isCacheable(res: Response): boolean {
  return res.status === 200 && res.type === 'basic' && !/\b(private|no-store)\b/i.test(res.headers.get('Cache-Control') ?? '')
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName())
      // All or nothing, like cache.addAll: a worker without its offline page must not
      // take over. No cookies: the cached offline page is the signed-out one, with nobody's
      // name or token in it.
      const urls = [OFFLINE_PATH, MANIFEST_PATH, ...shellAssets()]
      const responses = await Promise.all(
        urls.map(async (url) => {
          // Hashed assets may come from the HTTP cache; the rest is revalidated.
          const res = await fetch(new Request(url, { credentials: 'omit', cache: url.startsWith('/assets/') ? 'default' : 'no-cache' }))
          if (!isCacheable(res)) throw new Error(`precache: ${url} answered ${res.status}`)
          return [url, res] as const
        }),
      )
      await Promise.all(responses.map(([url, res]) => cache.put(url, res)))
      await self.skipWaiting()
    })(),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const current = cacheName()
      // Every other cache goes: older builds' shells, and anything else ever stored here.
      await Promise.all((await caches.keys()).filter((key) => key !== current && key !== OCR_CACHE).map((key) => caches.delete(key)))
      await self.clients.claim()
    })(),
  )
})

export const defaultFetchHandler: DefaultFetchHandler = async ({ request, context }) => {
  const url = new URL(request.url)
  // Actions (POST…), other origins: untouched.
  if (request.method !== 'GET' || url.origin !== self.location.origin) return fetch(request)
  if (request.mode === 'navigate') return navigate(request, url)
  if (isShellAsset(url.pathname)) return cacheFirst(request)
  if (isOcrAsset(url.pathname)) return ocrFetch(request)
  if (url.pathname === MANIFEST_PATH) return networkFirst(request)
  if (url.pathname.endsWith('.data')) return singleFetch(request, url, context.event)
  return fetch(request) // /healthz, /__manifest, resource routes…: network only
}

async function fromCache(request: Request | string, options?: CacheQueryOptions): Promise<Response | undefined> {
  return (await caches.open(cacheName())).match(request, { ignoreVary: true, ...options })
}

async function cacheFirst(request: Request): Promise<Response> {
  const hit = await fromCache(request)
  if (hit) return hit
  const res = await fetch(request)
  if (isCacheable(res)) {
    const copy = res.clone()
    await caches.open(cacheName()).then((cache) => cache.put(request, copy))
  }
  return res
}

async function networkFirst(request: Request): Promise<Response> {
  try {
    return await fetch(request)
  } catch (error) {
    const hit = await fromCache(request)
    if (hit) return hit
    throw error
  }
}

/** `/offline?from=<where the person was going>` (read by the page's retry link). */
const offlineUrl = (from: string) => `${OFFLINE_PATH}?${new URLSearchParams({ from })}`

async function navigate(request: Request, url: URL): Promise<Response> {
  try {
    return await fetch(request) // never stored: pages carry the signed-in person's data
  } catch (error) {
    if (url.pathname === OFFLINE_PATH) {
      const page = await fromCache(OFFLINE_PATH, { ignoreSearch: true })
      if (page) return page
      throw error
    }
    return Response.redirect(new URL(offlineUrl(url.pathname + url.search), url).href, 302)
  }
}

/**
 * A Remix single-fetch request (client-side navigation, revalidation, fetcher): never
 * cached. When the network is gone, the tab is sent to the offline page instead of
 * Remix's error screen.
 */
async function singleFetch(request: Request, url: URL, event: FetchEvent): Promise<Response> {
  try {
    return await fetch(request)
  } catch (error) {
    const client = event.clientId ? await self.clients.get(event.clientId) : undefined
    if (client && 'navigate' in client && new URL(client.url).pathname !== OFFLINE_PATH) {
      const page = url.pathname === '/_root.data' ? '/' : url.pathname.replace(/\.data$/, '')
      const params = new URLSearchParams(url.search)
      params.delete('_routes')
      const search = params.toString() ? `?${params}` : ''
      event.waitUntil((client as WindowClient).navigate(offlineUrl(page + search)).catch(() => undefined))
    }
    throw error
  }
}

// ---------------------------------------------------------------------------------------
// Offline write queue (app/offline/): Background Sync replays it when the network is back,
// even with every tab closed. Pages also replay on `online`, focus and visibility.

type SyncEvent = ExtendableEvent & { tag: string }
self.addEventListener(
  'sync' as keyof ServiceWorkerGlobalScopeEventMap,
  ((event: SyncEvent) => {
    if (event.tag === SYNC_TAG) event.waitUntil(replayQueue().then(() => undefined))
  }) as EventListener,
)

// ---------------------------------------------------------------------------------------
// Push notifications, share targets…: their listeners go below, one section each.
