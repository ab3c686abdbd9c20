import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

// The installable PWA through the built app (`npm run build` first): manifest and icons,
// the service worker (app/entry.worker.ts) and the offline page, in real Chromium.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp(), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Transports Garnier')
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG')
  const view = new DataView(bytes.buffer, bytes.byteOffset)
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

/** Waits until the service worker is activated and controls the page; returns its registration. */
async function controlledBy(page: Page) {
  return page.evaluate(async () => {
    const r = await navigator.serviceWorker.ready
    const sw = r.active!
    if (sw.state !== 'activated') await new Promise((resolve) => sw.addEventListener('statechange', () => sw.state === 'activated' && resolve(null)))
    if (!navigator.serviceWorker.controller)
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }))
    return { state: sw.state, scope: r.scope, scriptURL: sw.scriptURL }
  })
}

/** Every cache of the origin, with the paths (and search) of what it holds. */
function cacheContents(page: Page) {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {}
    for (const name of await caches.keys()) {
      const cache = await caches.open(name)
      out[name] = (await cache.keys()).map((r) => new URL(r.url).pathname + new URL(r.url).search)
    }
    return out
  })
}

const SHELL_PATH = /^(\/assets\/[\w.-]+\.(js|css)|\/icons\/[\w-]+\.png|\/favicon\.svg|\/manifest\.webmanifest|\/offline)$/

async function jsContext(opts: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR', ...opts })
  context.setDefaultTimeout(15_000)
  return context
}

describe('web app manifest', () => {
  it('is served as application/manifest+json with the install fields', async () => {
    const res = await app.client().request('/manifest.webmanifest')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/)
    expect(res.headers.getSetCookie()).toEqual([])
    const m = await res.json()
    expect(m).toMatchObject({
      name: 'Alforis CRM',
      short_name: 'Alforis',
      lang: 'fr',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: '#4338ca',
      background_color: '#f8fafc',
    })
    const purposes = (m.icons as { sizes: string; purpose: string }[]).map((i) => `${i.sizes} ${i.purpose}`)
    expect(purposes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '192x192 maskable', '512x512 maskable']))
  })

  it('lists icons that load as PNGs of the announced size, and the apple-touch-icon too', async () => {
    const m = await (await app.client().request('/manifest.webmanifest')).json()
    const icons = [...(m.icons as { src: string; sizes: string; type: string }[]), { src: '/icons/apple-touch-icon.png', sizes: '180x180', type: 'image/png' }]
    for (const icon of icons) {
      const res = await app.client().request(icon.src)
      expect({ src: icon.src, status: res.status, type: res.headers.get('content-type') }).toEqual({ src: icon.src, status: 200, type: 'image/png' })
      expect(icon.type).toBe('image/png')
      const { width, height } = pngSize(new Uint8Array(await res.arrayBuffer()))
      expect(`${width}x${height}`).toBe(icon.sizes)
    }
  })

  it('is linked from every page with rel="manifest", a theme colour and an apple-touch-icon', async () => {
    const { html } = await app.client().get('/login')
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"/>')
    expect(html).not.toContain('rel="webmanifest"')
    expect(html).toContain('<meta name="theme-color" content="#4338ca"/>')
    expect(html).toContain('<link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>')
  })

  it('has an offline page that is public and sets no cookie', async () => {
    const { res, html } = await app.client().get('/offline')
    expect(res.status).toBe(200)
    expect(res.headers.getSetCookie()).toEqual([])
    expect(html).toContain('Vous êtes hors ligne')
  })
})

describe('installability', () => {
  it('meets Chromium’s install criteria (no installability error besides the test profile being incognito)', async () => {
    const context = await jsContext()
    const page = await context.newPage()
    await page.goto(`${app.url}/login`)
    await controlledBy(page)
    const cdp = await context.newCDPSession(page)
    const { errors } = (await cdp.send('Page.getAppManifest')) as { errors: { message: string }[] }
    expect(errors).toEqual([])
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] }
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([])
    await context.close()
  })
})

