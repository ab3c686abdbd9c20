import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { changeDealStageCommand } from '../domain/crm/crm.commands.js'
import { launchChromium, screenshot, SCREENSHOTS, seriousA11yViolations, signIn } from './browser.js'

// The pipeline board in Chromium: the card form without JavaScript; with it, drag and
// drop by keyboard (Space, →, Space) and mouse, the lost-reason dialog, and the rollback
// when the server refuses a move.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>
const deals: Record<string, string> = {}
/** A workspace with 25 prospects: more than one page of a column. */
const big = { email: '' }

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Menuiseries du Rhône')
  const orgs = await Promise.all(
    ['Boulangerie Martin', 'Garage Lefèvre', 'Imprimerie Roux', 'Cabinet Dufour'].map((name) => givenOrganisation(app.rt.db, w.ctx(), { name })),
  )
  const plan: [string, number, string][] = [
    ['Agencement boutique', 4_500_000, 'PROSPECT'],
    ['Mobilier atelier', 1_280_000, 'PROSPECT'],
    ['Four à sole', 4_825_050, 'PROSPECT'],
    ['Cuisine showroom', 3_200_050, 'QUALIFICATION'],
    ['Rénovation bureaux', 7_800_000, 'PROPOSITION'],
    ['Escalier chêne', 2_150_000, 'PROPOSITION'],
    ['Aménagement siège', 9_600_000, 'NEGOCIATION'],
    ['Parquet hall', 1_000_000, 'SIGNE'],
    ['Verrière atelier', 650_000, 'PERDU'],
  ]
  for (const [i, [title, amount, stage]] of plan.entries()) {
    const id = await givenDeal(app.rt.db, w.ctx(), { organisationId: orgs[i % orgs.length], title, amountCents: amount, ownerId: w.users.commercial })
    if (stage !== 'PROSPECT') await changeDealStageCommand(app.rt.db, w.ctx(), { id, to: stage, lostReason: stage === 'PERDU' ? 'Trop cher' : null })
    deals[title] = id
  }
  const v = await givenWorkspace(app.rt.db, 'Grand Volume')
  const vOrg = await givenOrganisation(app.rt.db, v.ctx(), { name: 'Volume SA' })
  for (let i = 0; i < 25; i++) await givenDeal(app.rt.db, v.ctx(), { organisationId: vOrg, title: `Lot ${String(i).padStart(2, '0')}`, amountCents: 100 })
  big.email = v.emails.admin
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const stageOf = async (title: string) =>
  await app.rt.db.selectFrom('deals').select(['stage', 'lost_reason']).where('id', '=', deals[title]).executeTakeFirstOrThrow()
const column = (page: Page, stage: string) => page.locator(`section[data-stage="${stage}"]`)
const card = (page: Page, title: string) => page.locator('li[id^="carte-"]', { has: page.getByRole('link', { name: title, exact: true }) })

async function openBoard(context: BrowserContext) {
  const page = await context.newPage()
  await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
  await page.goto(`${app.url}/pipeline`)
  await page.getByRole('heading', { level: 1, name: 'Pipeline' }).waitFor()
  return page
}

/** After hydration the handles appear (they only work with JavaScript). */
const hydrated = (page: Page) =>
  page
    .getByRole('button', { name: /^Déplacer « / })
    .first()
    .waitFor()

