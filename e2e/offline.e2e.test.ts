import { randomUUID } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenContact } from '../app/testing/contact-records.js'
import { updateDealCommand } from '../domain/crm/crm.commands.js'
import { addParisDays, toParisLocalInput } from '../domain/shared/paris-time.js'
import { createTaskCommand } from '../domain/tasks/task.commands.js'
import { testNow } from '../testing/clock.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { waitUntil } from '../testing/wait.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'

// The rep's phone offline (issue 15), in real Chromium through the built app: working set
// in IndexedDB, offline reading and writing, replay exactly once, conflicts, sign-out
// wiping the device, and the phone shell from 320 px.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>
let org: string
let deal: string
let task: string
let swipeTask: string
let laterTask: string

const PHONE = { width: 375, height: 812 }

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Nomades SARL')
  const rep = w.users.commercial
  org = await givenOrganisation(app.rt.db, w.ctx(rep), { name: 'Scierie Vallon', ownerId: rep })
  deal = await givenDeal(app.rt.db, w.ctx(rep), { organisationId: org, ownerId: rep, title: 'Bardage entrepôt', amountCents: 1_200_000 })
  await givenContact(app.rt.db, w.ctx(rep), { organisation_id: org, owner_id: rep, first_name: 'Agathe', last_name: 'Vallon' })
  task = randomUUID()
  await createTaskCommand(app.rt.db, w.ctx(rep), {
    id: task,
    fields: {
      title: 'Envoyer le métré',
      description: null,
      due_at: addParisDays(testNow(), -1).toISOString(),
      all_day: false,
      assignee_id: rep,
      priority: 'normale',
      organisation_id: org,
      contact_id: null,
      deal_id: null,
      rrule: null,
    },
  })
  laterTask = randomUUID()
  await createTaskCommand(app.rt.db, w.ctx(rep), {
    id: laterTask,
    fields: {
      title: 'Relancer le devis bardage',
      description: null,
      due_at: addParisDays(testNow(), -2).toISOString(),
      all_day: false,
      assignee_id: rep,
      priority: 'normale',
      organisation_id: null,
      contact_id: null,
      deal_id: null,
      rrule: null,
    },
  })
  swipeTask = randomUUID()
  await createTaskCommand(app.rt.db, w.ctx(rep), {
    id: swipeTask,
    fields: {
      title: 'Appeler le transporteur',
      description: null,
      due_at: addParisDays(testNow(), 1).toISOString(),
      all_day: false,
      assignee_id: rep,
      priority: 'normale',
      organisation_id: null,
      contact_id: null,
      deal_id: null,
      rrule: null,
    },
  })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: PHONE, isMobile: true, hasTouch: true })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
  await ready(page)
  return { context, page }
}

/** The service worker controls the page and the working set is on the device. */
async function ready(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
    if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }))
  })
  await page
    .getByTestId('sync-status')
    .getByText(/^À jour à \d\d:\d\d$/)
    .waitFor()
}

/** What the device holds: sets and queued changes. */
const deviceStore = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ sets: number; queue: number; meta: number }>((resolve, reject) => {
        const open = indexedDB.open('alforis-offline')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          if (!db.objectStoreNames.contains('sets')) return resolve({ sets: 0, queue: 0, meta: 0 })
          const tx = db.transaction(['sets', 'queue', 'meta'])
          const out = { sets: 0, queue: 0, meta: 0 }
          for (const name of ['sets', 'queue', 'meta'] as const) {
            const r = tx.objectStore(name).count()
            r.onsuccess = () => (out[name] = r.result)
          }
          tx.oncomplete = () => {
            db.close()
            resolve(out)
          }
        }
      }),
  )

const dealAmount = async () =>
  Number((await app.rt.db.selectFrom('deals').select('amount_cents').where('id', '=', deal).executeTakeFirstOrThrow()).amount_cents)
const dealVersion = async () => (await app.rt.db.selectFrom('deals').select('version').where('id', '=', deal).executeTakeFirstOrThrow()).version

const sessionsOfRep = async () =>
  Number(
    (
      await app.rt.db
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', w.users.commercial)
        .executeTakeFirstOrThrow()
    ).n,
  )

/** Swipes an element to the right with the touch screen, as a thumb would. */
async function swipeRight(context: BrowserContext, page: Page, target: ReturnType<Page['locator']>) {
  await target.evaluate((el) => el.scrollIntoView({ block: 'center' }))
  const box = (await target.boundingBox())!
  const cdp = await context.newCDPSession(page)
  const y = box.y + box.height / 2
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: box.x + 60, y }] })
  for (let i = 1; i <= 6; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: box.x + 60 + i * 25, y }] })
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  await cdp.detach()
}

