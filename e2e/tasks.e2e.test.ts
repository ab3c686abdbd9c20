import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { TEST_NOW } from '../testing/clock.js'
import { addDays, parisDateTime, parisDay } from '../domain/shared/paris-time.js'
import type { TaskFields } from '../domain/tasks/task.js'
import { createTaskCommand } from '../domain/tasks/task.commands.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

// Tasks in Chromium: the forms with JavaScript off (create, complete, move on the board),
// the Kanban's keyboard drag with it on, and screenshots of the list and the calendar
// (desktop and a 375 px phone).

let app: TestApp
let browser: Browser

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

// The app's day (the tests' clock, testing/clock.ts), not the machine's.
const today = parisDay(TEST_NOW)
const fields = (over: Partial<TaskFields>): TaskFields => ({
  title: 'Tâche',
  description: null,
  due_at: null,
  all_day: false,
  assignee_id: null,
  priority: 'normale',
  organisation_id: null,
  contact_id: null,
  deal_id: null,
  rrule: null,
  ...over,
})

async function givenTasks(w: Awaited<ReturnType<typeof givenWorkspace>>) {
  const mk = async (title: string, over: Partial<TaskFields>) => {
    const id = randomUUID()
    await createTaskCommand(app.rt.db, w.ctx(w.users.manager), { id, fields: fields({ title, assignee_id: w.users.commercial, ...over }) })
    return id
  }
  const at = (dayOffset: number, time: string) => parisDateTime(addDays(today, dayOffset), time)!.toISOString()
  return {
    overdue: await mk('Relancer le devis Martin', { due_at: at(-2, '10:00'), priority: 'urgente' }),
    today: await mk('Appeler Mme Roche', { due_at: at(0, '23:30'), priority: 'haute' }),
    allDay: await mk('Salon Batimat', { due_at: at(1, '00:00'), all_day: true }),
    later: await mk('Préparer la revue trimestrielle', { due_at: at(12, '09:00'), rrule: 'FREQ=MONTHLY' }),
    noDue: await mk('Mettre à jour la plaquette', {}),
    weekly: await mk('Point hebdo équipe', { due_at: at(3, '09:00'), rrule: 'FREQ=WEEKLY;BYDAY=MO,TH', priority: 'basse' }),
  }
}

describe('tasks without JavaScript', () => {
  it('creates a task, completes it from the list, moves one on the board', async () => {
    const w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
    const ids = await givenTasks(w)
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Tâches' }).click()
    await page.getByRole('heading', { level: 1, name: 'Mes tâches' }).waitFor()
    for (const group of ['En retard', 'Aujourd’hui', 'Plus tard', 'Sans échéance']) await page.getByRole('heading', { level: 2, name: group }).waitFor()
    await screenshot(page, 'tasks-list')

    // A new task: an error first (no title), kept values, then created.
    await page.getByRole('link', { name: 'Nouvelle tâche' }).click()
    await page.getByLabel('Date d’échéance').fill('2027-03-25')
    await page.getByLabel('Heure').fill('09:00')
    await page.getByRole('button', { name: 'Créer' }).click()
    expect(await page.locator('#title-error').textContent()).toBe('L’intitulé est obligatoire.')
    expect(await page.getByLabel('Date d’échéance').inputValue()).toBe('2027-03-25')
    await page.getByLabel('Intitulé').fill('Envoyer la proposition')
    await page.getByLabel('Priorité').selectOption({ label: 'Haute' })
    await page.getByText('Toutes les semaines').click()
    await page.getByText('lun.', { exact: true }).click()
    await page.getByText('jeu.', { exact: true }).click()
    await page.getByRole('button', { name: 'Créer' }).click()
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}\?cree=1$/)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Envoyer la proposition')
    expect(await page.getByText('Chaque semaine le lundi et le jeudi').count()).toBe(1)
    const created = page.url().match(/tasks\/([0-9a-f-]{36})/)![1]
    expect(await app.rt.db.selectFrom('tasks').select(['rrule', 'priority', 'assignee_id']).where('id', '=', created).executeTakeFirstOrThrow()).toEqual({
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TH',
      priority: 'haute',
      assignee_id: w.users.commercial,
    })

    // Complete from the list with the round button (a plain form).
    await page.goto(`${app.url}/tasks`)
    await page.getByRole('button', { name: 'Terminer « Appeler Mme Roche »' }).click()
    await page.waitForURL(/deplace=/)
    expect(await page.getByRole('status').first().textContent()).toBe('« Appeler Mme Roche » : Terminée.')
    expect((await app.rt.db.selectFrom('tasks').select('status').where('id', '=', ids.today).executeTakeFirstOrThrow()).status).toBe('terminee')

    // The board's move form.
    await page.goto(`${app.url}/tasks/board`)
    const card = page.locator(`#carte-${ids.noDue}`)
    await card.locator('summary').click()
    await card.getByLabel('Vers la colonne').selectOption({ label: 'En cours' })
    await card.getByRole('button', { name: 'Déplacer la tâche' }).click()
    await page.waitForURL(/\/tasks\/board\?deplace=/)
    expect(await page.locator('[data-status="en_cours"]').getByRole('link', { name: 'Mettre à jour la plaquette' }).count()).toBe(1)
    expect((await app.rt.db.selectFrom('tasks').select('status').where('id', '=', ids.noDue).executeTakeFirstOrThrow()).status).toBe('en_cours')
    await context.close()
  })
})

