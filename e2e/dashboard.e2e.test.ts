import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setGoalCommand } from '../domain/dashboards/dashboards.commands.js'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenSalesHistory } from '../testing/dashboard-data.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { TEST_NOW } from '../testing/clock.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

// The manager's main screen in Chromium: widgets with real figures, the editor with
// JavaScript (keyboard drag-and-drop) and without (plain forms), phone layout, axe.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp(), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  await givenSalesHistory(app.rt.db, w)
  const manager = { id: w.users.manager, workspaceId: w.workspaceId, role: 'manager' as const, teamId: w.teamId }
  const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(TEST_NOW)
  const [y, m] = month.split('-').map(Number)
  await setGoalCommand(app.rt.db, w.ctx(w.users.manager), manager, {
    scope: 'team',
    scopeId: w.teamId,
    period: `${y}-Q${Math.floor((m - 1) / 3) + 1}`,
    targetCents: 30_000_000,
  })
  await setGoalCommand(app.rt.db, w.ctx(w.users.manager), manager, { scope: 'user', scopeId: w.users.commercial, period: month, targetCents: 5_000_000 })
  await setGoalCommand(app.rt.db, w.ctx(w.users.manager), manager, { scope: 'user', scopeId: w.users.manager, period: month, targetCents: 4_000_000 })
  await app.rt.projector!.waitForCatchUp(60_000)
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const widgetOrder = (page: Page) => page.locator('[data-widget]').evaluateAll((els) => els.map((e) => e.getAttribute('data-widget')))

