import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

// Debian's chromium driven by playwright-core: no browser download, flags that keep it
// quiet and offline.
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots')

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** Signs in through the login form, the way a person does (works with JavaScript off). */
export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/`)
  await page.waitForURL(/\/login/)
  await page.getByLabel('Adresse e-mail').fill(email)
  await page.getByLabel('Mot de passe').fill(password)
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.getByRole('button', { name: 'Se connecter' }).click()])
  // With JavaScript the URL changes before the new page has rendered.
  await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
}

const axeSource = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../node_modules/axe-core/axe.min.js'), 'utf8')

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/**
 * axe-core's serious and critical violations on the page at `url`, as `context`'s user
 * (its cookies). `withAppScripts: true` waits for the app to hydrate; `withAppScripts:
 * false` opens the page in a context created with `javaScriptEnabled: false`, as a
 * browser without JavaScript renders it: inline scripts never run and `<noscript>`
 * content is shown — and checked: axe always treats `<noscript>` as hidden, so its
 * content is put in its place before the run.
 */
// One JS-off twin per context and signed-in state: building it (a probe page for the locale
// and window size, then a new context) cost more than the axe run itself, and the a11y checks
// call it page after page for the same user.
const twins = new WeakMap<BrowserContext, { state: string; twin: BrowserContext }>()

async function jsOffTwin(context: BrowserContext): Promise<BrowserContext> {
  const storageState = await context.storageState()
  const state = JSON.stringify(storageState)
  const known = twins.get(context)
  if (known?.state === state) return known.twin
  await known?.twin.close()
  // The same user, language and window size, JavaScript off.
  const probe = await context.newPage()
  const locale = await probe.evaluate(() => navigator.language)
  const viewport = probe.viewportSize()
  await probe.close()
  const twin = await context.browser()!.newContext({ javaScriptEnabled: false, storageState, locale, viewport })
  twins.set(context, { state, twin })
  context.once('close', () => void twin.close().catch(() => {}))
  return twin
}

export async function seriousA11yViolations(context: BrowserContext, url: string, opts: { withAppScripts: boolean }): Promise<AxeViolation[]> {
  const noJs = opts.withAppScripts ? null : await jsOffTwin(context)
  const page = await (noJs ?? context).newPage()
  try {
    await page.goto(url)
    if (opts.withAppScripts) {
      await page.waitForLoadState('networkidle')
      // Evaluated, not added as a <script>: the app's CSP refuses inline scripts without its nonce.
      await page.evaluate(axeSource)
    } else {
      // Playwright still evaluates with the page's scripts off, but timers never fire
      // there: axe's few setTimeout calls run as microtasks instead.
      await page.evaluate(() => {
        for (const n of [...document.querySelectorAll('noscript')]) n.replaceWith(...n.childNodes)
        const w = window as unknown as { setTimeout: unknown; clearTimeout: unknown }
        w.setTimeout = (fn: (...a: unknown[]) => void, _ms?: number, ...args: unknown[]) => {
          void Promise.resolve().then(() => fn(...args))
          return 0
        }
        w.clearTimeout = () => {}
      })
      await page.evaluate(axeSource)
    }
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe
      const r = await axe.run(document, { resultTypes: ['violations'] })
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }))
    })
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  } finally {
    await page.close()
  }
}
