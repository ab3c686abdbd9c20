import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { changeDealStageCommand } from '../domain/crm/crm.commands.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>
beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp(), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Rapports SA')
  const org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Client' })
  for (const [i, a] of [1_200_000, 800_000, 500_000].entries()) {
    const id = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: `A${i}`, amountCents: a, ownerId: w.users.commercial })
    await changeDealStageCommand(app.rt.db, w.ctx(), { id, to: 'SIGNE' })
  }
  await app.rt.projector!.waitForCatchUp(30_000)
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await app?.stop()
})
// The report builder as people see it: desktop with the chart, a phone with and without
// JavaScript — no sideways scroll, no serious axe finding, screenshots to look at.
it('fits a desktop and a phone, with and without JavaScript, with no serious axe violation', async () => {
  for (const [width, js] of [
    [1280, true],
    [375, true],
    [375, false],
  ] as const) {
    const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width, height: 900 }, javaScriptEnabled: js })
    const page = await ctx.newPage()
    await signIn(page, app.url, w.emails.manager, TEST_PASSWORD)
    await page.goto(`${app.url}/reports/nouveau`)
    await page.locator('h1').waitFor()
    if (js) await page.waitForLoadState('networkidle')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow, `${width} px`).toBeLessThanOrEqual(0)
    await screenshot(page, `reports-${width}-${js ? 'js' : 'nojs'}`)
    if (width === 1280) expect(await seriousA11yViolations(ctx, `${app.url}/reports/nouveau`, { withAppScripts: true })).toEqual([])
    if (!js) expect(await seriousA11yViolations(ctx, `${app.url}/reports/nouveau`, { withAppScripts: false })).toEqual([])
    await ctx.close()
  }
}, 120_000)