/** The server changes the deal's amount behind the rep's back. */
async function serverSetsAmount(cents: number) {
  await updateDealCommand(app.rt.db, w.ctx(w.users.manager), {
    id: deal,
    expectedVersion: await dealVersion(),
    fields: {
      title: 'Bardage entrepôt',
      organisation_id: org,
      amount_cents: cents,
      expected_close_date: '2027-03-31',
      owner_id: w.users.commercial,
      category: null,
      source: null,
      region: null,
    },
  })
}

describe('offline on the rep’s phone', () => {
  it('reads the working set offline with the online pages’ parts, queues a note, a completed task, a deal swiped to its next stage, a new contact and a rescheduled task, and sends each exactly once when back online', async () => {
    const { context, page } = await phone()
    await context.setOffline(true)
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Vous êtes hors ligne' }).waitFor()
    await page.getByRole('heading', { name: 'Mes données gardées sur cet appareil' }).waitFor()
    await page.getByText(/^Hors ligne · à jour à \d\d:\d\d · /).waitFor()

    await page.getByRole('link', { name: 'Scierie Vallon' }).first().click()
    await page.getByRole('heading', { level: 1, name: 'Scierie Vallon' }).waitFor()
    expect(page.url()).toContain(`from=%2Forganisations%2F${org}`)
    await page.getByText('Agathe Vallon').waitFor()
    await page.getByLabel('Note', { exact: true }).fill('Vu le chef d’atelier, devis à refaire.')
    await page.getByRole('button', { name: 'Enregistrer la note' }).click()
    await page.getByRole('listitem').filter({ hasText: 'Vu le chef d’atelier' }).getByText('en attente').waitFor()
    await page.getByRole('button', { name: 'Terminer « Envoyer le métré »' }).click()
    await page.getByText('2 en attente').waitFor()
    await screenshot(page, 'offline-account-375')
    expect(await seriousA11yViolations(context, page.url(), { withAppScripts: true })).toEqual([])

    await page.getByRole('link', { name: 'Bardage entrepôt' }).click()
    await page.getByRole('heading', { level: 1, name: 'Bardage entrepôt' }).waitFor()
    await page.getByText(/^12\s000,00\s€$/).waitFor()
    // The deal page is the online one's parts: its key figures, its subtitle with the account.
    await page.getByRole('link', { name: 'Scierie Vallon' }).first().waitFor()

    // The list of deals: swiping a row to the right moves the deal to the next stage (its button does the same).
    await page.goto(`${app.url}/`)
    const dealRow = page.getByTestId(`deal-row-${deal}`)
    const nextStage = (await dealRow.getByRole('button').textContent())!.replace(/^→\s*/, '').split(' : ')[0]
    await swipeRight(context, page, dealRow)
    await page.getByText('3 en attente').waitFor()
    await dealRow.getByText('en attente').waitFor()
    // A contact written down offline, shown at once.
    await page.getByLabel('Prénom').fill('Léon')
    await page.getByLabel('Nom', { exact: true }).fill('Marchal')
    await page.getByLabel('Téléphone').fill('06 11 22 33 44')
    await page.getByLabel('Organisation').selectOption({ label: 'Scierie Vallon' })
    await page.getByRole('button', { name: 'Enregistrer le contact' }).click()
    await page.getByText('4 en attente').waitFor()
    await page.getByRole('listitem').filter({ hasText: 'Léon Marchal' }).getByText('en attente').waitFor()
    expect(await seriousA11yViolations(context, page.url(), { withAppScripts: true })).toEqual([])
    // A task put off to another day.
    await page.goto(`${app.url}/tasks`)
    const later = page.locator(`#tache-${laterTask}`)
    await later.locator('summary', { hasText: 'Reporter' }).click()
    const newDue = addParisDays(testNow(), 3)
    await later.getByLabel('Nouvelle échéance').fill(toParisLocalInput(newDue))
    await later.getByRole('button', { name: 'Reporter la tâche' }).click()
    await page.getByText('5 en attente').waitFor()
    await screenshot(page, 'offline-tasks-375')
    expect(await seriousA11yViolations(context, page.url(), { withAppScripts: true })).toEqual([])
    // Something that is not in the working set says so.
    await page.goto(`${app.url}/quotes`)
    await page.getByRole('heading', { name: 'Non disponible hors ligne' }).waitFor()
    await page.close()

    // Nothing reached the server while offline.
    expect(await app.rt.db.selectFrom('activities').select('id').where('body', '=', 'Vu le chef d’atelier, devis à refaire.').execute()).toEqual([])

    await context.setOffline(false)
    const again = await context.newPage()
    await again.goto(`${app.url}/organisations/${org}`)
    await waitUntil('note and task on the server', async () => {
      const notes = await app.rt.db.selectFrom('activities').select('id').where('body', '=', 'Vu le chef d’atelier, devis à refaire.').execute()
      const t = await app.rt.db.selectFrom('tasks').select('status').where('id', '=', task).executeTakeFirstOrThrow()
      return notes.length === 1 && t.status === 'terminee'
    })
    await waitUntil('stage, contact and new date on the server', async () => {
      const d = await app.rt.db
        .selectFrom('deals')
        .innerJoin('pipeline_stages as st', (j) => j.onRef('st.code', '=', 'deals.stage').onRef('st.workspace_id', '=', 'deals.workspace_id'))
        .select('st.label')
        .where('deals.id', '=', deal)
        .executeTakeFirstOrThrow()
      const c = await app.rt.db.selectFrom('contacts').select('phones').where('last_name', '=', 'Marchal').execute()
      const t = await app.rt.db.selectFrom('tasks').select('due_at').where('id', '=', laterTask).executeTakeFirstOrThrow()
      return (
        d.label === nextStage &&
        c.length === 1 &&
        c[0].phones[0] === '+33611223344' &&
        new Date(t.due_at!).getTime() === newDue.getTime() - (newDue.getTime() % 60_000)
      )
    })
    await waitUntil('queue empty', async () => (await deviceStore(again)).queue === 0)
    // Reloads and focus replays later send nothing twice.
    await again.reload()
    await ready(again)
    expect(await app.rt.db.selectFrom('activities').select('id').where('body', '=', 'Vu le chef d’atelier, devis à refaire.').execute()).toHaveLength(1)
    expect(
      await app.rt.db.selectFrom('events').select('stream_version').where('stream_id', '=', task).where('type', '=', 'TaskCompleted').execute(),
    ).toHaveLength(1)
    for (const [stream, type] of [
      [deal, 'DealStageChanged'],
      [laterTask, 'TaskUpdated'],
    ])
      expect(await app.rt.db.selectFrom('events').select('position').where('stream_id', '=', stream).where('type', '=', type).execute()).toHaveLength(1)
    await context.close()
  })

  it('shows a conflict on the deal’s amount field by field: "keep mine" and "keep theirs"', async () => {
    const { context, page } = await phone()
    for (const [choice, mine, theirs, expected] of [
      ['Garder ma version', '13 500', 1_500_000, 1_350_000],
      ['Garder la leur', '9 999', 1_600_000, 1_600_000],
    ] as const) {
      await page.goto(`${app.url}/deals/${deal}`)
      await ready(page)
      await context.setOffline(true)
      await page.goto(`${app.url}/deals/${deal}`)
      await page.getByRole('heading', { level: 1, name: 'Bardage entrepôt' }).waitFor()
      await page.getByLabel('Montant (€)').fill(mine)
      await page.getByRole('button', { name: 'Enregistrer le montant' }).click()
      await page.getByText('1 en attente').waitFor()
      await serverSetsAmount(theirs)
      // Back online, the offline page carries on to the deal by itself.
      await context.setOffline(false)
      await page.waitForURL(`${app.url}/deals/${deal}`)
      const panel = page.getByRole('region', { name: 'Modifications faites hors ligne à revoir' })
      await panel.getByText('la fiche a changé entre-temps').waitFor()
      const row = panel.getByRole('row', { name: /Montant/ })
      const text = (await row.textContent())!.replace(/\s/g, ' ')
      expect(text).toContain(`${mine},00 €`)
      expect(text).toContain(`${theirs / 100_000} 000,00 €`)
      if (choice === 'Garder ma version') await screenshot(page, 'offline-conflict-375')
      await panel.getByRole('button', { name: choice }).click()
      await panel.waitFor({ state: 'detached' })
      await waitUntil(`${choice}: amount`, async () => (await dealAmount()) === expected, { last: () => expected })
      await waitUntil('queue empty', async () => (await deviceStore(page)).queue === 0)
    }
    await context.close()
  })

  it('signing out wipes the device; offline, after the rep confirms losing the unsent changes', async () => {
    const { context, page } = await phone()
    expect(await deviceStore(page)).toMatchObject({ sets: 1, meta: 1 })
    // Offline with one unsent note (written on the offline page of another tab).
    await context.setOffline(true)
    const other = await context.newPage()
    await other.goto(`${app.url}/organisations/${org}`)
    await other.getByLabel('Note', { exact: true }).fill('Jamais envoyée')
    await other.getByRole('button', { name: 'Enregistrer la note' }).click()
    await other.getByText('1 en attente').waitFor()
    await other.close()
    const sessionsBefore = await sessionsOfRep()
    let asked = ''
    page.once('dialog', (d) => {
      asked = d.message()
      void d.accept()
    })
    await page.getByRole('banner').locator('summary', { hasText: 'Mon compte' }).click()
    await page.getByRole('button', { name: 'Se déconnecter' }).click()
    await page.waitForURL(/\/offline/)
    expect(asked).toMatch(/^1 modification\(s\) non envoyée\(s\) seront perdues/)
    expect(await deviceStore(page)).toEqual({ sets: 0, queue: 0, meta: 0 })
    await page.getByRole('heading', { name: 'Vous êtes hors ligne' }).waitFor()

    // Back online, the sign-out reaches the server: the session ends, the page lands on the sign-in.
    await context.setOffline(false)
    await page.waitForURL(/\/login/)
    await waitUntil('server session ended', async () => (await sessionsOfRep()) === sessionsBefore - 1)

    // Online: the queue is sent first, then everything goes.
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await ready(page)
    await page.getByRole('banner').locator('summary', { hasText: 'Mon compte' }).click()
    await Promise.all([page.waitForURL(/\/login/), page.getByRole('button', { name: 'Se déconnecter' }).click()])
    expect(await deviceStore(page)).toEqual({ sets: 0, queue: 0, meta: 0 })
    expect(await app.rt.db.selectFrom('activities').select('id').where('subject', '=', 'Jamais envoyée').execute()).toEqual([])
    await context.close()
  })
})

