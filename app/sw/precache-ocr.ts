/// <reference lib="WebWorker" />
// The card scan's OCR files (worker, WebAssembly core for this browser, French and
// English data — app/components/card-scan-assets.ts) in a cache of their own, filled at
// install and served cache-first: a card can be read offline. Its name carries the OCR
// version, so a new tesseract.js replaces it; entry.worker.ts keeps it at activate.
// A failed precache does not stop the worker installing: the scan then fetches online.

import { OCR_BASE, OCR_VERSION, ocrUrls } from '../components/card-scan-assets'

declare let self: ServiceWorkerGlobalScope

export const OCR_CACHE = `alforis-ocr-${OCR_VERSION}`

export const isOcrAsset = (pathname: string) => pathname.startsWith(`${OCR_BASE}/`)

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(OCR_CACHE)
      const missing = []
      for (const url of ocrUrls()) if (!(await cache.match(url))) missing.push(url)
      await cache.addAll(missing)
    })().catch(() => undefined),
  )
})

/** Cache-first for the OCR files (immutable under their versioned URLs). */
export async function ocrFetch(request: Request): Promise<Response> {
  const cache = await caches.open(OCR_CACHE)
  const hit = await cache.match(request, { ignoreVary: true })
  if (hit) return hit
  const res = await fetch(request)
  if (res.status === 200) await cache.put(request, res.clone())
  return res
}
