import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { givenQuoteCustomer, quoteLine } from '../testing/quote-records.js'
import { loadCompanySettings } from '../domain/sales/company-settings.js'
import { sendQuoteByEmail } from '../domain/sales/quote-link-send.js'
import { launchChromium, screenshot, seriousA11yViolations, signIn } from './browser.js'
import { TEST_NOW } from '../testing/clock.js'

// The customer signs in real Chromium: with JavaScript off (typed full name + the
// acceptance box) and on (a signature drawn on the canvas with mouse moves). Afterwards
// the deal is SIGNE and the archived PDF's text carries the audit block.

let app: TestApp
let browser: Browser
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quote-e2e-'))
// Quote numbers carry the Paris year of their creation (the real clock here): never a literal year.
const N1 = `DEV-${new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' }).format(TEST_NOW)}-0001`

beforeAll(async () => {
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function givenSentQuote() {
  const w = await givenQuoteCustomer(app.rt.db)
  const id = await w.quote([
    quoteLine({ description: 'Comptoir en chêne massif\nSur mesure, 3,20 m', unit: 'u', quantity: '1', unit_price_cents: 480_000 }),
    quoteLine({ description: 'Pose et réglages', quantity: '1.5', unit_price_cents: 62_000 }),
    quoteLine({ description: 'Isolation du local', unit: 'm²', quantity: '12.333', unit_price_cents: 4_190, vat_rate: 550 }),
  ])
  const r = await sendQuoteByEmail(app.rt.db, null, w.ctx(w.users.commercial), { id, email: { to: w.email, subject: 'Votre devis', message: 'Bonjour' } })
  if (r.duplicate) throw new Error('duplicate')
  return { w, id, url: `${app.url}/q/${r.token}` }
}

async function archivedPdfText(quoteId: string) {
  const row = await app.rt.db
    .selectFrom('quote_signatures')
    .select(['signed_pdf', 'method', 'signature_png', 'signer_name', 'version_sha256'])
    .where('quote_id', '=', quoteId)
    .executeTakeFirstOrThrow()
  const file = path.join(tmp, `${quoteId}.pdf`)
  fs.writeFileSync(file, row.signed_pdf!)
  return { row, text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u202f\u00a0]/g, ' '), file }
}

async function dealOf(dealId: string) {
  return app.rt.db.selectFrom('deals').select(['stage', 'amount_cents']).where('id', '=', dealId).executeTakeFirstOrThrow()
}