describe('the phone shell', () => {
  it('has five whole tabs of 48 px, filters behind "Filtres", and no sideways scroll at 375 and 320 px', async () => {
    const { context, page } = await phone()
    const tabs = page.locator('nav.fixed')
    const tabItems = tabs.locator(':scope > ul > li > a, :scope > ul > li > details > summary')
    expect((await tabItems.allTextContents()).map((s) => s.trim())).toEqual(['Accueil', 'Comptes', 'Affaires', 'Tâches', 'Plus'])
    const everyScreen = ['/', '/organisations', '/deals', '/tasks', `/organisations/${org}`, `/deals/${deal}`]
    for (const [width, paths] of [
      [375, ['/', `/deals/${deal}`]],
      [320, everyScreen],
    ] as const) {
      await page.setViewportSize({ width, height: 740 })
      for (const path of paths) {
        await page.goto(`${app.url}${path}`)
        await page.locator('h1').first().waitFor()
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
        expect(overflow, `${path} at ${width} px`).toBeLessThanOrEqual(0)
        for (const tab of await tabItems.all()) {
          expect((await tab.boundingBox())!.height).toBeGreaterThanOrEqual(48)
          expect(await tab.evaluate((el) => [...el.querySelectorAll('span')].every((s) => s.scrollWidth <= s.clientWidth + 1)), `${path} at ${width} px`).toBe(
            true,
          )
        }
      }
    }
    await page.goto(`${app.url}/organisations`)
    const filters = page.locator('details.filters-toggle > summary')
    await filters.waitFor()
    expect(await page.getByLabel('Responsable').isVisible()).toBe(false)
    await filters.click()
    expect(await page.getByLabel('Responsable').isVisible()).toBe(true)
    await screenshot(page, 'offline-shell-320')
    await tabs.locator('summary', { hasText: 'Plus' }).click()
    expect(await tabs.getByRole('list', { name: 'Plus' }).getByRole('link').allTextContents()).toEqual([
      'Contacts',
      'Pipeline',
      'Devis',
      'Factures',
      'Contrats',
      'Rapports',
    ])
    expect(await seriousA11yViolations(context, `${app.url}/organisations`, { withAppScripts: true })).toEqual([])

    // Swiping a task to the right presses its "Terminer" button.
    await page.goto(`${app.url}/tasks`)
    const row = page.locator(`#tache-${swipeTask}`)
    await row.getByRole('button', { name: /Appeler le transporteur/ }).waitFor()
    await page.waitForLoadState('networkidle')
    await swipeRight(context, page, row)
    await waitUntil('task completed by a swipe', async () => {
      const t = await app.rt.db.selectFrom('tasks').select('status').where('id', '=', swipeTask).executeTakeFirstOrThrow()
      return t.status === 'terminee'
    })
    await context.close()
  })
})