describe('the board without JavaScript', () => {
  it('moves a deal through the move step, asks for a reason before PERDU and a confirmation before Signé', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 720 } })
    const page = await openBoard(context)
    expect(await column(page, 'PROSPECT').getByRole('link', { name: 'Mobilier atelier', exact: true }).isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: /^Déplacer « / }).count()).toBe(0) // no drag handles without JS
    // At 1280 px every column fits, Perdu included.
    const board = (await page.getByTestId('pipeline-board').boundingBox())!
    const perdu = (await column(page, 'PERDU').boundingBox())!
    expect(perdu.x + perdu.width).toBeLessThanOrEqual(board.x + board.width + 1)

    await card(page, 'Mobilier atelier').getByRole('link', { name: 'Déplacer « Mobilier atelier »' }).click()
    const step = page.getByRole('region', { name: 'Déplacer « Mobilier atelier »' })
    await step.getByLabel('Déplacer vers').selectOption({ label: 'Perdu' })
    await step.getByRole('button', { name: 'Déplacer', exact: true }).click()
    await page.getByText('Indiquez la raison de la perte.').waitFor()
    expect((await stageOf('Mobilier atelier')).stage).toBe('PROSPECT')

    await page.getByLabel('Déplacer vers').selectOption({ label: 'Signé' })
    await page.getByRole('button', { name: 'Déplacer', exact: true }).click()
    // A confirmation step before a deal is signed; nothing moved yet.
    await page.getByRole('heading', { name: 'Confirmer la signature' }).waitFor()
    expect((await stageOf('Mobilier atelier')).stage).toBe('PROSPECT')
    await page.getByRole('button', { name: 'Confirmer : Signé' }).click()
    await page.waitForURL(/deplace=/)
    expect(await page.getByRole('status').filter({ hasText: 'déplacée' }).textContent()).toBe('« Mobilier atelier » déplacée vers Signé.')
    const moved = column(page, 'SIGNE').getByRole('link', { name: 'Mobilier atelier', exact: true })
    await moved.waitFor()
    // The card the page scrolled to is below the sticky header, not under it.
    const header = (await page.locator('header').first().boundingBox())!
    const box = (await card(page, 'Mobilier atelier').boundingBox())!
    expect(box.y).toBeGreaterThanOrEqual(header.y + header.height)
    expect((await stageOf('Mobilier atelier')).stage).toBe('SIGNE')
    await context.close()
  })

  it.each([false, true])('shows the next cards of a column with "+ N affaires" (JavaScript: %s)', async (javaScriptEnabled) => {
    const context = await browser.newContext({ javaScriptEnabled, locale: 'fr-FR', viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, big.email, TEST_PASSWORD)
    await page.goto(`${app.url}/pipeline`)
    if (javaScriptEnabled) await hydrated(page)
    const prospect = column(page, 'PROSPECT')
    expect(await prospect.locator('li[id^="carte-"]').count()).toBe(10)
    await prospect.getByRole('link', { name: 'Afficher 10 affaires de plus dans la colonne Prospect' }).click()
    await page.waitForURL(/cartes_PROSPECT=20/)
    // With JavaScript the URL changes before the new cards render: wait on them.
    await expect.poll(() => column(page, 'PROSPECT').locator('li[id^="carte-"]').count()).toBe(20)
    await column(page, 'PROSPECT').getByRole('link', { name: 'Afficher 5 affaires de plus dans la colonne Prospect' }).click()
    await page.waitForURL(/cartes_PROSPECT=30/)
    await expect.poll(() => column(page, 'PROSPECT').locator('li[id^="carte-"]').count()).toBe(25)
    await context.close()
  })
})

