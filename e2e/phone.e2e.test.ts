import { createECDH, randomBytes, randomUUID } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { createContactCommand, logActivityCommand } from '../domain/crm/contact.commands.js'
import { givenDeal, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { testNow } from '../testing/clock.js'
import { launchChromium, seriousA11yViolations, signIn } from './browser.js'

// The rep's phone (issue 15) in real Chromium over the built app (`npm run build` first):
// business cards read on the device with no request leaving loopback, meeting check-in
// with the position granted and refused, sharing without the Web Share API, and the push
// subscription screen up to the browser's permission prompt.

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>
let contactId: string
let dealId: string
let meetingId: string
const savedLoopback = process.env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS

beforeAll(async () => {
  process.env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS = '1' // the synthetic subscription's endpoint is on 127.0.0.1
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Menuiseries Roche')
  const org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Menuiserie Roche', ownerId: w.users.commercial })
  dealId = await givenDeal(app.rt.db, w.ctx(), { organisationId: org, title: 'Portes de l’atelier', ownerId: w.users.commercial })
  contactId = randomUUID()
  await createContactCommand(app.rt.db, w.ctx(), {
    id: contactId,
    fields: {
      civility: 'Mme',
      first_name: 'Hélène',
      last_name: 'Roche',
      job_title: 'Gérante',
      emails: ['helene@menuiserie-roche.fr'],
      phones: ['+33612345678'],
      organisation_id: org,
      owner_id: w.users.commercial,
      shared: false,
      gdpr_consent: false,
      consent_source: null,
      consent_date: null,
      marketing_opt_out: false,
    },
  })
  meetingId = randomUUID()
  await logActivityCommand(app.rt.db, w.ctx(w.users.commercial), {
    id: meetingId,
    fields: {
      kind: 'meeting',
      subject: 'Visite de l’atelier',
      body: null,
      occurred_at: testNow().toISOString(),
      duration_minutes: 60,
      organisation_id: org,
      contact_id: null,
      deal_id: null,
    },
  })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  if (savedLoopback === undefined) delete process.env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS
  else process.env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS = savedLoopback
})

async function repContext(opts: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 412, height: 900 }, ...opts })
  context.setDefaultTimeout(20_000)
  const page = await context.newPage()
  await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
  return { context, page }
}

const isLoopback = (url: string) => /^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(url) || /^(data|blob):/.test(url)

type Card = { html: string; expect: { first: string; last: string; title: string; email: string; phone: string; extras: string[] } }

const card = (lines: string[]) =>
  `<!doctype html><html><body style="margin:0;background:#fff"><div id="card" style="width:760px;height:420px;padding:36px 44px;box-sizing:border-box;font:30px/1.45 'DejaVu Sans',Arial,sans-serif;color:#111;background:#fff">${lines
    .map((l, i) => `<div style="${i === 0 ? 'font-size:38px;font-weight:700' : ''}">${l}</div>`)
    .join('')}</div></body></html>`

const CARDS: Card[] = [
  {
    html: card([
      'Claire ROCHE',
      'Directrice commerciale',
      'Menuiserie Roche SARL',
      'Mob. 06 12 34 56 78',
      'claire.roche@menuiserie-roche.fr',
      'RCS Paris 552 100 554',
    ]),
    expect: {
      first: 'Claire',
      last: 'Roche',
      title: 'Directrice commerciale',
      email: 'claire.roche@menuiserie-roche.fr',
      phone: '06 12 34 56 78',
      extras: ['Menuiserie Roche SARL', '552100554'],
    },
  },
  {
    html: card(['John Smith', 'Head of Sales', 'Northwind Traders Ltd', '+44 20 7946 0958', 'john.smith@northwind.co.uk', 'www.northwind.co.uk']),
    expect: {
      first: 'John',
      last: 'Smith',
      title: 'Head of Sales',
      email: 'john.smith@northwind.co.uk',
      phone: '+44 20 7946 0958',
      extras: ['Northwind Traders Ltd', 'https://www.northwind.co.uk'],
    },
  },
  {
    html: card(['DUPONT Jean', 'Gérant', 'Atelier Dupont SAS', 'SIRET 732 829 320 00074', 'jean.dupont@atelier-dupont.fr', '07 81 22 33 44']),
    expect: {
      first: 'Jean',
      last: 'Dupont',
      title: 'Gérant',
      email: 'jean.dupont@atelier-dupont.fr',
      phone: '07 81 22 33 44',
      extras: ['Atelier Dupont SAS', '732829320'],
    },
  },
]