describe('signing a quote in Chromium', () => {
  it('without JavaScript: typed full name and the acceptance box', async () => {
    const { w, id, url } = await givenSentQuote()
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(url)
    await page.getByRole('heading', { level: 1, name: `Devis ${N1}` }).waitFor()
    // No canvas without JavaScript: the typed path only.
    expect(await page.getByTestId('signature-canvas').isVisible()).toBe(false)
    await screenshot(page, 'quote-public-no-js')

    await page.getByRole('button', { name: 'Signer le devis' }).click()
    expect(await page.locator('#signer_name-error').textContent()).toBe('Saisissez votre nom complet (prénom et nom).')
    await page.getByLabel('Votre nom complet').fill('Claire Martin')
    await page.getByLabel('Votre qualité').fill('Gérante')
    await page.getByLabel(`J’accepte ce devis (${N1}) et ses conditions : bon pour accord.`).check()
    await page.getByRole('button', { name: 'Signer le devis' }).click()
    await page.waitForURL(/\?signe=1$/)
    await page.getByText('Merci : votre signature est enregistrée.').waitFor()
    await page.getByRole('link', { name: 'Télécharger le devis signé (PDF)' }).waitFor()

    const quote = await app.rt.db.selectFrom('quotes').select(['status', 'total_ht_cents']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(quote.status).toBe('accepte')
    expect(await dealOf(w.dealId!)).toEqual({ stage: 'SIGNE', amount_cents: quote.total_ht_cents })
    const { row, text } = await archivedPdfText(id)
    expect(row.method).toBe('typed')
    expect(text).toContain('Piste d’audit de la signature')
    expect(text).toContain('Signataire : Claire Martin')
    expect(text).toMatch(/Adresse IP : (127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)/)
    expect(text.replace(/\s+/g, ' ')).toContain(`Empreinte SHA-256 du contenu de la version : ${row.version_sha256}`)
    expect(text).toContain('Bon pour accord')
    await context.close()
  })

  it('with JavaScript: a signature drawn on the canvas', async () => {
    const { w, id, url } = await givenSentQuote()
    const context = await browser.newContext({ javaScriptEnabled: true, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(url)
    const canvas = page.getByTestId('signature-canvas')
    await page.locator('[data-testid="signature-canvas"][data-ready="1"]').waitFor()
    await canvas.scrollIntoViewIfNeeded()
    const box = (await canvas.boundingBox())!
    // A looping stroke, then a second one: real pointer moves, as a hand would.
    await page.mouse.move(box.x + 30, box.y + 100)
    await page.mouse.down()
    for (let i = 0; i <= 40; i++) await page.mouse.move(box.x + 30 + i * 8, box.y + 90 - Math.sin(i / 4) * 40, { steps: 2 })
    await page.mouse.up()
    await page.mouse.move(box.x + 120, box.y + 130)
    await page.mouse.down()
    await page.mouse.move(box.x + 300, box.y + 120, { steps: 10 })
    await page.mouse.up()
    await page.getByText('Signature tracée.').waitFor()
    await page.getByLabel('Votre nom complet').fill('Claire Martin')
    await page.getByLabel('Votre qualité').fill('Gérante')
    await page.getByLabel(`J’accepte ce devis (${N1}) et ses conditions : bon pour accord.`).check()
    await screenshot(page, 'quote-public-drawn')
    await page.getByRole('button', { name: 'Signer le devis' }).click()
    await page.getByText('Merci : votre signature est enregistrée.').waitFor()

    expect((await dealOf(w.dealId!)).stage).toBe('SIGNE')
    const { row, text, file } = await archivedPdfText(id)
    expect(row.method).toBe('drawn')
    expect(row.signature_png!.subarray(1, 4).toString('ascii')).toBe('PNG')
    expect(text).toContain('Signataire : Claire Martin')
    expect(text).toContain("Méthode : signature manuscrite tracée à l'écran")
    expect(text.replace(/\s+/g, ' ')).toContain(`Empreinte SHA-256 du contenu de la version : ${row.version_sha256}`)
    // The signed copy as an image, to look at.
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      file,
      path.join(path.dirname(new URL(import.meta.url).pathname), 'screenshots', 'quote-signed-pdf'),
    ])
    await context.close()
  })

  it('has no serious accessibility violation, with and without JavaScript', async () => {
    const { url } = await givenSentQuote()
    const context = await browser.newContext({ locale: 'fr-FR' })
    for (const withAppScripts of [false, true]) {
      const violations = await seriousA11yViolations(context, url, { withAppScripts })
      expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    }
    await context.close()
  })
})

describe('company settings in Chromium (no JavaScript)', () => {
  it('shows French errors beside the fields, then saves with a logo', async () => {
    const w = await givenWorkspace(app.rt.db, 'Menuiseries Dupont')
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.goto(`${app.url}/settings/company`)
    await page.getByRole('heading', { level: 1, name: 'Société et mentions légales' }).waitFor()
    await page.getByLabel('SIRET du siège').fill('73282932000075')
    await page.getByLabel('IBAN').fill('FR76 3000 6000 0112 3456 7890 188')
    await page.getByLabel('Couleur de la marque').fill('#fde047')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    expect(await page.locator('#siret-error').textContent()).toMatch(/^SIRET invalide/)
    expect(await page.locator('#iban-error').textContent()).toMatch(/^IBAN invalide/)
    expect(await page.locator('#brand_color-error').textContent()).toMatch(/^Couleur trop claire/)
    expect(await page.getByLabel('IBAN').inputValue()).toBe('FR76 3000 6000 0112 3456 7890 188')
    await screenshot(page, 'company-settings-errors')

    await page.getByLabel('Raison sociale').fill('Menuiseries Dupont')
    await page.getByLabel('Forme juridique').selectOption('SARL')
    await page.getByLabel('Capital social (€)').fill('7 500')
    await page.getByLabel('SIREN').fill('732 829 320')
    await page.getByLabel('SIRET du siège').fill('73282932000074')
    await page.getByLabel('Ville du RCS').fill('Lyon')
    await page.getByLabel('IBAN').fill('FR76 3000 6000 0112 3456 7890 189')
    await page.getByLabel('Couleur de la marque').fill('#0f5132')
    await page.getByLabel('Logo', { exact: true }).setInputFiles({
      name: 'logo.png',
      mimeType: 'image/png',
      buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkqGcAAAIAAQD/2X0yAAAAAElFTkSuQmCC', 'base64'),
    })
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.waitForURL(/enregistre=1/)
    await page.getByText('Informations de la société enregistrées.').waitFor()
    await page.getByRole('img', { name: 'Logo actuel' }).waitFor()
    expect(await page.getByText('Menuiseries Dupont SARL au capital de 7 500,00 € — RCS Lyon 732 829 320').count()).toBe(1)
    await screenshot(page, 'company-settings')
    const s = await loadCompanySettings(app.rt.db, w.workspaceId)
    expect(s).toMatchObject({ siret: '73282932000074', iban: 'FR7630006000011234567890189', brand_color: '#0f5132', share_capital_cents: 750_000 })
    // axe needs JavaScript: a scripted context with the same session, the app's own scripts blocked.
    const withAxe = await browser.newContext({ storageState: await context.storageState(), locale: 'fr-FR' })
    const violations = await seriousA11yViolations(withAxe, `${app.url}/settings/company`, { withAppScripts: false })
    expect(violations, JSON.stringify(violations, null, 1)).toEqual([])
    await withAxe.close()
    await context.close()
  })
})