describe('the dashboard in a browser', () => {
  it('shows the manager every widget, charts drawn, and fits a phone', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)
    await page.locator('[data-chart] svg.recharts-surface').first().waitFor()
    await page.waitForLoadState('networkidle')
    expect(await widgetOrder(page)).toEqual(['kpis', 'revenue-trend', 'goals', 'funnel', 'top-performers', 'pipeline-by-stage', 'recent-activity'])
    await screenshot(page, 'dashboard')
    await page.setViewportSize({ width: 375, height: 800 })
    // Charts redrawn for the phone width (recharts follows a ResizeObserver), not a fixed pause.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-chart] svg.recharts-surface')].every((s) => s.getBoundingClientRect().right <= 375))
    await screenshot(page, 'dashboard-phone')
    await context.close()
  })

  it('reorders a widget with the keyboard (JavaScript on), and the order survives a reload', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await page.getByRole('link', { name: 'Personnaliser' }).click()
    await page.getByRole('heading', { name: 'Personnaliser le tableau de bord' }).waitFor()
    await page.waitForLoadState('networkidle')
    expect((await widgetOrder(page)).slice(0, 3)).toEqual(['kpis', 'goals', 'pipeline-by-stage'])
    const handle = page.getByRole('button', { name: 'Déplacer « Objectifs et réalisé »' })
    await handle.focus()
    // Pressed back to back, as a quick hand or a switch device does: the arrow and the drop
    // come while the pick-up is still rendering, and none of them may be lost.
    await page.keyboard.press('Space')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Space')
    // French screen-reader announcement of the drop (the live region is visually hidden).
    await page.getByText('Widget « Objectifs et réalisé » déposé en position 3 sur 6.').waitFor({ state: 'attached' })
    await page.getByText('Disposition enregistrée.').waitFor()
    expect((await widgetOrder(page)).slice(0, 3)).toEqual(['kpis', 'pipeline-by-stage', 'goals'])
    await page.reload()
    await page.getByRole('heading', { name: 'Personnaliser le tableau de bord' }).waitFor()
    expect((await widgetOrder(page)).slice(0, 3)).toEqual(['kpis', 'pipeline-by-stage', 'goals'])
    await page.waitForLoadState('networkidle')
    // Step by step, the pick-up is announced and stays until the widget moves; back to
    // its place and dropped there, nothing changes.
    await page.getByRole('button', { name: 'Déplacer « Objectifs et réalisé »' }).focus()
    // Every text the live region takes, recorded as it changes (no fixed pause to "see if it stays").
    await page.evaluate(() => {
      const w = window as unknown as { liveTexts: string[] }
      w.liveTexts = []
      const region = document.querySelector('[id^="DndLiveRegion"]')!
      new MutationObserver(() => w.liveTexts.push(region.textContent ?? '')).observe(region, { childList: true, subtree: true, characterData: true })
    })
    await page.keyboard.press('Space')
    await page.getByText('Widget « Objectifs et réalisé » saisi, en position 3 sur 6.').waitFor({ state: 'attached' })
    // Two painted frames later (the re-renders of the pick-up committed), the announcement is still there…
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))
    expect(await page.locator('[id^="DndLiveRegion"]').textContent()).toBe('Widget « Objectifs et réalisé » saisi, en position 3 sur 6.')
    // …and was never cleared or replaced in between.
    const texts = await page.evaluate(() => (window as unknown as { liveTexts: string[] }).liveTexts)
    expect([...new Set(texts.slice(texts.indexOf('Widget « Objectifs et réalisé » saisi, en position 3 sur 6.')))]).toEqual([
      'Widget « Objectifs et réalisé » saisi, en position 3 sur 6.',
    ])
    await page.keyboard.press('ArrowLeft')
    await page.getByText('Widget « Objectifs et réalisé » au-dessus de la position 2 sur 6.').waitFor({ state: 'attached' })
    await page.keyboard.press('ArrowRight')
    await page.getByText('Widget « Objectifs et réalisé » au-dessus de la position 3 sur 6.').waitFor({ state: 'attached' })
    await page.keyboard.press('Space')
    await page.getByText('Widget « Objectifs et réalisé » déposé en position 3 sur 6.').waitFor({ state: 'attached' })
    expect((await widgetOrder(page)).slice(0, 3)).toEqual(['kpis', 'pipeline-by-stage', 'goals'])
    await screenshot(page, 'dashboard-customise')
    await context.close()
  })

  it('reorders a widget with the mouse and resizes one (JavaScript on), both kept after a reload', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.finance, TEST_PASSWORD)
    await page.getByRole('link', { name: 'Personnaliser' }).click()
    await page.getByRole('heading', { name: 'Personnaliser le tableau de bord' }).waitFor()
    await page.waitForLoadState('networkidle')
    expect(await widgetOrder(page)).toEqual(['kpis', 'revenue-trend', 'goals', 'top-performers', 'pipeline-by-stage'])
    const handle = page.getByRole('button', { name: 'Déplacer « Meilleurs commerciaux »' })
    await handle.scrollIntoViewIfNeeded()
    const [h, from, to] = await Promise.all([
      handle.boundingBox(),
      page.locator('[data-widget="top-performers"]').boundingBox(),
      page.locator('[data-widget="goals"]').boundingBox(),
    ])
    const x = h!.x + h!.width / 2
    const y = h!.y + h!.height / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + (to!.x - from!.x), y + (to!.y - from!.y), { steps: 15 })
    await page.mouse.up()
    await page.getByText('Disposition enregistrée.').waitFor()
    expect(await widgetOrder(page)).toEqual(['kpis', 'revenue-trend', 'top-performers', 'goals', 'pipeline-by-stage'])
    await page.getByRole('button', { name: 'Taille de « Objectifs et réalisé » : Grand' }).click()
    await expect.poll(() => page.locator('[data-widget="goals"]').getAttribute('data-size')).toBe('lg')
    await page.getByText('Disposition enregistrée.').waitFor()
    await page.reload()
    await page.getByRole('heading', { name: 'Personnaliser le tableau de bord' }).waitFor()
    expect(await widgetOrder(page)).toEqual(['kpis', 'revenue-trend', 'top-performers', 'goals', 'pipeline-by-stage'])
    expect(await page.locator('[data-widget="goals"]').getAttribute('data-size')).toBe('lg')
    await context.close()
  })

  it('adds, moves and resizes a widget with the customise form (JavaScript off)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    expect(await widgetOrder(page)).not.toContain('recent-activity')
    await page.getByRole('link', { name: 'Personnaliser' }).click()
    // Each button posts a plain form; the page comes back from the redirect.
    await page.getByRole('button', { name: 'Ajouter « Activité récente »' }).click()
    await expect.poll(async () => (await widgetOrder(page)).at(-1)).toBe('recent-activity')
    await page.getByRole('button', { name: 'Monter « Activité récente »' }).click()
    await expect.poll(async () => (await widgetOrder(page)).slice(-2)).toEqual(['recent-activity', 'pipeline-by-stage'])
    await page.getByRole('button', { name: 'Taille de « Activité récente » : Pleine largeur' }).click()
    await expect.poll(() => page.locator('[data-widget="recent-activity"]').getAttribute('data-size')).toBe('full')
    await Promise.all([page.waitForURL((u) => !u.search.includes('personnaliser')), page.getByRole('link', { name: 'Terminer' }).click()])
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor()
    expect(await page.getByRole('heading', { name: 'Personnaliser le tableau de bord' }).count()).toBe(0)
    expect(await page.getByRole('heading', { name: 'Activité récente' }).count()).toBe(1)
    // The tables carry the figures without JavaScript.
    expect(await page.locator('[data-widget="pipeline-by-stage"] table').textContent()).toContain('Qualification')
    await context.close()
  })

  it('finds no serious or critical accessibility violation, with or without JavaScript, editor open or not', async () => {
    const context = await browser.newContext({ locale: 'fr-FR' })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)
    await page.close()
    for (const path of ['/', '/?personnaliser=1', '/?periode=personnalisee&du=2026-01-01&au=2026-06-30', '/goals']) {
      for (const withAppScripts of [false, true]) {
        expect({ path, withAppScripts, violations: await seriousA11yViolations(context, `${app.url}${path}`, { withAppScripts }) }).toEqual({
          path,
          withAppScripts,
          violations: [],
        })
      }
    }
    await context.close()
  })
})