describe('service worker', () => {
  it('registers, activates, precaches the shell and drops caches of older builds', async () => {
    const context = await jsContext()
    const page = await context.newPage()
    // A cache left by a previous deploy (the manifest is JSON: no page script registers the worker yet).
    await page.goto(`${app.url}/manifest.webmanifest`)
    await page.evaluate(async () => (await caches.open('alforis-shell-ancien')).put('/assets/ancien.js', new Response('old')))

    await page.goto(`${app.url}/login`)
    const reg = await controlledBy(page)
    expect(reg).toEqual({ state: 'activated', scope: `${app.url}/`, scriptURL: `${app.url}/entry.worker.js` })

    const contents = await cacheContents(page)
    // The shell, and the card scan's OCR files in a cache of their own (app/sw/precache-ocr.ts).
    const names = Object.keys(contents).filter((n) => !n.startsWith('alforis-ocr-'))
    expect(names).toHaveLength(1)
    expect(names[0]).toMatch(/^alforis-shell-[0-9a-z]+$/)
    const cached = contents[names[0]]
    expect(cached.filter((p) => !SHELL_PATH.test(p))).toEqual([])
    // Everything the page itself loads from /assets is there, plus the offline page and the manifest.
    const pageAssets = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLLinkElement | HTMLScriptElement>('link[rel=stylesheet], link[rel=modulepreload], script[src]')]
        .map((e) => new URL('href' in e ? e.href : e.src).pathname)
        .filter((p) => p.startsWith('/assets/')),
    )
    expect(pageAssets.length).toBeGreaterThan(2)
    expect(cached).toEqual(expect.arrayContaining([...pageAssets, '/offline', '/manifest.webmanifest', '/icons/icon-192.png']))
    await context.close()
  })

  it('never stores pages, .data responses, actions or /healthz, and keeps nobody’s data in its offline page', async () => {
    const context = await jsContext()
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await controlledBy(page)
    // Document navigations, client-side navigations (.data), /healthz, a POST.
    await page.goto(`${app.url}/organisations`)
    await page.getByRole('heading', { level: 1, name: 'Organisations' }).waitFor()
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Affaires' }).click()
    await page.waitForURL(`${app.url}/deals`)
    await page.getByRole('heading', { level: 1, name: 'Affaires' }).waitFor()
    await page.evaluate(async () => {
      await fetch('/healthz')
      await fetch('/login', { method: 'POST', body: new URLSearchParams({ email: 'x', password: 'y' }) })
    })

    const [cached] = Object.entries(await cacheContents(page))
      .filter(([name]) => name.startsWith('alforis-shell-'))
      .map(([, paths]) => paths)
    expect(cached.filter((p) => !SHELL_PATH.test(p))).toEqual([])
    const offline = await page.evaluate(async () => await (await caches.match('/offline'))!.text())
    expect(offline).toContain('Vous êtes hors ligne')
    const csrf = await page.locator('input[name=csrf]').first().inputValue()
    expect(offline).not.toContain('Transports Garnier') // the workspace name, in the signed-in root data
    expect(offline).not.toContain(csrf)
    expect(offline).not.toContain('name="csrf"') // no app shell (its logout form carries the token)
    await context.close()
  })
})

describe('offline', () => {
  it('shows the French offline page when navigating without network, on a phone', async () => {
    const context = await jsContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await controlledBy(page)

    await context.setOffline(true)
    await page.goto(`${app.url}/organisations?q=garage`)
    expect(new URL(page.url()).pathname).toBe('/offline')
    expect(new URL(page.url()).searchParams.get('from')).toBe('/organisations?q=garage')
    await page.getByRole('heading', { level: 1, name: 'Vous êtes hors ligne' }).waitFor()
    expect(await page.locator('main').textContent()).toContain('Ce qui fonctionne encore')
    // Hydrated from the cache: the retry link leads back to the page asked for.
    const retry = page.getByRole('link', { name: 'Réessayer' })
    await expect.poll(() => retry.getAttribute('href')).toBe('/organisations?q=garage')
    // Nothing overflows a 375 px screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await screenshot(page, 'offline-phone')
    expect(await seriousA11yViolations(context, page.url(), { withAppScripts: true })).toEqual([])

    // Back online, the page goes back to where the person was going.
    await context.setOffline(false)
    await page.waitForURL(`${app.url}/organisations?q=garage`)
    await page.getByRole('heading', { level: 1, name: 'Organisations' }).waitFor()
    await context.close()
  })

  it('sends a client-side navigation that fails for lack of network to the offline page', async () => {
    const context = await jsContext()
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)
    await controlledBy(page)
    await page.waitForLoadState('networkidle')

    await context.setOffline(true)
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Affaires' }).click()
    await page.waitForURL((url) => url.pathname === '/offline')
    expect(new URL(page.url()).searchParams.get('from')).toBe('/deals')
    await page.getByRole('heading', { level: 1, name: 'Vous êtes hors ligne' }).waitFor()
    await context.close()
  })
})
