import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordInvoicePaymentCommand } from '../domain/invoicing/invoice.commands.js'
import { addDays, addMonths, parisDay } from '../domain/shared/paris-time.js'
import { TEST_NOW, testNow } from '../testing/clock.js'
import { startTestRuntime } from '../testing/test-runtime.js'
import { seedDemo } from '../seed/seed.js'
import { chQuery } from './clickhouse.js'
import { startProjector, type Projector } from './projector.js'
import { financeFigures, financeHistory } from './queries/finance.js'
import { rebuildProjections } from './rebuild.js'
import { postgresFinanceFigures } from './testing/finance-reference.js'

// The proof for the finance page: every figure read from the ClickHouse read models
// (finance_invoices, finance_payments) equals the same figure computed from the Postgres
// write model, cents exact — on the demo's invoicing history, after a live payment, and
// after a rebuild (a replay writes the same rows, no duplicates).

let rt: Awaited<ReturnType<typeof startTestRuntime>>
let projector: Projector
let ws: string
const today = parisDay(TEST_NOW)
const opts = () => ({ today, fromMonth: addMonths(today, -35).slice(0, 7), listLimit: 500 })

beforeAll(async () => {
  rt = await startTestRuntime()
  ws = (await seedDemo(rt.db, { seed: 11, organisations: 40, deals: 260, activitiesPerDeal: 0, asOf: TEST_NOW })).workspaceId
  projector = await startProjector({ db: rt.db, sql: rt.sql, ch: rt.ch, log: () => {}, pollMs: 200 })
  await projector.waitForCatchUp(120_000)
})
afterAll(async () => {
  await projector?.stop()
  await rt?.stop()
})

describe('the finance read models', () => {
  it('give the same figures as the Postgres write model', async () => {
    const ch = await financeFigures(rt.ch, ws, opts())
    expect(ch).toEqual(await postgresFinanceFigures(rt.db, ws, opts()))
    // Not vacuous: the demo has invoices, payments, late payers and every kind of figure.
    expect(ch.months.some((m) => m.invoiced_cents > 0 && m.collected_cents > 0)).toBe(true)
    expect(ch.open.total_cents).toBeGreaterThan(0)
    expect(ch.latePayers.length).toBeGreaterThan(0)
    expect(ch.clients.length).toBeGreaterThan(0)
    expect(Object.values(ch.aging).reduce((a, b) => a + b, 0)).toBe(ch.open.total_cents)
  })

  it('follow a payment recorded now, and a rebuild replays into the same rows', async () => {
    const open = (await financeFigures(rt.ch, ws, opts())).openList[0]
    const admin = await rt.db.selectFrom('users').select('id').where('workspace_id', '=', ws).where('role', '=', 'finance').executeTakeFirstOrThrow()
    await recordInvoicePaymentCommand(
      rt.db,
      { workspaceId: ws, actorId: admin.id, now: testNow() },
      {
        invoiceId: open.invoice_id,
        paymentId: crypto.randomUUID(),
        paidOn: addDays(today, 0),
        amountCents: open.open_cents,
        method: 'virement',
        reference: null,
      },
    )
    await projector.waitForCatchUp(60_000)
    const after = await financeFigures(rt.ch, ws, opts())
    expect(after.openList.map((l) => l.invoice_id)).not.toContain(open.invoice_id)
    expect(after).toEqual(await postgresFinanceFigures(rt.db, ws, opts()))

    await projector.stop()
    await rebuildProjections({ db: rt.db, ch: rt.ch }, ['finance'])
    expect(await financeFigures(rt.ch, ws, opts())).toEqual(after)
    const [dup] = await chQuery<{ n: unknown; u: unknown }>(
      rt.ch,
      'SELECT count() AS n, uniqExact(payment_id) AS u FROM finance_payments FINAL WHERE workspace_id = {ws:UUID}',
      { ws },
    )
    expect(Number(dup.n)).toBe(Number(dup.u))
    const history = await financeHistory(rt.ch, ws)
    expect(history.payments.length).toBe(Number(dup.n))
    projector = await startProjector({ db: rt.db, sql: rt.sql, ch: rt.ch, log: () => {}, pollMs: 200 })
  })
})
