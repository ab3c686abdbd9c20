import { chQuery, type ClickHouse } from '../clickhouse.js'

export type DealTotals = { deals: number; open_deals: number; open_amount_cents: number; won_deals: number; won_amount_cents: number }

/**
 * A workspace's deal counts and amounts from ClickHouse (deleted deals excluded), for
 * the nightly check that compares them with Postgres `deals`.
 *
 * @example await dealTotals(ch, ws) // { deals: 40, open_deals: 25, open_amount_cents: …, won_deals: 9, won_amount_cents: … }
 */
export async function dealTotals(ch: ClickHouse, workspaceId: string): Promise<DealTotals> {
  const [r] = await chQuery<Record<keyof DealTotals, string | number>>(
    ch,
    `
    SELECT
      toInt64(count()) AS deals,
      toInt64(countIf(NOT closed)) AS open_deals,
      toInt64(sumIf(amount_cents, NOT closed)) AS open_amount_cents,
      toInt64(countIf(won)) AS won_deals,
      toInt64(sumIf(amount_cents, won)) AS won_amount_cents
    FROM deals_current FINAL
    WHERE workspace_id = {ws:UUID} AND NOT deleted`,
    { ws: workspaceId },
  )
  return {
    deals: Number(r?.deals ?? 0),
    open_deals: Number(r?.open_deals ?? 0),
    open_amount_cents: Number(r?.open_amount_cents ?? 0),
    won_deals: Number(r?.won_deals ?? 0),
    won_amount_cents: Number(r?.won_amount_cents ?? 0),
  }
}
