import type { ClickHouse } from '../clickhouse.js'
import { addDays, daysBetween } from '../../domain/shared/paris-time.js'
import { DIMENSIONS, METRICS, type DimensionKey, type MetricKey, type MetricSource, type ReportSpec } from '../../domain/reports/report-spec.js'
import { batchedQuery } from './query-batch.js'
import { dimensions } from './dashboard.js'
import type { DashboardFilter } from './dashboard.types.js'

// The report builder's one query path: a ReportSpec (whitelisted metrics and dimensions,
// domain/reports/report-spec.ts) becomes fixed SQL over the dashboards' read models —
// deals_daily for closes, deals_open for the pipeline now, activity_timeline for activities.
// Each metric has the dashboards' definition (projections/queries/dashboard.ts, proven equal
// to Postgres in report.test.ts): revenue at close, win rate won/(won+lost), average won
// deal half up, cycle in days to a tenth, weighted pipeline divided by 100 once.

/** A row: its dimension values (ids or labels as stored) and each metric's value (null: no data to divide). */
export type ReportRow = { keys: string[]; values: Record<string, number | null> }

export type ReportResult = { rows: ReportRow[]; previous: ReportRow[] | null }

/** Who may be counted: the viewer's scope, resolved by the app (a shared report never widens it). */
export type ReportScope = { workspaceId: string; ownerIds: string[] | null }

type Source = { table: string; day: string | null; owner: string }

const SOURCES: Record<MetricSource, Source> = {
  closes: { table: 'deals_daily', day: 'day', owner: 'owner_id' },
  open: { table: 'deals_open', day: null, owner: 'owner_id' },
  activities: { table: 'activity_timeline', day: "toDate(occurred_at, 'Europe/Paris')", owner: 'author_id' },
}

// The SQL of each dimension per source; `t.team_id` comes from the users_teams join.
function dimensionSql(d: DimensionKey, s: Source): string {
  switch (d) {
    case 'mois':
      return `toString(toStartOfMonth(${s.day}))`
    case 'trimestre':
      return `toString(toStartOfQuarter(${s.day}))`
    case 'annee':
      return `toString(toStartOfYear(${s.day}))`
    case 'commercial':
      return `toString(${s.owner})`
    case 'equipe':
      return `ifNull(toString(t.team_id), '')`
    case 'categorie':
      return 'category'
    case 'region':
      return 'region'
    case 'etape':
      return 'stage'
    case 'type_activite':
      return 'kind'
  }
}

// Raw sums per source; the ratios are computed from them exactly (BigInt) in `metricValue`.
const SUMS: Record<MetricSource, string> = {
  closes:
    'toString(sum(won_cents)) AS won_cents, toString(sum(won_deals)) AS won_deals, toString(sum(lost_deals)) AS lost_deals, toString(sum(created_deals)) AS created_deals, toString(sum(created_cents)) AS created_cents, toString(sum(won_cycle_ms)) AS won_cycle_ms',
  open: 'toString(sum(deals)) AS deals, toString(sum(amount_cents)) AS amount_cents, toString(sum(weighted_x100)) AS weighted_x100',
  activities: 'toString(count()) AS n',
}

const big = (v: string | undefined) => BigInt(v ?? '0')

function metricValue(m: MetricKey, r: Record<string, string>): number | null {
  const won = big(r.won_deals)
  switch (m) {
    case 'ca_signe':
      return Number(big(r.won_cents))
    case 'affaires_gagnees':
      return Number(won)
    case 'affaires_perdues':
      return Number(big(r.lost_deals))
    case 'affaires_creees':
      return Number(big(r.created_deals))
    case 'pipeline_cree':
      return Number(big(r.created_cents))
    case 'taux_conversion': {
      const closed = won + big(r.lost_deals)
      return closed ? Number(won) / Number(closed) : null
    }
    case 'panier_moyen':
      return won ? Number((2n * big(r.won_cents) + won) / (2n * won)) : null
    case 'cycle_moyen':
      return won ? Number((10n * big(r.won_cycle_ms) + won * 43_200_000n) / (won * 86_400_000n)) / 10 : null
    case 'pipeline_brut':
      return Number(big(r.amount_cents))
    case 'pipeline_pondere':
      return Number((big(r.weighted_x100) + 50n) / 100n)
    case 'affaires_ouvertes':
      return Number(big(r.deals))
    case 'activites':
      return Number(big(r.n))
  }
}