describe('the board with JavaScript', () => {
  it('moves a card with the keyboard (Space, → ×2, Space); the move persists after reload', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1400, height: 900 } })
    const page = await openBoard(context)
    await hydrated(page)
    const handle = page.getByRole('button', { name: 'Déplacer « Agencement boutique » (glisser ou Espace)' })
    expect(await handle.getAttribute('aria-roledescription')).toBe('carte déplaçable')
    await handle.focus()
    await page.keyboard.press('Space')
    // The French live region announces each step.
    await page.getByText('Affaire « Agencement boutique » saisie, dans la colonne Prospect.').waitFor({ state: 'attached' })
    // Each arrow once the previous step is announced, not after a fixed pause.
    await page.keyboard.press('ArrowRight')
    await page.getByText('Au-dessus de la colonne Qualification.').waitFor({ state: 'attached' })
    await page.keyboard.press('ArrowRight')
    await page.getByText('Au-dessus de la colonne Proposition.').waitFor({ state: 'attached' })
    await page.keyboard.press('Space')
    // Optimistic: the card is in its new column at once, then saved.
    await column(page, 'PROPOSITION').getByRole('link', { name: 'Agencement boutique', exact: true }).waitFor()
    await page.getByText('« Agencement boutique » déplacée vers Proposition.').waitFor()
    expect((await stageOf('Agencement boutique')).stage).toBe('PROPOSITION')
    await page.reload()
    await column(page, 'PROPOSITION').getByRole('link', { name: 'Agencement boutique', exact: true }).waitFor()
    expect(await column(page, 'PROSPECT').getByRole('link', { name: 'Agencement boutique', exact: true }).count()).toBe(0)
    await context.close()
  })

  it('moves a card with the mouse, and asks for the reason in a dialog when dropped on PERDU', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1400, height: 900 } })
    const page = await openBoard(context)
    await hydrated(page)
    const handle = page.getByRole('button', { name: 'Déplacer « Escalier chêne » (glisser ou Espace)' })
    // The board scrolls sideways: bring the last column into view (the card's column stays in it).
    await column(page, 'PERDU').scrollIntoViewIfNeeded()
    const from = (await handle.boundingBox())!
    const to = (await column(page, 'PERDU').boundingBox())!
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + ((to.x + 40 - from.x) * i) / 10, from.y + 20 + i, { steps: 2 })
    await page.mouse.up()
    const dialog = page.getByRole('dialog', { name: 'Affaire perdue' })
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Marquer comme perdue' }).click()
    await dialog.getByText('Indiquez la raison de la perte.').waitFor()
    await dialog.getByLabel('Pourquoi « Escalier chêne » est-elle perdue ?').fill('Concurrent moins cher')
    await dialog.getByRole('button', { name: 'Marquer comme perdue' }).click()
    await page.getByText('« Escalier chêne » déplacée vers Perdu.').waitFor()
    expect(await stageOf('Escalier chêne')).toEqual({ stage: 'PERDU', lost_reason: 'Concurrent moins cher' })
    await context.close()
  })

  it('puts the card back with a French message when the server refuses the move', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1400, height: 900 } })
    const page = await openBoard(context)
    await hydrated(page)
    // Someone else changes the deal after the board was loaded: the versions differ.
    await changeDealStageCommand(app.rt.db, w.ctx(), { id: deals['Cuisine showroom'], to: 'PROPOSITION' })
    await changeDealStageCommand(app.rt.db, w.ctx(), { id: deals['Cuisine showroom'], to: 'QUALIFICATION' })
    const handle = page.getByRole('button', { name: 'Déplacer « Cuisine showroom » (glisser ou Espace)' })
    await handle.focus()
    await page.keyboard.press('Space')
    await page.getByText('Affaire « Cuisine showroom » saisie, dans la colonne Qualification.').waitFor({ state: 'attached' })
    await page.keyboard.press('ArrowRight')
    await page.getByText('Au-dessus de la colonne Proposition.').waitFor({ state: 'attached' })
    await page.keyboard.press('Space')
    await page
      .getByText(/« Cuisine showroom » n’a pas pu être déplacée : Cet enregistrement a été modifié par quelqu.un d.autre/)
      .first()
      .waitFor()
    await column(page, 'QUALIFICATION').getByRole('link', { name: 'Cuisine showroom', exact: true }).waitFor()
    expect(await column(page, 'PROPOSITION').getByRole('link', { name: 'Cuisine showroom', exact: true }).count()).toBe(0)
    expect((await stageOf('Cuisine showroom')).stage).toBe('QUALIFICATION')
    await context.close()
  })

  it('updates the column totals with the card, and hides the no-JS move links', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1400, height: 900 } })
    const page = await openBoard(context)
    await hydrated(page)
    expect(await page.getByRole('link', { name: /^Déplacer « / }).count()).toBe(0)
    const total = (stage: string) => page.getByTestId(`total-${stage}`).textContent()
    const before = await total('NEGOCIATION')
    await page.getByRole('button', { name: 'Déplacer « Four à sole » (glisser ou Espace)' }).focus()
    await page.keyboard.press('Space')
    await page.getByText('Affaire « Four à sole » saisie, dans la colonne Prospect.').waitFor({ state: 'attached' })
    for (const next of ['Qualification', 'Proposition', 'Négociation']) {
      await page.keyboard.press('ArrowRight')
      await page.getByText(`Au-dessus de la colonne ${next}.`).waitFor({ state: 'attached' })
    }
    await page.keyboard.press('Space')
    await page.getByText('« Four à sole » déplacée vers Négociation.').waitFor()
    expect(await total('NEGOCIATION')).not.toBe(before)
    expect((await total('NEGOCIATION'))!.replace(/\s/g, ' ')).toBe('144 250,50 €'.replace(/\s/g, ' '))
    await context.close()
  })
})

