import { chQuery, type ClickHouse } from '../clickhouse.js'

/** Configured stages: which to count, and the probability each weighs its open deals by. */
export type ConfiguredStages = { code: string; probability: number }[]

/**
 * SQL and parameters for "these stages only" and "amount × configured probability"
 * (`transform` maps a stage code to its probability): the configuration is read from
 * Postgres at query time, so a probability changed by an admin weighs every open deal
 * at once, without rewriting the read models. Without stages: every stage, each deal's
 * own probability (`own`).
 */
export function configuredWeights(
  stages: ConfiguredStages | null | undefined,
  own: string,
): { where: string; weight: string; params: Record<string, unknown> } {
  if (!stages) return { where: '', weight: own, params: {} }
  return {
    where: ' AND stage IN {stageCodes:Array(String)}',
    weight: 'transform(stage, {stageCodes:Array(String)}, {stageProbabilities:Array(Int64)}, toInt64(0))',
    params: { stageCodes: stages.map((s) => s.code), stageProbabilities: stages.map((s) => s.probability) },
  }
}

export type PipelineStageFigures = { stage: string; deals: number; amount_cents: number; weighted_cents: number }

/**
 * Open deals (not closed, not deleted) of one workspace by stage: count, amount and
 * amount weighted by the stage probability (the configured one when `stages` are given,
 * which also restricts the figures to them: one pipeline), in cents, rounded half up once per stage
 * (the same rule as the Postgres consistency check). Ordered by probability, then
 * code; callers put them in the workspace's stage order.
 *
 * @example await openPipelineByStage(ch, ws) // [{ stage: 'PROSPECT', deals: 12, amount_cents: 4_200_000, weighted_cents: 420_000 }, …]
 */
export async function openPipelineByStage(ch: ClickHouse, workspaceId: string, stages?: ConfiguredStages | null): Promise<PipelineStageFigures[]> {
  const c = configuredWeights(stages, 'probability')
  // Aliases differ from column names: ClickHouse resolves an alias before a column.
  const rows = await chQuery<{ stage: string; n: string | number; total: string | number; weighted: string | number }>(
    ch,
    `
    SELECT
      stage,
      toInt64(count()) AS n,
      toInt64(sum(amount_cents)) AS total,
      toInt64(intDiv(sum(amount_cents * ${c.weight}) + 50, 100)) AS weighted
    FROM deals_current FINAL
    WHERE workspace_id = {ws:UUID} AND NOT closed AND NOT deleted${c.where}
    GROUP BY stage
    ORDER BY min(${c.weight}), stage`,
    { ws: workspaceId, ...c.params },
  )
  return rows.map((r) => ({ stage: r.stage, deals: Number(r.n), amount_cents: Number(r.total), weighted_cents: Number(r.weighted) }))
}