async function querySource(ch: ClickHouse, source: MetricSource, spec: ReportSpec, scope: ReportScope, from: string, to: string) {
  const s = SOURCES[source]
  const f: DashboardFilter = {
    workspaceId: scope.workspaceId,
    from,
    to,
    ownerIds: spec.ownerId ? (scope.ownerIds === null || scope.ownerIds.includes(spec.ownerId) ? [spec.ownerId] : []) : scope.ownerIds,
    teamId: spec.teamId,
    category: source === 'activities' ? null : spec.category,
    region: source === 'activities' ? null : spec.region,
  }
  const dims = dimensions(f, { owner: s.owner, category: 'category', region: 'region' })
  const keys = spec.dimensions.map((d, i) => `${dimensionSql(d, s)} AS k${i}`)
  const period = s.day ? ` AND ${s.day} BETWEEN {from:Date} AND {to:Date}` : ''
  const team = spec.dimensions.includes('equipe')
    ? ` LEFT JOIN (SELECT user_id, team_id FROM users_teams FINAL WHERE workspace_id = {ws:UUID}) AS t ON t.user_id = ${s.owner}`
    : ''
  const query = `
    SELECT ${[...keys, SUMS[source]].join(', ')}
    FROM ${s.table} FINAL${team}
    WHERE workspace_id = {ws:UUID}${period}${dims.where}
    ${keys.length ? `GROUP BY ${spec.dimensions.map((_, i) => `k${i}`).join(', ')}` : ''}`
  const rows = await batchedQuery<Record<string, string>>(ch, query, { ...dims.params, from, to }, { max_threads: 1 })
  return rows.map((r) => ({ keys: spec.dimensions.map((_, i) => String(r[`k${i}`] ?? '')), sums: r }))
}

async function runPeriod(ch: ClickHouse, spec: ReportSpec, scope: ReportScope, from: string, to: string): Promise<ReportRow[]> {
  const sources = [...new Set(spec.metrics.map((m) => METRICS[m].source as MetricSource))]
  const results = await Promise.all(sources.map((s) => querySource(ch, s, spec, scope, from, to)))
  // One row per key across the sources (a pipeline by owner beside revenue by owner).
  const byKey = new Map<string, ReportRow>()
  sources.forEach((source, i) => {
    for (const r of results[i]) {
      const k = JSON.stringify(r.keys)
      const row = byKey.get(k) ?? { keys: r.keys, values: {} }
      for (const m of spec.metrics) if (METRICS[m].source === source) row.values[m] = metricValue(m, r.sums)
      byKey.set(k, row)
    }
  })
  // A key one source lacks gets that source's empty value (0, or null for a ratio).
  for (const row of byKey.values()) for (const m of spec.metrics) if (!(m in row.values)) row.values[m] = metricValue(m, {})
  let rows = [...byKey.values()]
  // Keys in the dimension order; a metric sort is descending, empty ratios last.
  rows.sort((a, b) => {
    if (spec.sortBy) {
      const x = a.values[spec.sortBy]
      const y = b.values[spec.sortBy]
      if (x !== y) return y === null ? -1 : x === null ? 1 : y - x
    }
    return a.keys.join('\u0000').localeCompare(b.keys.join('\u0000'))
  })
  if (spec.top) rows = rows.slice(0, spec.top)
  return rows
}

/**
 * The report's rows for the viewer's scope, and those of the previous period of equal
 * length when `compare` is set. The spec must have passed checkSpec.
 */
export async function runReport(ch: ClickHouse, spec: ReportSpec, scope: ReportScope): Promise<ReportResult> {
  for (const d of spec.dimensions) if (!Object.hasOwn(DIMENSIONS, d)) throw new Error(`Unknown dimension ${d}`)
  for (const m of spec.metrics) if (!Object.hasOwn(METRICS, m)) throw new Error(`Unknown metric ${m}`)
  const days = daysBetween(spec.from, spec.to) + 1
  const [rows, previous] = await Promise.all([
    runPeriod(ch, spec, scope, spec.from, spec.to),
    spec.compare ? runPeriod(ch, spec, scope, addDays(spec.from, -days), addDays(spec.from, -1)) : Promise.resolve(null),
  ])
  return { rows, previous }
}
