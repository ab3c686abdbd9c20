import type { ClickHouse } from '../clickhouse.js'
import { chQuery } from '../clickhouse.js'
import { CONTRACT_MRR_TABLE } from '../contract-mrr.projection.js'
import type { MrrMonth } from '../../domain/contracts/mrr.js'
import { denseRenewals, monthsBetween, type RenewalMonth, type RevenueFigures, type RevenueFilter } from '../../domain/contracts/recurring-revenue.js'
import { addMonths } from '../../domain/shared/paris-time.js'

// The recurring-revenue figures read from contract_mrr: the same rules as the Postgres
// replay (domain/contracts/mrr.ts, docs/decisions/0031), computed in ClickHouse and
// proven equal to it (recurring-revenue.test.ts).
//
// How: for each customer (organisation), one array of MRR per month on a grid of month
// ends (each contract's cents in force that day, summed per customer with sumForEach);
// from it the month before (`prev`) and whether the customer paid in any earlier month
// (`seen`: new versus reactivation); each movement is an array of the same length,
// summed over customers element by element. The grid starts at the earliest month any
// of the filtered contracts runs, as the replay's does, so "seen" knows the whole past.

type Sql = { where: string; params: Record<string, unknown> }

function contractFilter(f: RevenueFilter): Sql {
  const params: Record<string, unknown> = { ws: f.workspaceId }
  let where = 'workspace_id = {ws:UUID}'
  if (f.ownerIds !== null) {
    where += ' AND owner_id IN {owners:Array(UUID)}'
    params.owners = f.ownerIds
  }
  if (f.type !== null) {
    where += ' AND type = {type:String}'
    params.type = f.type
  }
  return { where, params }
}

const MOVEMENTS = [
  'start',
  'end',
  'new',
  'expansion',
  'contraction',
  'churn',
  'reactivation',
  'customers',
  'startCustomers',
  'newCustomers',
  'churnedCustomers',
] as const

/** The MRR bridge per month from `f.from` to `f.to`, equal to mrrBridge over the replayed timelines. */
export async function mrrMonths(ch: ClickHouse, f: RevenueFilter): Promise<MrrMonth[]> {
  const { where, params } = contractFilter(f)
  const [first] = await chQuery<{ d: string | null }>(
    ch,
    `SELECT toString(min(first_day)) AS d FROM ${CONTRACT_MRR_TABLE} FINAL WHERE ${where} AND first_day IS NOT NULL`,
    params,
  )
  const earliest = first?.d && first.d !== '1900-01-01' && `${first.d.slice(0, 7)}-01` < f.from ? `${first.d.slice(0, 7)}-01` : f.from
  const grid = monthsBetween(earliest, f.to)
  const skip = grid.length - monthsBetween(f.from, f.to).length
  const zero = (month: string): MrrMonth => ({ month, ...Object.fromEntries(MOVEMENTS.map((k) => [k, 0])) }) as MrrMonth
  const [row] = await chQuery<Record<(typeof MOVEMENTS)[number], (string | number)[]>>(
    ch,
    `
    SELECT
      sumForEach(prev) AS start,
      sumForEach(mrr) AS end,
      sumForEach(arrayMap((m, p, s) -> if(p = 0 AND m > 0 AND s = 0, m, 0), mrr, prev, seen)) AS new,
      sumForEach(arrayMap((m, p) -> if(p > 0 AND m > p, m - p, 0), mrr, prev)) AS expansion,
      sumForEach(arrayMap((m, p) -> if(p > 0 AND m > 0 AND m < p, p - m, 0), mrr, prev)) AS contraction,
      sumForEach(arrayMap((m, p) -> if(p > 0 AND m = 0, p, 0), mrr, prev)) AS churn,
      sumForEach(arrayMap((m, p, s) -> if(p = 0 AND m > 0 AND s > 0, m, 0), mrr, prev, seen)) AS reactivation,
      sumForEach(arrayMap(m -> toUInt64(m > 0), mrr)) AS customers,
      sumForEach(arrayMap(p -> toUInt64(p > 0), prev)) AS startCustomers,
      sumForEach(arrayMap((m, p, s) -> toUInt64(p = 0 AND m > 0 AND s = 0), mrr, prev, seen)) AS newCustomers,
      sumForEach(arrayMap((m, p) -> toUInt64(p > 0 AND m = 0), mrr, prev)) AS churnedCustomers
    FROM (
      SELECT
        mrr,
        arrayPushFront(arrayPopBack(mrr), toInt64(0)) AS prev,
        arrayPushFront(arrayPopBack(arrayCumSum(arrayMap(m -> toInt64(m > 0), mrr))), toInt64(0)) AS seen
      FROM (
        SELECT
          organisation_id,
          sumForEach(arrayMap(
            d -> if(d < assumeNotNull(first_day) OR d > assumeNotNull(last_day), toInt64(0),
                    if(arrayLastIndex(x -> x <= d, change_days) = 0, toInt64(0), change_cents[arrayLastIndex(x -> x <= d, change_days)])),
            arrayMap(i -> toLastDayOfMonth(addMonths(toDate32({g0:String}), i)), range({n:UInt32}))
          )) AS mrr
        FROM ${CONTRACT_MRR_TABLE} FINAL
        WHERE ${where} AND first_day IS NOT NULL
        GROUP BY organisation_id
      )
    )`,
    { ...params, g0: earliest, n: grid.length },
  )
  return grid.slice(skip).map((month, i) => {
    const out = zero(month)
    if (row && row.end.length) for (const k of MOVEMENTS) out[k] = Number(row[k][i + skip])
    return out
  })
}

/** Terms that ended per month from `f.from` to `f.to`, and those renewed. */
export async function renewalMonths(ch: ClickHouse, f: RevenueFilter): Promise<RenewalMonth[]> {
  const { where, params } = contractFilter(f)
  const rows = await chQuery<{ month: string; due: string | number; renewed: string | number }>(
    ch,
    `
    SELECT toString(toStartOfMonth(d)) AS month, count() AS due, countIf(o = 'renouvele') AS renewed
    FROM ${CONTRACT_MRR_TABLE} FINAL
    ARRAY JOIN term_end_days AS d, term_outcomes AS o
    WHERE ${where} AND d >= toDate32({from:String}) AND d < toDate32({until:String})
    GROUP BY month
    ORDER BY month`,
    { ...params, from: f.from, until: addMonths(f.to, 1) },
  )
  return denseRenewals(
    rows.map((r) => ({ month: r.month, due: Number(r.due), renewed: Number(r.renewed) })),
    f.from,
    f.to,
  )
}

/** Both, as RevenueFigures (what the dashboard and the widget show). */
export async function revenueFiguresFromClickHouse(ch: ClickHouse, f: RevenueFilter): Promise<RevenueFigures> {
  const [months, renewals] = await Promise.all([mrrMonths(ch, f), renewalMonths(ch, f)])
  return { months, renewals }
}
