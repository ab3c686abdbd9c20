import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { deliverEmail } from '../domain/mail/deliver-email.js'
import { enqueueEmail } from '../domain/mail/enqueue-email.js'
import { notify } from '../domain/notifications/notify.js'
import { launchChromium, screenshot, SCREENSHOTS, seriousA11yViolations, signIn } from './browser.js'

// The bell in real Chromium: with JavaScript a notification created on the server
// (by `notify`, as a job would) shows up in the open page's count without a reload;
// without JavaScript the bell is a link with the count and /notifications lists it.

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

let seq = 0
const tell = (userId: string, title: string, body: string) =>
  notify(app.rt.db, { workspaceId: w.workspaceId, userId, kind: 'task_reminder_j0', title, body, link: '/deals', dedupKey: `e2e:${++seq}` })

describe('the notification bell', () => {
  it('counts a new notification live, without a reload (JavaScript on)', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    const bell = page.getByTestId('notification-bell')
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, aucune non lue')
    // Set on this document: still there afterwards = no reload happened.
    await page.evaluate(() => {
      ;(window as unknown as { __sameDocument: boolean }).__sameDocument = true
    })

    await tell(w.users.commercial, 'Rappeler Mme Roche (Menuiserie Roche)', 'Échéance aujourd’hui à 14:00 — devis cuisine à confirmer.')
    await page.locator('[data-testid="notification-bell"][data-unread="1"]').waitFor({ timeout: 10_000 })
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 1 non lue')
    await tell(w.users.commercial, 'Envoyer le devis D-2026-0042', 'Le client attend la version révisée.')
    await page.locator('[data-testid="notification-bell"][data-unread="2"]').waitFor({ timeout: 10_000 })
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true)
    // Screen readers hear it.
    expect(await page.locator('[aria-live="polite"]').filter({ hasText: 'Nouvelle notification' }).textContent()).toBe(
      'Nouvelle notification : Envoyer le devis D-2026-0042',
    )
    await page.locator('header').screenshot({ path: path.join(SCREENSHOTS, 'notification-bell.png') })

    // Someone else's notification does not move this bell.
    await tell(w.users.manager, 'Pour le manager', 'x')
    await tell(w.users.commercial, 'Troisième rappel', 'y')
    await page.locator('[data-testid="notification-bell"][data-unread="3"]').waitFor({ timeout: 10_000 })

    // Reading them on /notifications (client-side navigation and form) brings it to zero.
    await bell.click()
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor()
    await screenshot(page, 'notifications')
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click()
    await page.getByText('Toutes vos notifications sont marquées comme lues.').waitFor()
    await page.locator('[data-testid="notification-bell"][data-unread="0"]').waitFor()
    await context.close()
  })

  it('is a link with the count without JavaScript, and /notifications lists it', async () => {
    await tell(w.users.admin, 'Relancer la Boulangerie Martin', 'Rendez-vous à fixer avant vendredi.')
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR' })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    const bell = page.getByRole('link', { name: 'Notifications, 1 non lue' })
    expect(await bell.getAttribute('href')).toBe('/notifications')
    await Promise.all([page.waitForURL(`${app.url}/notifications`), bell.click()])
    const item = page.getByTestId('notification-list').getByRole('listitem').first()
    expect(await item.textContent()).toContain('Relancer la Boulangerie Martin')
    await item.getByRole('button', { name: 'Marquer comme lue : Relancer la Boulangerie Martin' }).click()
    await page.getByRole('link', { name: 'Notifications, aucune non lue' }).waitFor()
    await context.close()
  })

  it('fits a phone, and the pages have no serious accessibility violation', async () => {
    await tell(w.users.admin, 'Appeler Garage Lefèvre', 'Suite à la démo.')
    const key = `e2e-mail:${Date.now()}`
    const { id } = await enqueueEmail(app.rt.db, null, {
      workspaceId: w.workspaceId,
      to: 'claire.roche@exemple.fr',
      template: 'task_reminder',
      idempotencyKey: key,
      props: {
        when: 'j1',
        recipientName: 'Claire',
        taskTitle: 'Rappeler Mme Roche',
        dueLabel: 'samedi 28 novembre 2026 à 10:00',
        relatedLabel: 'Menuiserie Roche',
        link: '/tasks/1',
      },
    })
    await deliverEmail(app.rt.db, id, { resend: null })

    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: 'fr-FR' })
    const page = await phone.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.goto(`${app.url}/notifications`)
    await screenshot(page, 'notifications-phone')
    await phone.close()

    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const desk = await context.newPage()
    await signIn(desk, app.url, w.emails.admin, TEST_PASSWORD)
    await desk.goto(`${app.url}/admin/mailbox/${id}`)
    await desk.frameLocator('iframe').getByRole('link', { name: 'Voir la tâche' }).waitFor()
    await screenshot(desk, 'mailbox')
    await desk.goto(`${app.url}/settings/notifications`)
    await screenshot(desk, 'notification-settings')
    await desk.close()
    for (const path of ['/notifications', '/settings/notifications', `/admin/mailbox/${id}`]) {
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