describe('tasks with JavaScript', () => {
  it('moves a card to the next column with the keyboard (Space, →, Space)', async () => {
    const w = await givenWorkspace(app.rt.db, 'Atelier Clavier')
    const ids = await givenTasks(w)
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await page.goto(`${app.url}/tasks/board`)
    await page.waitForLoadState('networkidle')
    const handle = page.getByRole('button', { name: /^Déplacer « Salon Batimat »/ })
    await handle.waitFor()
    await handle.focus()
    // Each key once the previous step is announced (the French live region), not after a fixed pause.
    await page.keyboard.press('Space')
    // Picked up: the live region speaks of its own column (the pick-up, or at once "over" it).
    await page
      .locator('[id^="DndLiveRegion"]')
      .filter({ hasText: /colonne À faire\.$/ })
      .waitFor({ state: 'attached' })
    await page.keyboard.press('ArrowRight')
    await page.getByText('Au-dessus de la colonne En cours.').waitFor({ state: 'attached' })
    await page.keyboard.press('Space')
    await page.locator('[data-status="en_cours"]').getByRole('link', { name: 'Salon Batimat' }).waitFor()
    await page.getByRole('status').filter({ hasText: '« Salon Batimat » : En cours.' }).waitFor()
    await expect
      .poll(async () => (await app.rt.db.selectFrom('tasks').select('status').where('id', '=', ids.allDay).executeTakeFirstOrThrow()).status, {
        timeout: 10_000,
      })
      .toBe('en_cours')
    const events = await app.rt.db.selectFrom('events').select(['type', 'meta']).where('stream_id', '=', ids.allDay).orderBy('stream_version').execute()
    expect(events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskStatusChanged'])
    expect(events[1].meta).toMatchObject({ actorId: w.users.commercial, source: 'web' })
    await screenshot(page, 'tasks-board')

    // The calendar, desktop then a 375 px phone (week view).
    await page.goto(`${app.url}/tasks/calendar`)
    await page.getByRole('table').waitFor()
    await screenshot(page, 'tasks-calendar')
    const phone = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    await phone.addCookies(await context.cookies())
    const phonePage = await phone.newPage()
    await phonePage.goto(`${app.url}/tasks/calendar`)
    await phonePage.getByRole('heading', { level: 2, name: /^Semaine du/ }).waitFor()
    expect(await phonePage.getByRole('table').isVisible()).toBe(false)
    // Nothing wider than the screen.
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await screenshot(phonePage, 'tasks-calendar-phone')
    await phonePage.goto(`${app.url}/tasks`)
    await screenshot(phonePage, 'tasks-list-phone')
    await phone.close()
    await context.close()
  })

  it('has no serious or critical accessibility violation on the task pages (axe-core), with or without JavaScript', async () => {
    const w = await givenWorkspace(app.rt.db, 'Atelier Accessible')
    const ids = await givenTasks(w)
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await page.close()
    for (const path of ['/tasks', '/tasks/calendar', '/tasks/board', '/tasks/new', `/tasks/${ids.weekly}`, '/settings/calendar']) {
      for (const withAppScripts of [true, false]) {
        const violations = await seriousA11yViolations(context, `${app.url}${path}`, { withAppScripts })
        expect(violations, `${path} ${withAppScripts ? 'JS' : 'no JS'}: ${JSON.stringify(violations)}`).toEqual([])
      }
    }
    await context.close()
  }, 180_000) // twelve page loads and axe runs, each without JavaScript in a context of its own
})
