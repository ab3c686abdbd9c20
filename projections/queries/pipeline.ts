import { chQuery, type ClickHouse } from '../clickhouse.js'

export type PipelineStageFigures = { stage: string; deals: number; amount_cents: number; weighted_cents: number }

/**
 * Open deals (not closed, not deleted) of one workspace by stage: count, amount and
 * amount weighted by the stage probability, in cents, rounded half up once per stage
 * (the same rule as the Postgres consistency check). Ordered by probability, then
 * code; callers put them in the workspace's stage order.
 *
 * @example await openPipelineByStage(ch, ws) // [{ stage: 'PROSPECT', deals: 12, amount_cents: 4_200_000, weighted_cents: 420_000 }, …]
 */
export async function openPipelineByStage(ch: ClickHouse, workspaceId: string): Promise<PipelineStageFigures[]> {
  // Aliases differ from column names: ClickHouse resolves an alias before a column.
  const rows = await chQuery<{ stage: string; n: string | number; total: string | number; weighted: string | number }>(
    ch,
    `
    SELECT
      stage,
      toInt64(count()) AS n,
      toInt64(sum(amount_cents)) AS total,
      toInt64(intDiv(sum(amount_cents * probability) + 50, 100)) AS weighted
    FROM deals_current FINAL
    WHERE workspace_id = {ws:UUID} AND NOT closed AND NOT deleted
    GROUP BY stage
    ORDER BY min(probability), stage`,
    { ws: workspaceId },
  )
  return rows.map((r) => ({ stage: r.stage, deals: Number(r.n), amount_cents: Number(r.total), weighted_cents: Number(r.weighted) }))
}
