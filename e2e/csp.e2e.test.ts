import { randomUUID } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { createWorkflowCommand } from '../domain/workflows/workflow.commands.js'
import type { WorkflowDefinition } from '../domain/workflows/workflow.definition.js'
import { givenSalesHistory } from '../testing/dashboard-data.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, signIn } from './browser.js'

// The Content-Security-Policy in Chromium with JavaScript on (issue 12): what the app
// needs runs — hydration, Tremor charts, the service worker, the workflow canvas, blob
// workers, WebAssembly — with no violation reported; an injected inline script and
// eval() are blocked.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp(), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  await givenSalesHistory(app.rt.db, w)
  await app.rt.projector!.waitForCatchUp(60_000)
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

/** A page whose CSP violations (event and console report) are collected. */
async function watchedPage(context: BrowserContext): Promise<{ page: Page; violations: string[] }> {
  const violations: string[] = []
  await context.exposeFunction('__reportCsp', (v: string) => violations.push(v))
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      ;(window as unknown as { __reportCsp: (v: string) => void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)
    })
  })
  const page = await context.newPage()
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  return { page, violations }
}

describe('Content-Security-Policy in Chromium', () => {
  it('lets the dashboard, its charts and the service worker run without a single violation', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const { page, violations } = await watchedPage(context)
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)
    await page.locator('[data-chart] svg.recharts-surface').first().waitFor()
    // The service worker registered by root.tsx's nonce'd script takes control.
    const sw = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.ready
      return r.active?.scriptURL ?? null
    })
    expect(sw).toBe(`${app.url}/entry.worker.js`)
    // Hydrated: a client-side navigation works (React handles the link).
    await page.getByRole('link', { name: 'Affaires' }).first().click()
    await page.waitForURL(`${app.url}/deals`)
    await page.getByRole('heading', { level: 1, name: 'Affaires' }).waitFor()
    expect(violations).toEqual([])
    await context.close()
  })

  it('allows blob workers and WebAssembly (on-device OCR), blocks injected inline scripts and eval()', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' })
    const { page, violations } = await watchedPage(context)
    await page.goto(`${app.url}/login`)
    await page.getByLabel('Adresse e-mail').waitFor()
    const allowed = await page.evaluate(async () => {
      const worker = new Worker(URL.createObjectURL(new Blob(['postMessage(6 * 7)'], { type: 'text/javascript' })))
      const fromWorker = await new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)))
      worker.terminate()
      // The smallest valid module: "\0asm", version 1.
      const wasm = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))
      return { fromWorker, wasm: wasm instanceof WebAssembly.Module }
    })
    expect(allowed).toEqual({ fromWorker: 42, wasm: true })
    expect(violations).toEqual([])

    // page.evaluate itself runs with DevTools' privileges, so eval() is tried from a worker
    // (blob workers inherit the page's policy), as a page script would.
    const blocked = await page.evaluate(async () => {
      const s = document.createElement('script')
      s.textContent = 'window.__injected = true'
      document.head.appendChild(s)
      const source = "let r = 'blocked'; try { eval('1'); r = 'ran' } catch {} postMessage(r)"
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })))
      const evalInWorker = await new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)))
      worker.terminate()
      return { injected: (window as unknown as { __injected?: boolean }).__injected === true, evalInWorker }
    })
    expect(blocked).toEqual({ injected: false, evalInWorker: 'blocked' })
    await expect.poll(() => violations.length).toBeGreaterThanOrEqual(1)
    await context.close()
  })

  it('reports no violation on any main page, signed in with JavaScript on', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const { page, violations } = await watchedPage(context)
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    const pages = [
      '/organisations',
      '/organisations/new',
      '/contacts',
      '/deals',
      '/deals/new',
      '/pipeline',
      '/activities',
      '/tasks',
      '/tasks/board',
      '/tasks/calendar',
    ]
    pages.push('/quotes', '/quotes/new', '/products', '/workflows', '/workflows/new', '/workflows/templates', '/import', '/settings/company')
    pages.push('/settings/notifications', '/settings/calendar', '/notifications', '/search?q=a', '/goals', '/offline')
    const seen: string[] = []
    for (const path of pages) {
      const before = violations.length
      await page.goto(`${app.url}${path}`)
      await page.waitForLoadState('networkidle')
      if (violations.length > before) seen.push(`${path}: ${violations.slice(before).join(' | ')}`)
    }
    expect(seen).toEqual([])
    await context.close()
  })

  it('draws the workflow canvas without a violation', async () => {
    const id = randomUUID()
    const draft: WorkflowDefinition = {
      trigger: { kind: 'deal.created' },
      conditions: null,
      start: 'tache-1',
      layout: {},
      steps: [
        { id: 'tache-1', type: 'create_task', title: 'Qualifier', description: '', assignee: { kind: 'owner' }, dueInDays: 1, priority: 'normal', next: null },
      ],
    }
    await createWorkflowCommand(app.rt.db, w.ctx(w.users.manager), { id, name: 'Nouvelle affaire', draft })
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const { page, violations } = await watchedPage(context)
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)
    await page.goto(`${app.url}/workflows/${id}`)
    await expect.poll(() => page.getByTestId('workflow-canvas').locator('.react-flow__node').count()).toBe(2)
    expect(violations).toEqual([])
    await context.close()
  })
})
