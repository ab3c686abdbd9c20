import { chQuery, type ClickHouse } from '../clickhouse.js'
import type { FinanceFigures, OpenInvoiceLine } from './finance.types.js'

// The finance dashboard's figures from ClickHouse (finance_invoices, finance_payments).
// Same definitions as the Postgres reference (projections/testing/finance-reference.ts),
// which the proof test holds these to. `today` is the Paris day of the request.

const N = (v: unknown) => Number(v ?? 0)
const OPEN = "if(type_code = '381' OR status != 'emise', 0, greatest(0, amount_due_cents - paid_cents - credited_cents))"
const INVOICES = 'finance_invoices FINAL WHERE workspace_id = {ws:UUID}'

/** Months 'YYYY-MM' from `fromMonth` to `toMonth` included. */
export function monthsBetween(fromMonth: string, toMonth: string): string[] {
  const out: string[] = []
  let [y, m] = fromMonth.split('-').map(Number)
  const [ty, tm] = toMonth.split('-').map(Number)
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`)
    m++
    if (m === 13) [y, m] = [y + 1, 1]
  }
  return out
}

/**
 * Everything the finance page shows but the forecast: invoiced vs collected per month,
 * what is still to be collected (total, aging buckets, the list), DSO, the late payers and
 * the revenue per client over the last 12 months.
 *
 * @example await financeFigures(ch, ws, { today: '2026-06-15', fromMonth: '2025-07' })
 */
export async function financeFigures(ch: ClickHouse, ws: string, o: { today: string; fromMonth: string; listLimit?: number }): Promise<FinanceFigures> {
  const p = { ws, today: o.today, from: `${o.fromMonth}-01`, yearAgo: shiftDays(o.today, -364), limit: o.listLimit ?? 50 }
  const [invoiced, collected, open, buckets, yearRow, late, clients, list] = await Promise.all([
    chQuery<{ m: string; c: unknown }>(
      ch,
      `SELECT formatDateTime(issue_date, '%Y-%m') AS m, sum(invoiced_cents) AS c FROM ${INVOICES}
       AND status != 'brouillon' AND issue_date >= {from:Date} AND issue_date <= {today:Date} GROUP BY m`,
      p,
    ),
    chQuery<{ m: string; c: unknown }>(
      ch,
      `SELECT formatDateTime(paid_on, '%Y-%m') AS m, sum(amount_cents) AS c FROM finance_payments FINAL
       WHERE workspace_id = {ws:UUID} AND paid_on >= {from:Date} AND paid_on <= {today:Date} GROUP BY m`,
      p,
    ),
    chQuery<{ total: unknown; n: unknown; overdue: unknown }>(
      ch,
      `SELECT sum(o) AS total, countIf(o > 0) AS n, sumIf(o, due_date < {today:Date}) AS overdue
       FROM (SELECT ${OPEN} AS o, due_date FROM ${INVOICES})`,
      p,
    ),
    chQuery<{ b: string; c: unknown }>(
      ch,
      `SELECT multiIf(late <= 0, 'not_due', late <= 30, 'd0_30', late <= 60, 'd31_60', late <= 90, 'd61_90', 'd90_plus') AS b, sum(o) AS c
       FROM (SELECT ${OPEN} AS o, dateDiff('day', due_date, {today:Date}) AS late FROM ${INVOICES}) WHERE o > 0 GROUP BY b`,
      p,
    ),
    chQuery<{ c: unknown }>(
      ch,
      `SELECT sum(invoiced_cents) AS c FROM ${INVOICES} AND status != 'brouillon' AND issue_date >= {yearAgo:Date} AND issue_date <= {today:Date}`,
      p,
    ),
    chQuery<{ organisation_id: string; name: string; overdue: unknown; n: unknown; delay: unknown }>(
      ch,
      `SELECT i.organisation_id AS organisation_id, i.name AS name, i.overdue AS overdue, i.n AS n, d.delay AS delay
       FROM (SELECT organisation_id, argMax(organisation_name, issue_date) AS name, sumIf(o, late > 0) AS overdue, countIf(o > 0 AND late > 0) AS n
             FROM (SELECT organisation_id, organisation_name, issue_date, ${OPEN} AS o, dateDiff('day', due_date, {today:Date}) AS late FROM ${INVOICES})
             GROUP BY organisation_id HAVING overdue > 0) AS i
       LEFT JOIN (SELECT organisation_id, sum(amount_cents * dateDiff('day', due_date, paid_on)) / sum(amount_cents) AS delay
                  FROM finance_payments FINAL WHERE workspace_id = {ws:UUID} AND paid_on >= {yearAgo:Date} AND paid_on <= {today:Date} AND amount_cents > 0
                  GROUP BY organisation_id) AS d ON d.organisation_id = i.organisation_id
       ORDER BY overdue DESC, organisation_id LIMIT 10`,
      p,
      { join_use_nulls: 1 },
    ),
    chQuery<{ organisation_id: string; name: string; c: unknown }>(
      ch,
      `SELECT organisation_id, argMax(organisation_name, issue_date) AS name, sum(revenue_ht_cents) AS c FROM ${INVOICES}
       AND status != 'brouillon' AND issue_date >= {yearAgo:Date} AND issue_date <= {today:Date}
       GROUP BY organisation_id HAVING c != 0 ORDER BY c DESC, organisation_id LIMIT 15`,
      p,
    ),
    chQuery<Record<string, unknown>>(
      ch,
      `SELECT invoice_id, number, organisation_id, organisation_name, toString(issue_date) AS issue_date, toString(due_date) AS due_date, o AS open_cents
       FROM (SELECT *, ${OPEN} AS o FROM ${INVOICES}) WHERE o > 0 ORDER BY due_date, number LIMIT {limit:UInt32}`,
      p,
    ),
  ])
  const months = monthsBetween(o.fromMonth, o.today.slice(0, 7))
  const inv = new Map(invoiced.map((r) => [r.m, N(r.c)]))
  const col = new Map(collected.map((r) => [r.m, N(r.c)]))
  const openTotal = N(open[0]?.total)
  const yearInvoiced = N(yearRow[0]?.c)
  const bucketMap = new Map(buckets.map((b) => [b.b, N(b.c)]))
  return {
    months: months.map((m) => ({ month: m, invoiced_cents: inv.get(m) ?? 0, collected_cents: col.get(m) ?? 0 })),
    open: { total_cents: openTotal, count: N(open[0]?.n), overdue_cents: N(open[0]?.overdue) },
    aging: {
      not_due: bucketMap.get('not_due') ?? 0,
      d0_30: bucketMap.get('d0_30') ?? 0,
      d31_60: bucketMap.get('d31_60') ?? 0,
      d61_90: bucketMap.get('d61_90') ?? 0,
      d90_plus: bucketMap.get('d90_plus') ?? 0,
    },
    dso: { open_cents: openTotal, invoiced_12m_cents: yearInvoiced, days: yearInvoiced > 0 ? Math.round((openTotal / yearInvoiced) * 365) : null },
    latePayers: late.map((r) => ({
      organisation_id: r.organisation_id,
      name: r.name,
      overdue_cents: N(r.overdue),
      overdue_count: N(r.n),
      avg_delay_days: r.delay === null || r.delay === undefined ? null : Math.round(Number(r.delay)),
    })),
    clients: clients.map((r) => ({ organisation_id: r.organisation_id, name: r.name, revenue_ht_cents: N(r.c) })),
    openList: list.map((r): OpenInvoiceLine => ({
      invoice_id: String(r.invoice_id),
      number: String(r.number),
      organisation_id: String(r.organisation_id),
      organisation_name: String(r.organisation_name),
      issue_date: String(r.issue_date),
      due_date: String(r.due_date),
      open_cents: N(r.open_cents),
    })),
  }
}

function shiftDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** Every issued invoice and every payment, for the forecast's habits and its backtest (a few thousand rows). */
export async function financeHistory(ch: ClickHouse, ws: string) {
  const [invoices, payments] = await Promise.all([
    chQuery<Record<string, unknown>>(
      ch,
      `SELECT invoice_id, organisation_id, toString(issue_date) AS issue_date, toString(due_date) AS due_date, amount_due_cents, credited_cents, paid_cents, type_code, status
       FROM ${INVOICES} AND status != 'brouillon' AND type_code != '381'`,
      { ws },
    ),
    chQuery<Record<string, unknown>>(
      ch,
      `SELECT invoice_id, organisation_id, toString(paid_on) AS paid_on, amount_cents, toString(issue_date) AS issue_date, toString(due_date) AS due_date
       FROM finance_payments FINAL WHERE workspace_id = {ws:UUID}`,
      { ws },
    ),
  ])
  return {
    invoices: invoices.map((r) => ({
      id: String(r.invoice_id),
      organisation_id: String(r.organisation_id),
      issue_date: String(r.issue_date),
      due_date: String(r.due_date),
      amount_due_cents: N(r.amount_due_cents),
      credited_cents: N(r.credited_cents),
      open_cents: r.status === 'emise' ? Math.max(0, N(r.amount_due_cents) - N(r.paid_cents) - N(r.credited_cents)) : 0,
    })),
    payments: payments.map((r) => ({
      invoice_id: String(r.invoice_id),
      organisation_id: String(r.organisation_id),
      paid_on: String(r.paid_on),
      amount_cents: N(r.amount_cents),
      issue_date: String(r.issue_date),
      due_date: String(r.due_date),
    })),
  }
}