describe('Signé with JavaScript, and drops at column edges', () => {
  /** Drags the card by its handle with the mouse and lets go at (x, y). */
  // `over`: the column the board must announce under the pointer before the button is released.
  // On a loaded machine the last pointer move can still be on its way when the release comes;
  // the drop must be judged where the pointer is, so the test waits for the board to say so.
  async function dragTo(page: Page, title: string, x: number, y: number, over: string) {
    const from = (await page.getByRole('button', { name: `Déplacer « ${title} » (glisser ou Espace)` }).boundingBox())!
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    const sx = from.x + from.width / 2
    const sy = from.y + from.height / 2
    for (let i = 1; i <= 10; i++) await page.mouse.move(sx + ((x - sx) * i) / 10, sy + ((y - sy) * i) / 10, { steps: 2 })
    await page.getByText(`Au-dessus de la colonne ${over}.`).waitFor({ state: 'attached' })
    await page.mouse.up()
  }

  it('asks for a confirmation before Signé, and for a reason out of it (recorded)', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1400, height: 900 } })
    const page = await openBoard(context)
    await hydrated(page)
    await page.getByRole('button', { name: 'Déplacer « Aménagement siège » (glisser ou Espace)' }).focus()
    await page.keyboard.press('Space')
    await page.getByText('Affaire « Aménagement siège » saisie, dans la colonne Négociation.').waitFor({ state: 'attached' })
    await page.keyboard.press('ArrowRight')
    await page.getByText('Au-dessus de la colonne Signé.').waitFor({ state: 'attached' })
    await page.keyboard.press('Space')
    const confirm = page.getByRole('dialog', { name: 'Confirmer la signature' })
    await confirm.waitFor()
    expect((await stageOf('Aménagement siège')).stage).toBe('NEGOCIATION')
    await confirm.getByRole('button', { name: 'Confirmer : Signé' }).click()
    await page.getByText('« Aménagement siège » déplacée vers Signé.').waitFor()
    expect((await stageOf('Aménagement siège')).stage).toBe('SIGNE')

    await page.getByRole('button', { name: 'Déplacer « Aménagement siège » (glisser ou Espace)' }).focus()
    await page.keyboard.press('Space')
    await page.getByText('Affaire « Aménagement siège » saisie, dans la colonne Signé.').waitFor({ state: 'attached' })
    await page.keyboard.press('ArrowLeft')
    await page.getByText('Au-dessus de la colonne Négociation.').waitFor({ state: 'attached' })
    await page.keyboard.press('Space')
    const reopen = page.getByRole('dialog', { name: 'Rouvrir une affaire signée' })
    await reopen.waitFor()
    await reopen.getByRole('button', { name: 'Rouvrir l’affaire' }).click()
    await reopen.getByText('Indiquez pourquoi cette affaire signée est rouverte.').waitFor()
    await reopen.getByLabel('Pourquoi la sortir de Signé ?').fill('Bon de commande annulé')
    await reopen.getByRole('button', { name: 'Rouvrir l’affaire' }).click()
    await page.getByText('« Aménagement siège » déplacée vers Négociation.').waitFor()
    const event = await app.rt.db
      .selectFrom('events')
      .select('data')
      .where('stream_id', '=', deals['Aménagement siège'])
      .orderBy('stream_version', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(event.data).toMatchObject({ from: 'SIGNE', to: 'NEGOCIATION', reopen_reason: 'Bon de commande annulé' })
    await context.close()
  })

  it('lands a drop in the column under the pointer, even at its edge next to Signé', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await openBoard(context)
    await hydrated(page)
    const perdu = (await column(page, 'PERDU').boundingBox())!
    // Just inside Perdu's left edge: the card hangs mostly over Signé, the pointer is in Perdu.
    await dragTo(page, 'Rénovation bureaux', perdu.x + 4, perdu.y + 120, 'Perdu')
    await page.getByRole('dialog', { name: 'Affaire perdue' }).waitFor()
    expect(await page.getByRole('dialog', { name: 'Confirmer la signature' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Annuler' }).click()
    // In the gap between Signé and Perdu, nearer Perdu: Perdu again.
    await dragTo(page, 'Rénovation bureaux', perdu.x - 3, perdu.y + 120, 'Perdu')
    await page.getByRole('dialog', { name: 'Affaire perdue' }).waitFor()
    await page.getByRole('button', { name: 'Annuler' }).click()
    // Just inside Signé's right edge: Signé.
    const signe = (await column(page, 'SIGNE').boundingBox())!
    await dragTo(page, 'Rénovation bureaux', signe.x + signe.width - 4, signe.y + 120, 'Signé')
    await page.getByRole('dialog', { name: 'Confirmer la signature' }).waitFor()
    await page.getByRole('button', { name: 'Annuler' }).click()
    expect((await stageOf('Rénovation bureaux')).stage).toBe('PROPOSITION')
    await context.close()
  })
})

describe('the board, looked at', () => {
  it('has no serious or critical axe violation, with or without JavaScript', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.close()
    expect(await seriousA11yViolations(context, `${app.url}/pipeline`, { withAppScripts: false })).toEqual([])
    expect(await seriousA11yViolations(context, `${app.url}/pipeline`, { withAppScripts: true })).toEqual([])
    await context.close()
  })

  it('renders on a desktop and a 375 px phone (screenshots)', async () => {
    const desktop = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1440, height: 900 } })
    const page = await openBoard(desktop)
    await hydrated(page)
    await screenshot(page, 'pipeline')
    const phone = await browser.newContext({ locale: 'fr-FR', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    await phone.addCookies(await desktop.cookies())
    const phonePage = await phone.newPage()
    await phonePage.goto(`${app.url}/pipeline`)
    await hydrated(phonePage)
    // The page itself never scrolls sideways: only the board does.
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await phonePage.screenshot({ path: `${SCREENSHOTS}/pipeline-phone.png` }) // the viewport: the board scrolls sideways
    await phone.close()
    await desktop.close()
  })
})