describe('business card scan', () => {
  it('reads three cards on the device into the contact form, with no request leaving loopback, and the rep saves one', async () => {
    // The card pictures: HTML cards rendered by Chromium and screenshot to PNG.
    const drawer = await browser.newPage({ viewport: { width: 760, height: 420 } })
    const pictures: Buffer[] = []
    for (const c of CARDS) {
      await drawer.setContent(c.html)
      pictures.push(await drawer.locator('#card').screenshot({ type: 'png' }))
    }
    await drawer.close()

    const { context, page } = await repContext()
    const outside: string[] = []
    context.on('request', (r) => {
      if (!isLoopback(r.url())) outside.push(r.url())
    })
    // Every request that would leave the machine is refused (and recorded): no CDN.
    await context.route(
      (url) => !isLoopback(url.href),
      (route) => {
        outside.push(route.request().url())
        return route.abort('blockedbyclient')
      },
    )
    await page.goto(`${app.url}/contacts/new`)
    for (const [i, c] of CARDS.entries()) {
      const upload = page.getByLabel('Scanner une carte')
      await upload.setInputFiles({ name: `carte-${i + 1}.png`, mimeType: 'image/png', buffer: pictures[i] })
      await page.getByText('Carte lue : vérifiez les champs préremplis, puis enregistrez.').waitFor({ timeout: 90_000 })
      await expect.poll(() => page.getByLabel('Prénom').inputValue()).toBe(c.expect.first)
      expect(await page.locator('input[name="last_name"]').inputValue()).toBe(c.expect.last)
      expect(await page.getByLabel('Fonction').inputValue()).toBe(c.expect.title)
      expect(await page.getByLabel('Adresse e-mail 1').inputValue()).toBe(c.expect.email)
      expect(await page.getByLabel('Téléphone 1').inputValue()).toBe(c.expect.phone)
      const extras = await page.getByTestId('card-extras').innerText()
      for (const x of c.expect.extras) expect(extras).toContain(x)
    }
    expect(outside).toEqual([])
    // The service worker precached them: the next card is read offline.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const name = (await caches.keys()).find((n) => n.startsWith('alforis-ocr-'))
          return name ? (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname.split('/').pop()).sort() : []
        }),
      )
      .toEqual(expect.arrayContaining(['eng.traineddata.gz', 'fra.traineddata.gz', 'worker.min.js']))

    // The rep confirms the last card: a normal contact creation.
    await Promise.all([page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Créer' }).click()])
    const saved = await app.rt.db
      .selectFrom('contacts')
      .select(['first_name', 'last_name', 'job_title', 'emails', 'phones'])
      .where('last_name', '=', 'Dupont')
      .executeTakeFirstOrThrow()
    expect(saved).toMatchObject({ first_name: 'Jean', last_name: 'Dupont', job_title: 'Gérant', emails: ['jean.dupont@atelier-dupont.fr'] })
    expect(saved.phones).toHaveLength(1)
    expect(outside).toEqual([])
    await context.close()
  }, 300_000)
})

describe('meeting check-in', () => {
  const checkIns = () => app.rt.db.selectFrom('activity_check_ins').selectAll().where('activity_id', '=', meetingId).orderBy('checked_in_at').execute()

  it('records the position with its accuracy and the time when the phone gives one', async () => {
    const { context, page } = await repContext({ geolocation: { latitude: 48.8531, longitude: 2.3691, accuracy: 25 }, permissions: ['geolocation'] })
    await page.goto(`${app.url}/activities/${meetingId}`)
    await page.getByRole('button', { name: 'Je suis arrivé' }).click()
    await page.getByText(/Arrivée enregistrée à \d{2}:\d{2} \(position à 25 m près\)\./).waitFor()
    const [row] = await checkIns()
    expect(row).toMatchObject({ user_id: w.users.commercial, position_status: 'ok', latitude: 48.8531, longitude: 2.3691, accuracy_m: 25 })
    // The app's clock (the tests' one), not the browser's: a few ms of it pass between the two reads.
    expect(Math.abs(row.checked_in_at.getTime() - testNow().getTime())).toBeLessThan(60_000)
    await context.close()
  })

  it('still records the time, and says so plainly, when location is refused', async () => {
    const { context, page } = await repContext()
    await context.clearPermissions()
    await page.goto(`${app.url}/activities/${meetingId}`)
    await page.getByRole('button', { name: 'Je suis arrivé' }).click()
    await page.getByText('Vous n’avez pas autorisé la localisation : l’heure d’arrivée est enregistrée, sans position.').waitFor()
    const rows = await checkIns()
    expect(rows).toHaveLength(2)
    expect(rows[1]).toMatchObject({ position_status: 'denied', latitude: null, longitude: null, accuracy_m: null })
    expect(await seriousA11yViolations(context, `${app.url}/activities/${meetingId}`, { withAppScripts: true })).toEqual([])
    await context.close()
  })
})

