import { sql } from 'kysely'
import type { Db } from '../../db/kysely'
import { backtest, cashForecast, observedHabits, type CashForecast, type PipelineDeal, type ScheduledBilling } from '../../domain/accounting/cash-forecast'
import { addDays, addMonths, parisDay } from '../../domain/shared/paris-time'
import type { ClickHouse } from '../../projections/clickhouse'
import { financeFigures, financeHistory } from '../../projections/queries/finance'
import type { FinanceFigures } from '../../projections/queries/finance.types'

// The finance page's model: the figures from the ClickHouse read models, the cash
// forecast (open invoices and payment habits from ClickHouse; contract billing schedules
// and the open pipeline from Postgres, where they live) and its backtest at the last
// twelve month-ends. Every query is scoped to the session's workspace.

export type FinancePage = {
  today: string
  figures: FinanceFigures
  forecast: CashForecast
  backtest: { points: { asOf: string; forecast_cents: number; actual_cents: number }[]; mape: number | null }
}

/** Contract billing still to invoice (domain/contracts' billing_items), over the next 13 weeks. */
async function scheduledBilling(db: Db, ws: string, today: string): Promise<ScheduledBilling[]> {
  const rows = await db
    .selectFrom('billing_items')
    .select(['organisation_id', 'amount_cents', 'due_date'])
    .where('workspace_id', '=', ws)
    .where('status', '=', 'a_facturer')
    .where('due_date', '<=', addDays(today, 91))
    .execute()
  return rows.map((r) => ({ organisation_id: r.organisation_id, amount_cents: Number(r.amount_cents), billing_date: String(r.due_date).slice(0, 10) }))
}

/** Open deals with an expected close date, weighted by their stage's probability. */
async function openPipeline(db: Db, ws: string, today: string): Promise<PipelineDeal[]> {
  const rows = await db
    .selectFrom('deals as d')
    .innerJoin('pipeline_stages as s', (j) => j.onRef('s.workspace_id', '=', 'd.workspace_id').onRef('s.code', '=', 'd.stage'))
    .select(['d.organisation_id', 'd.amount_cents', 's.probability', sql<string>`to_char(d.expected_close_date, 'YYYY-MM-DD')`.as('close')])
    .where('d.workspace_id', '=', ws)
    .where('d.deleted_at', 'is', null)
    .where('s.kind', '=', 'open')
    .where('d.expected_close_date', 'is not', null)
    .where('d.expected_close_date', '<=', addDays(today, 91))
    .execute()
  return rows.map((r) => ({
    organisation_id: r.organisation_id,
    amount_cents: Number(r.amount_cents),
    probability: Number(r.probability),
    expected_close_date: r.close,
  }))
}

export async function loadFinancePage(rt: { db: Db; ch: ClickHouse; now(): Date }, ws: string): Promise<FinancePage> {
  const today = parisDay(rt.now())
  const [figures, history, billing, pipeline] = await Promise.all([
    financeFigures(rt.ch, ws, { today, fromMonth: addMonths(today, -11).slice(0, 7) }),
    financeHistory(rt.ch, ws),
    scheduledBilling(rt.db, ws, today),
    openPipeline(rt.db, ws, today),
  ])
  const { habits, overall } = observedHabits(history.payments, today)
  const forecast = cashForecast({
    asOf: today,
    invoices: history.invoices.filter((i) => i.open_cents > 0),
    billing,
    pipeline,
    habits,
    defaultHabit: overall,
  })
  // The last day of each of the twelve months before this one whose 30 days have passed.
  const days: string[] = []
  for (let k = 12; k >= 1; k--) {
    const end = addDays(addMonths(`${today.slice(0, 7)}-01`, -k + 1), -1)
    if (addDays(end, 30) < today) days.push(end)
  }
  return { today, figures, forecast, backtest: backtest(history.invoices, history.payments, days) }
}
