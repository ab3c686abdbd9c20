import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, SCREENSHOTS, seriousA11yViolations, signIn } from './browser.js'

// The top bar from 768 to 1440 px: every entry on one line, nothing overlapping, the
// "Plus" and account menus opening without JavaScript; the phone tab bar at 375 px.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const WIDTHS = [768, 1024, 1280, 1366, 1440]
// The window as seen (the tab bar where it sits), not the whole page.
async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })
}
const mainNav = (page: Page) => page.getByRole('banner').getByRole('navigation', { name: 'Navigation principale' })

/** The top bar's layout: its items' boxes, and whether anything overflows or wraps. */
async function barLayout(page: Page) {
  return page.evaluate(() => {
    const bar = document.querySelector('header > div') as HTMLElement
    const box = (el: Element) => {
      const r = el.getBoundingClientRect()
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width }
    }
    // Visible items only (not the bell's screen-reader live region).
    const items = [...bar.children]
      .filter((el) => (el as HTMLElement).offsetParent !== null && box(el).width > 1 && getComputedStyle(el).position !== 'absolute')
      .map((el) => ({ tag: el.tagName.toLowerCase(), ...box(el) }))
    const links = [...bar.querySelectorAll('nav > ul > li > a, nav > ul > li > details > summary')].map((el) => ({
      text: (el.textContent ?? '').trim(),
      ...box(el),
    }))
    return { barHeight: box(bar).bottom - box(bar).top, overflow: bar.scrollWidth - bar.clientWidth, viewport: window.innerWidth, items, links }
  })
}

describe('the top bar on a laptop, JavaScript off', () => {
  it('fits on one line from 768 to 1440 px, words from 1280 px, nothing overlapping', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 })
      const layout = await barLayout(page)
      expect(layout.barHeight, `${width} px`).toBe(56)
      expect(layout.overflow, `${width} px`).toBeLessThanOrEqual(0)
      // Logo, navigation, search, bell, account menu: side by side, within the window.
      for (let i = 1; i < layout.items.length; i++)
        expect(layout.items[i].left, `${width} px: ${layout.items[i].tag} after ${layout.items[i - 1].tag}`).toBeGreaterThanOrEqual(layout.items[i - 1].right)
      expect(layout.items.at(-1)!.right).toBeLessThanOrEqual(width)
      // One line of entries, none cut.
      expect(layout.links.map((l) => l.text)).toEqual(['Tableau de bord', 'Organisations', 'Contacts', 'Affaires', 'Pipeline', 'Tâches', 'Devis', 'Plus'])
      for (const l of layout.links) expect(l.top, `${width} px: ${l.text}`).toBe(layout.links[0].top)
      const words = await mainNav(page)
        .getByRole('link', { name: 'Affaires' })
        .locator('span')
        .evaluate((el) => getComputedStyle(el).position !== 'absolute')
      expect(words, `${width} px: words shown`).toBe(width >= 1280)
      // The search box has room from 768 px.
      expect(await page.getByRole('search').getByLabel('Rechercher dans le CRM').isVisible()).toBe(true)
      expect((await page.getByRole('search').boundingBox())!.width).toBeGreaterThanOrEqual(128)
      await screenshot(page, `top-bar-${width}`)
    }
    await context.close()
  })

  it('opens "Plus" without JavaScript and reaches the import', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1024, height: 800 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)
    const link = mainNav(page).getByRole('link', { name: 'Importer' })
    expect(await link.isVisible()).toBe(false)
    await mainNav(page).locator('summary', { hasText: 'Plus' }).click()
    await screenshot(page, 'top-bar-1024-plus')
    await Promise.all([page.waitForURL(`${app.url}/import`), link.click()])
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Import/)
    await context.close()
  })

  it('lists in the account menu what each role may open', async () => {
    const entries = async (email: string) => {
      const client = await app.login(email)
      const { html } = await client.get('/tasks')
      const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'))
      return ['/quotes', '/import', '/workflows', '/products', '/settings/company', '/admin/mailbox', '/settings/notifications'].filter((to) =>
        header.includes(`href="${to}"`),
      )
    }
    expect(await entries(w.emails.admin)).toEqual([
      '/quotes',
      '/import',
      '/workflows',
      '/products',
      '/settings/company',
      '/admin/mailbox',
      '/settings/notifications',
    ])
    expect(await entries(w.emails.manager)).toEqual(['/quotes', '/import', '/workflows', '/settings/notifications'])
    expect(await entries(w.emails.commercial)).toEqual(['/quotes', '/settings/notifications'])
    expect(await entries(w.emails.finance)).toEqual(['/quotes', '/settings/notifications'])
  })
})

describe('the top bar with JavaScript', () => {
  it('closes "Plus" on Escape and after a navigation; no serious axe violation', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    const plus = mainNav(page).locator('details')
    const summary = plus.locator('summary')
    await summary.focus()
    await page.keyboard.press('Enter')
    expect(await plus.getAttribute('open')).not.toBeNull()
    await page.keyboard.press('Escape')
    expect(await plus.getAttribute('open')).toBeNull()
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true)
    await summary.click()
    await mainNav(page).getByRole('link', { name: 'Importer' }).click()
    await page.waitForURL(`${app.url}/import`)
    await expect.poll(() => plus.getAttribute('open')).toBeNull()
    await page.close()
    for (const withAppScripts of [false, true]) expect(await seriousA11yViolations(context, `${app.url}/deals`, { withAppScripts })).toEqual([])
    await context.close()
  })
})

describe('on a phone', () => {
  it('has five whole tabs at 375 px; "Plus" opens without JavaScript on the rest of the menu', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: false,
      locale: 'fr-FR',
    })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    const tabs = page.locator('nav.fixed')
    const items = tabs.locator(':scope > ul > li > a, :scope > ul > li > details > summary')
    expect((await items.allTextContents()).map((s) => s.trim())).toEqual(['Accueil', 'Comptes', 'Affaires', 'Tâches', 'Plus'])
    for (const tab of await items.all()) expect((await tab.boundingBox())!.height).toBeGreaterThanOrEqual(48)
    const layout = await barLayout(page)
    expect(layout.overflow).toBeLessThanOrEqual(0)
    for (let i = 1; i < layout.items.length; i++) expect(layout.items[i].left).toBeGreaterThanOrEqual(layout.items[i - 1].right)
    await screenshot(page, 'top-bar-375')
    await tabs.locator('summary', { hasText: 'Plus' }).click()
    const menu = tabs.getByRole('list', { name: 'Plus' })
    expect(await menu.getByRole('link').allTextContents()).toEqual([
      'Contacts',
      'Pipeline',
      'Devis',
      'Factures',
      'Finance',
      'Contrats',
      'Rapports',
      'Campagnes',
      'Importer',
    ])
    await screenshot(page, 'top-bar-375-menu')
    await context.close()
  })
})
