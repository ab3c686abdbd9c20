import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_LOGINS } from '../seed/demo-logins.js'
import { seedDemo, SEED_DEFAULTS } from '../seed/seed.js'
import { testNow } from '../testing/clock.js'
import { decodeEntities, startTestApp, textOf, type TestApp, type WebClient } from './testing/app-server.js'

// The pipeline board's weight on the demo data (seed defaults: 6 000 deals): the HTML
// document a first visit gets (cards, hydration data, one move step at most) stays
// under 200 KB, and each column shows one page of cards, "+ N affaires" the next.

let app: TestApp
let admin: WebClient

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  await seedDemo(app.rt.db, { asOf: testNow(), invoicedDeals: 0 })
  const login = DEMO_LOGINS.find((l) => l.role === 'admin')!
  admin = await app.login(login.email, login.password)
}, 180_000)
afterAll(async () => {
  await app?.stop()
})

const cardIds = (html: string) => [...html.matchAll(/<li id="carte-([0-9a-f-]{36})"/g)].map((m) => m[1])
const column = (html: string, stage: string) => {
  const start = html.indexOf(`data-stage="${stage}"`)
  const end = html.indexOf('</section>', start)
  return html.slice(start, end)
}

describe('the board on the demo data', () => {
  it(`is an HTML document under 200 KB for ${SEED_DEFAULTS.deals} deals, one page of 10 cards per column`, async () => {
    const { res, html } = await admin.get('/pipeline')
    expect(res.status).toBe(200)
    const bytes = Buffer.byteLength(html)
    expect(bytes).toBeLessThan(200_000)
    // No form per card: the only POST forms are the layout's (none on the board itself).
    expect(html).not.toContain('name="intent" value="move"')
    for (const stage of ['PROSPECT', 'QUALIFICATION', 'PROPOSITION', 'NEGOCIATION']) expect(cardIds(column(html, stage))).toHaveLength(10)
    expect(cardIds(html).length).toBeLessThanOrEqual(60)
  })

  it('grows by a bounded amount per card: each card shown costs less than 1.5 KB', async () => {
    const one = await admin.get('/pipeline')
    const two = await admin.get('/pipeline?cartes_PROSPECT=30')
    const added = cardIds(two.html).length - cardIds(one.html).length
    expect(added).toBe(20)
    expect((Buffer.byteLength(two.html) - Buffer.byteLength(one.html)) / added).toBeLessThan(1_500)
  })

  it('shows the next page of a column with "+ 10 affaires", without JavaScript, then the cap of 200', async () => {
    const { html } = await admin.get('/pipeline')
    const prospect = column(html, 'PROSPECT')
    const link = /<a[^>]*href="([^"]*cartes_PROSPECT=20[^"]*)"[^>]*>([^<]*)</.exec(prospect)
    expect(link).not.toBeNull()
    expect(textOf(link![2])).toBe('+ 10 affaires')
    expect(decodeEntities(link![1])).toBe('/pipeline?cartes_PROSPECT=20#cartes-PROSPECT-10')
    const next = await admin.get(decodeEntities(link![1]).replace(/#.*/, ''))
    const grown = column(next.html, 'PROSPECT')
    expect(cardIds(grown)).toHaveLength(20)
    // The first new card carries the anchor the link scrolls to; the other columns are unchanged.
    expect(grown).toContain('id="cartes-PROSPECT-10"')
    expect(cardIds(column(next.html, 'QUALIFICATION'))).toHaveLength(10)
    // The next link keeps the grown column.
    expect(decodeEntities(next.html)).toContain('/pipeline?cartes_PROSPECT=30#cartes-PROSPECT-20')
    // Nonsense asks fall back to bounds: one page at least, 200 at most.
    const capped = await admin.get('/pipeline?cartes_PROSPECT=99999&cartes_QUALIFICATION=-5')
    expect(cardIds(column(capped.html, 'PROSPECT')).length).toBeLessThanOrEqual(200)
    expect(cardIds(column(capped.html, 'QUALIFICATION'))).toHaveLength(10)
  })
})
