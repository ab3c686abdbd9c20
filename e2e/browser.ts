import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

// Debian's chromium driven by playwright-core: no browser download, flags that keep it
// quiet and offline.
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
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
 * axe-core's serious and critical violations on the page at `url`. Runs in a
 * JavaScript-enabled context; `withAppScripts: false` blocks the app's own scripts so
 * axe sees exactly what a browser without JavaScript renders.
 */
export async function seriousA11yViolations(context: BrowserContext, url: string, opts: { withAppScripts: boolean }): Promise<AxeViolation[]> {
  const page = await context.newPage()
  try {
    if (!opts.withAppScripts) await page.route(/\.js(\?|$)/, (route) => route.abort())
    await page.goto(url)
    if (opts.withAppScripts) await page.waitForLoadState('networkidle')
    await page.addScriptTag({ content: axeSource })
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
