import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../app/testing/app-server.js'
import { consumePending } from '../db/event-consumer.js'
import { attemptDelivery } from '../domain/webhooks/deliver.js'
import { outboxSpec } from '../domain/webhooks/outbox.js'
import type { DeliverJob, WebhookDeps } from '../domain/webhooks/webhook-deps.js'
import { testNow } from '../testing/clock.js'
import { givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace, TEST_PASSWORD } from '../testing/fixtures.js'
import { launchChromium, seriousA11yViolations, signIn } from './browser.js'

// /settings/webhooks in Chromium with JavaScript off: refused input beside its fields,
// an endpoint added (its secret shown once), a delivery that failed for good in the log
// and sent again, the secret rotated, the endpoint switched off and on; admins only;
// axe with JavaScript off and on. The receiver is on 127.0.0.1 (the tests' loopback switch).

process.env.ALFORIS_ALLOW_LOOPBACK_WEBHOOKS = '1'

let app: TestApp
let browser: Browser
let w: Awaited<ReturnType<typeof givenWorkspace>>
const receiver = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => res.writeHead(500).end('indisponible'))
})

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  ;[app, browser] = await Promise.all([startTestApp({ projector: false }), launchChromium()])
  w = await givenWorkspace(app.rt.db, 'Atelier Webhooks')
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
  await new Promise<void>((r) => receiver.close(() => r()))
})

describe('webhooks settings without JavaScript', () => {
  it('adds an endpoint, shows its failed delivery, sends it again, rotates the secret and switches it off and on', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    await page.goto(`${app.url}/settings/webhooks`)
    await page.getByText('Aucun point de réception pour l’instant.').waitFor()

    await page.getByLabel('Adresse de réception (URL)').fill('https://10.0.0.5/hooks')
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    await page.getByText('Cette adresse pointe vers un réseau interne').waitFor()
    await page.getByText('Choisissez au moins un type d’événement.').waitFor()

    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/panne`
    await page.getByLabel('Adresse de réception (URL)').fill(url)
    await page.getByLabel('Description').fill('ERP atelier')
    await page.getByLabel('Organisation créée').check()
    await page.getByRole('button', { name: 'Enregistrer' }).click()
    const secret = await page.getByLabel('Secret', { exact: true }).inputValue()
    expect(secret).toMatch(/^whsec_/)
    const row = await app.rt.db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', w.workspaceId).executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain(secret.slice(6))
    expect(await seriousA11yViolations(context, `${app.url}/settings/webhooks`, { withAppScripts: false })).toEqual([])

    // An event, its delivery failing four times (attempts driven here: this app runs no workers).
    await givenOrganisation(app.rt.db, w.ctx(), { name: 'Ébénisterie Caron' })
    const jobs: DeliverJob[] = []
    const deps: WebhookDeps = {
      db: app.rt.db,
      now: testNow,
      log: () => {},
      outbound: { policy: { allowHttp: false, allowLoopback: true } },
      queue: { send: async (_q, d) => (jobs.push(d), 'job'), insert: async (js) => void jobs.push(...js.map((j) => j.data)) },
    }
    await consumePending(app.rt.db, outboxSpec(deps))
    while (jobs.length) await attemptDelivery(deps, jobs.shift()!)

    await page.getByRole('link', { name: `Voir le journal de ${url}` }).click()
    await page.getByRole('heading', { name: 'ERP atelier' }).waitFor()
    await page.getByRole('link', { name: 'Échecs définitifs' }).click()
    await page.getByText('Échec définitif').first().waitFor()
    await expect(page.getByText('Réponse HTTP 500').count()).resolves.toBeGreaterThan(0)
    await expect(page.getByText('Attempts').count()).resolves.toBe(0)
    await expect(page.getByText('Essais (4)').count()).resolves.toBe(1)
    expect(await seriousA11yViolations(context, page.url(), { withAppScripts: false })).toEqual([])

    await page.getByRole('button', { name: /^Renvoyer Organisation créée du / }).click()
    await page.getByText('Renvoi programmé.').waitFor()
    await expect(app.rt.db.selectFrom('webhook_deliveries').select('status').where('endpoint_id', '=', row.id).executeTakeFirstOrThrow()).resolves.toEqual({
      status: 'pending',
    })

    await page.getByRole('button', { name: 'Changer le secret' }).click()
    await page.getByText('Nouveau secret créé.', { exact: false }).waitFor()
    const next = await page.getByLabel('Secret', { exact: true }).inputValue()
    expect(next).toMatch(/^whsec_/)
    expect(next).not.toBe(secret)

    await page.getByRole('button', { name: 'Désactiver' }).click()
    await page.getByText('Point de réception désactivé.').waitFor()
    await page.getByRole('button', { name: 'Réactiver' }).click()
    await page.getByText('Point de réception réactivé', { exact: false }).waitFor()

    await page.getByLabel('Affaire gagnée').check()
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click()
    await page.getByText('Modifications enregistrées.').waitFor()
    const saved = await app.rt.db.selectFrom('webhook_endpoints').select('event_types').where('id', '=', row.id).executeTakeFirstOrThrow()
    expect(saved.event_types.sort()).toEqual(['deal.won', 'organisation.created'])
    await context.close()
  })

  it('is for admins only, and passes axe with JavaScript on', async () => {
    const rep = await app.login(w.emails.commercial)
    expect((await rep.get('/settings/webhooks')).res.status).toBe(403)
    expect((await rep.post('/settings/webhooks', { url: 'https://exemple.fr/h', event_types: 'deal.won' })).res.status).toBe(403)
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, w.emails.admin, TEST_PASSWORD)
    expect(await seriousA11yViolations(context, `${app.url}/settings/webhooks`, { withAppScripts: true })).toEqual([])
    await context.close()
  })
})
