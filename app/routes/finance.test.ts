import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_LOGINS } from '../../seed/demo-logins'
import { seedDemo } from '../../seed/seed'
import { TEST_NOW } from '../../testing/clock'
import { financeFigures } from '../../projections/queries/finance'
import { formatEuros } from '~/utils/format'
import { parisDay, addMonths } from '../../domain/shared/paris-time'
import { startTestApp, textOf, type TestApp } from '~/testing/app-server'

// /finance over real HTTP (built app, JavaScript off): finance, admins and managers see
// the receivables, the forecast per source and its backtest, from the read models; reps
// get a 403 and no link to it.

let app: TestApp
let ws: string
beforeAll(async () => {
  app = await startTestApp()
  ws = (await seedDemo(app.rt.db, { seed: 11, organisations: 40, deals: 260, activitiesPerDeal: 0, asOf: TEST_NOW })).workspaceId
  await app.rt.projector!.waitForCatchUp(120_000)
}, 240_000)
afterAll(async () => {
  await app?.stop()
})

const login = (role: string) => {
  const l = DEMO_LOGINS.find((x) => x.role === role)!
  return app.login(l.email, l.password)
}

describe('the finance page', () => {
  it('shows finance the receivables, DSO, aging, the forecast per source and the backtest error', async () => {
    const c = await login('finance')
    const { res, html } = await c.get('/finance')
    expect(res.status).toBe(200)
    // Spaces as a reader sees them (the euro format uses narrow no-break spaces).
    const norm = (x: string) => x.replace(/[\s\u00a0\u202f]+/g, ' ')
    const text = norm(textOf(html))
    const today = parisDay(app.rt.now())
    const f = await financeFigures(app.rt.ch, ws, { today, fromMonth: addMonths(today, -11).slice(0, 7) })
    expect(text).toContain('Reste à encaisser')
    expect(text).toContain(norm(formatEuros(f.open.total_cents)))
    expect(text).toContain('DSO = reste à encaisser ÷ facturé TTC sur 12 mois × 365')
    for (const label of ['Non échu', '1 à 30 jours', '31 à 60 jours', '61 à 90 jours', 'Plus de 90 jours']) expect(text).toContain(label)
    for (const label of ['Factures ouvertes', 'Échéanciers de contrats', 'Affaires en cours (pondérées)', 'J+30', 'J+60', 'J+90']) expect(text).toContain(label)
    expect(text).toMatch(/Erreur moyenne \(MAPE\) sur \d+ fins de mois : [\d,]+ %/)
    expect(text).toContain(f.latePayers[0].name)
    // The tables are there without JavaScript (the charts only enhance).
    expect(html).toContain('<details open=""')
  })

  it('is open to managers and admins, refused to reps, and in the menu only for those who may see it', async () => {
    for (const role of ['manager', 'admin']) expect((await (await login(role)).get('/finance')).res.status).toBe(200)
    const rep = await login('commercial')
    expect((await rep.get('/finance')).res.status).toBe(403)
    expect((await rep.get('/')).html).not.toContain('href="/finance"')
    expect((await (await login('finance')).get('/')).html).toContain('href="/finance"')
  })
})