describe('share', () => {
  it('offers "Copier le lien" where the browser has no Web Share API, and the vCard is a text/vcard file', async () => {
    const { context, page } = await repContext({ permissions: ['clipboard-read', 'clipboard-write'] })
    await context.addInitScript(() => {
      // Desktop Linux Chromium may or may not have it: make the fallback certain.
      delete (Navigator.prototype as { share?: unknown }).share
    })
    await page.goto(`${app.url}/deals/${dealId}`)
    await page.getByRole('button', { name: 'Copier le lien' }).click()
    await page.getByText('Lien copié.').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${app.url}/deals/${dealId}`)

    const res = await page.request.get(`${app.url}/contacts/${contactId}/vcard`)
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toBe('text/vcard; charset=utf-8')
    expect(res.headers()['content-disposition']).toBe('attachment; filename="Helene-Roche.vcf"')
    const vcf = await res.text()
    expect(vcf).toContain('FN:Hélène Roche\r\n')
    expect(vcf).toContain('ORG:Menuiserie Roche\r\n')
    expect(vcf).toContain('TEL;TYPE=CELL,VOICE,PREF:+33612345678\r\n')
    await context.close()
  })

  it('hands the contact card to the share sheet as a .vcf file where the browser has one', async () => {
    const { context, page } = await repContext()
    await context.addInitScript(() => {
      const shared: unknown[] = []
      ;(window as unknown as { __shared: unknown[] }).__shared = shared
      Object.defineProperty(Navigator.prototype, 'share', {
        configurable: true,
        value: async (data: ShareData) => void shared.push({ title: data.title, url: data.url, files: data.files?.map((f) => [f.name, f.type]) }),
      })
      Object.defineProperty(Navigator.prototype, 'canShare', { configurable: true, value: () => true })
    })
    await page.goto(`${app.url}/contacts/${contactId}`)
    await page.getByRole('button', { name: 'Partager' }).click()
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __shared: unknown[] }).__shared))
      .toEqual([{ title: 'Hélène Roche', files: [['Helene-Roche.vcf', 'text/vcard']] }])
    await context.close()
  })
})

describe('installable', () => {
  it('has a manifest with shortcuts to a new note and my tasks, screenshots for both form factors, and iOS home-screen tags', async () => {
    const m = await (await app.client().request('/manifest.webmanifest')).json()
    expect(m.shortcuts.map((s: { name: string; url: string }) => [s.name, s.url])).toEqual(
      expect.arrayContaining([
        ['Nouvelle note', '/activities?type=note'],
        ['Mes tâches', '/tasks'],
      ]),
    )
    expect(m.screenshots.map((s: { form_factor: string }) => s.form_factor).sort()).toEqual(['narrow', 'wide'])
    for (const s of m.screenshots as { src: string }[]) expect((await app.client().request(s.src)).headers.get('content-type')).toBe('image/png')
    expect(m.icons.some((i: { purpose: string }) => i.purpose === 'maskable')).toBe(true)
    const html = await (await app.client().request('/login')).text()
    expect(html).toContain('<meta name="apple-mobile-web-app-capable" content="yes"/>')
    expect(html).toContain('<meta name="apple-mobile-web-app-status-bar-style" content="default"/>')
    expect(html).toContain('rel="apple-touch-icon"')
  })
})

describe('push subscription', () => {
  it('asks the browser for permission on "Activer sur cet appareil" and explains a refusal', async () => {
    const { context, page } = await repContext()
    await context.addInitScript(() => {
      const original = Notification.requestPermission.bind(Notification)
      ;(window as unknown as { __asked: number }).__asked = 0
      Notification.requestPermission = () => {
        ;(window as unknown as { __asked: number }).__asked++
        return original()
      }
    })
    await context.clearPermissions()
    await page.goto(`${app.url}/settings/push`)
    await page.getByRole('button', { name: 'Activer sur cet appareil' }).click()
    await page.getByText('Vous avez refusé les notifications pour ce site.', { exact: false }).waitFor()
    expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1)
    expect(await seriousA11yViolations(context, `${app.url}/settings/push`, { withAppScripts: true })).toEqual([])
    await context.close()
  })

  it('keeps a posted subscription as a device of the user, lists it, and removes it with JavaScript off', async () => {
    const rep = await app.login(w.emails.commercial)
    await rep.get('/settings/push')
    const browserKey = createECDH('prime256v1')
    browserKey.generateKeys()
    const subscription = {
      endpoint: `http://127.0.0.1:9/push/${randomUUID()}`,
      keys: { p256dh: browserKey.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    }
    const { res } = await rep.post('/settings/push', { intent: 'subscribe', subscription: JSON.stringify(subscription), label: 'Chrome sur Android' })
    expect(res.status).toBe(200)
    const bad = await rep.post('/settings/push', {
      intent: 'subscribe',
      subscription: JSON.stringify({ endpoint: 'https://push.exemple.fr/x', keys: { p256dh: 'abc', auth: 'def' } }),
      label: 'x',
    })
    expect(bad.res.status).toBe(400)
    expect(bad.html).toContain('abonnement aux notifications valable')

    const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.commercial, TEST_PASSWORD)
    await page.goto(`${app.url}/settings/push`)
    await page.getByText('Chrome sur Android').waitFor()
    await page.getByRole('button', { name: 'Retirer l’appareil Chrome sur Android' }).click()
    await page.getByText('Appareil retiré.').waitFor()
    expect(await app.rt.db.selectFrom('push_subscriptions').select('id').where('user_id', '=', w.users.commercial).execute()).toEqual([])
    await context.close()
  })
})
