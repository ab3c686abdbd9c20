import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fieldError, startTestApp, type TestApp, type WebClient } from './testing/app-server.js'
import { parseDealList } from './utils/list-params.server.js'
import { DEFAULT_STAGES } from '../domain/crm/pipeline.js'
import { dealForm, givenOrganisation } from '../testing/crm-records.js'
import { givenWorkspace } from '../testing/fixtures.js'

// One rule for the amounts French users type (ADR 0019), through every form that takes
// one: deals and goals (formerly app/utils/money), products (formerly domain/sales/money),
// and the list filters. Each spelling is read the same way everywhere.

let app: TestApp
let w: Awaited<ReturnType<typeof givenWorkspace>>
let admin: WebClient
let org: string

beforeAll(async () => {
  app = await startTestApp({ projector: false })
  w = await givenWorkspace(app.rt.db)
  admin = await app.login(w.emails.admin)
  org = await givenOrganisation(app.rt.db, w.ctx(), { name: 'Scierie Lambert' })
})
afterAll(async () => {
  await app?.stop()
})

const SPELLINGS: [string, number][] = [
  ['1 250 000,50', 125_000_050],
  ['1\u00a0250\u00a0000,50', 125_000_050],
  ['1\u202f250\u202f000,50 €', 125_000_050],
  ['1250000.50', 125_000_050],
  ['1.250.000,50', 125_000_050],
  ['1.250.000', 125_000_000],
  ['12 500', 1_250_000],
  ['12500,5', 1_250_050],
]
const AMBIGUOUS = 'Montant ambigu : écrivez les milliers avec des espaces et les centimes après la virgule, comme 1 250 000,50.'

describe('amounts typed in the deal form', () => {
  it.each(SPELLINGS)('stores %j as %i cents', async (amount, cents) => {
    const { res } = await admin.post('/deals/new', dealForm(org, { amount, title: `Parquet ${amount}` }))
    expect(res.status).toBe(302)
    const id = res.headers.get('Location')!.split('/').pop()!
    const deal = await app.rt.db.selectFrom('deals').select('amount_cents').where('id', '=', id).executeTakeFirstOrThrow()
    expect(Number(deal.amount_cents)).toBe(cents)
  })

  it.each(['1.250', '1,250,000', '12,345.67'])('asks again for the ambiguous %j', async (amount) => {
    const { res, html } = await admin.post('/deals/new', dealForm(org, { amount }))
    expect([400, 422]).toContain(res.status)
    expect(fieldError(html, 'amount')).toBe(AMBIGUOUS)
  })
})

describe('amounts typed in the goals form', () => {
  it('reads the same spellings and refuses the same ambiguity', async () => {
    const manager = await app.login(w.emails.manager)
    const period = '2027-01'
    for (const [objectif, cents] of SPELLINGS) {
      const { res } = await manager.post('/goals', { intent: 'set', cible: `user:${w.users.commercial}`, periode: period, objectif })
      expect(res.status, objectif).toBe(302)
      const goal = await app.rt.db
        .selectFrom('goals')
        .select('target_cents')
        .where('workspace_id', '=', w.workspaceId)
        .where('period', '=', period)
        .executeTakeFirstOrThrow()
      expect(Number(goal.target_cents), objectif).toBe(cents)
    }
    const { res, html } = await manager.post('/goals', { intent: 'set', cible: `user:${w.users.commercial}`, periode: period, objectif: '12.500' })
    expect(res.status).toBe(400)
    expect(fieldError(html, 'objectif')).toBe(AMBIGUOUS)
  })
})

describe('prices typed in the product form', () => {
  it('reads the same spellings, and refuses what it would have to guess', async () => {
    for (const [i, [unit_price, cents]] of SPELLINGS.entries()) {
      const code = `P${i}`
      const { res } = await admin.post('/products/new', {
        commandId: randomUUID(),
        name: `Produit ${i}`,
        code,
        description: '',
        unit: 'jour',
        unit_price,
        vat_rate: '2000',
        vat_exemption: '',
        category: '',
      })
      expect(res.status, unit_price).toBe(302)
      const p = await app.rt.db
        .selectFrom('products')
        .select('unit_price_cents')
        .where('workspace_id', '=', w.workspaceId)
        .where('code', '=', code)
        .executeTakeFirstOrThrow()
      expect(Number(p.unit_price_cents), unit_price).toBe(cents)
    }
    for (const unit_price of ['1.250', '1,250,000', '-12']) {
      const { res, html } = await admin.post('/products/new', {
        commandId: randomUUID(),
        name: 'Produit refusé',
        code: 'NON',
        description: '',
        unit: 'jour',
        unit_price,
        vat_rate: '2000',
        vat_exemption: '',
        category: '',
      })
      expect(res.status, unit_price).toBe(400)
      expect(fieldError(html, 'unit_price'), unit_price).toBe('Prix unitaire invalide : saisissez un montant comme 1 250,50.')
    }
  })
})

describe('amounts typed in the list filters', () => {
  it('filter by the same spellings and drop an ambiguous one', () => {
    const list = (q: string) => parseDealList(new URL(`http://crm.test/deals?${q}`), DEFAULT_STAGES)
    for (const [typed, cents] of SPELLINGS) expect(list(`montant_min=${encodeURIComponent(typed)}`).filters.amountMin, typed).toBe(cents)
    const ambiguous = list('montant_min=1.250')
    expect(ambiguous.filters.amountMin).toBeUndefined()
    expect(ambiguous.ignored).toEqual(['list.amountMin'])
  })
})
