import type { ClickHouseSettings } from '@clickhouse/client'
import type { ClickHouse } from '../clickhouse.js'
import { NO_OWNER } from '../deal-rollups.js'
import { addDays, addMonths, daysBetween, endOfMonth, monthOf } from '../../domain/shared/paris-time.js'
import { configuredWeights, type PipelineStageFigures } from './pipeline.js'
import { batchedQuery } from './query-batch.js'
import type { DashboardFilter, FunnelStage, GoalProgress, KpiFigures, Kpis, PerformerRow, RecentItem, TrendMonth } from './dashboard.types.js'

// The dashboards' figures, read from the rollups of docs/decisions/0006 (deals_daily,
// deals_monthly, deals_open), the deals by creation day (deal_created) and the timelines. Every query binds
// typed parameters; only fixed SQL fragments are assembled. Periods are Paris calendar
// days, `from` and `to` included.
//
// Definitions (the proof test, dashboard.test.ts, recomputes each one from Postgres):
// - A deal counts with its current owner, category and region; a team filter means the
//   deal's owner is in that team now (users_teams). Deleted deals count nowhere.
// - Won in the period: deals whose current stage is a won one and whose close (the
//   stage change that signed them, the latest if they were reopened) falls in the
//   period. Revenue: the amount that closing stage change carried (amount at close).
// - Lost in the period: likewise for deals closed as lost.
// - Win rate: won / (won + lost) among deals closed in the period; null when none.
// - Average won deal: revenue / won, in cents rounded half up; null when none.
// - Sales cycle: mean days from creation to close of the deals won in the period,
//   rounded half up to a tenth of a day; null when none.
// - Open pipeline: deals open at the end of the period (now when it ends today), with
//   the amount and probability they had then; the previous period's at the end of its
//   last day (Paris), i.e. the start of this one. Weighted: sum(amount × probability)
//   / 100 once over the total, rounded half up. A change counts on the Paris day of its
//   event's `at` (never before the deal's previous change). From deals_open and the
//   daily changes of deals_open_daily (docs/decisions/0006).
// - Pipeline created: current amount of the deals created in the period.
// - Funnel: among deals created in the period, those that entered a stage or any later
//   non-lost stage (workspace order); lost stages are not funnel steps.

type Sql = { where: string; params: Record<string, unknown> }

// Each query reads a few thousand rollup rows: one thread does it faster than the
// pool's start-up costs (measured: 2.4 ms CPU instead of 5.8 ms for an empty query).
// Widgets asked for together share one round trip (query-batch.ts).
const SMALL_QUERY: ClickHouseSettings = { max_threads: 1 }
const chQuery = <T>(ch: ClickHouse, query: string, params: Record<string, unknown>) => batchedQuery<T>(ch, query, params, SMALL_QUERY)

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/

function checkPeriod(f: DashboardFilter) {
  if (!DAY_PATTERN.test(f.from) || !DAY_PATTERN.test(f.to) || f.from > f.to) throw new Error(`Période invalide : ${f.from} → ${f.to}`)
}

/** The filter's owner, team, category and region conditions on a rollup with those columns. */
export function dimensions(f: DashboardFilter, column = { owner: 'owner_id', category: 'category', region: 'region' }): Sql {
  const parts: string[] = []
  const params: Record<string, unknown> = { ws: f.workspaceId }
  if (f.ownerIds) {
    parts.push(`${column.owner} IN {owners:Array(UUID)}`)
    params.owners = f.ownerIds
  }
  if (f.teamId) {
    parts.push(`${column.owner} IN (SELECT user_id FROM users_teams FINAL WHERE workspace_id = {ws:UUID} AND team_id = {team:UUID})`)
    params.team = f.teamId
  }
  if (f.category) {
    parts.push(`${column.category} = {category:String}`)
    params.category = f.category
  }
  if (f.region) {
    parts.push(`${column.region} = {region:String}`)
    params.region = f.region
  }
  return { where: parts.map((p) => ` AND ${p}`).join(''), params }
}

const big = (v: unknown) => BigInt(String(v ?? 0))

type CloseSums = { won_cents: bigint; won_deals: bigint; lost_deals: bigint; cycle_ms: bigint }

type OpenSums = { cents: bigint; weighted: bigint }

function figures(s: CloseSums, open: OpenSums): KpiFigures {
  const n = s.won_deals
  const closed = Number(n + s.lost_deals)
  return {
    revenue_won_cents: Number(s.won_cents),
    open_pipeline_cents: Number(open.cents),
    weighted_pipeline_cents: Number(open.weighted),
    won_count: Number(n),
    lost_count: Number(s.lost_deals),
    win_rate: closed ? Number(n) / closed : null,
    // Exact integer rounding (half up): BigInt, no float on the way.
    avg_won_deal_cents: n ? Number((2n * s.won_cents + n) / (2n * n)) : null,
    sales_cycle_days: n ? Number((10n * s.cycle_ms + n * 43_200_000n) / (n * 86_400_000n)) / 10 : null,
  }
}

/**
 * The KPI strip: the period's figures and those of the previous period of equal
 * length (e.g. 1–30 Nov → 2–31 Oct), in one round trip. The open pipeline (raw and
 * weighted) is the one at the end of each period: now for a period ending today, else
 * at the end of its last day — deals_open minus the changes since (deals_open_daily).
 *
 * @example await kpis(ch, { workspaceId, from: '2026-11-01', to: '2026-11-30', ownerIds: null, teamId: null })
 */
export async function kpis(ch: ClickHouse, f: DashboardFilter): Promise<Kpis> {
  checkPeriod(f)
  const days = daysBetween(f.from, f.to) + 1
  const prevFrom = addDays(f.from, -days)
  const dims = dimensions(f)
  const sums = (cond: string, p: string) => `
      toString(sumIf(won_cents, ${cond})) AS ${p}_won_cents, toString(sumIf(won_deals, ${cond})) AS ${p}_won_deals,
      toString(sumIf(lost_deals, ${cond})) AS ${p}_lost_deals, toString(sumIf(won_cycle_ms, ${cond})) AS ${p}_cycle_ms`
  const params = { ...dims.params, from: f.from, to: f.to, prevFrom }
  // Three rows (a UNION, cheaper than joining one-row results): the closes of both
  // periods, the open pipeline now, and what it changed by after each period's end.
  const [rows, opens] = await Promise.all([
    chQuery<Record<string, string>>(
      ch,
      `
    SELECT ${sums('day >= {from:Date}', 'cur')}, ${sums('day < {from:Date}', 'prev')}
    FROM deals_daily FINAL
    WHERE workspace_id = {ws:UUID} AND day BETWEEN {prevFrom:Date} AND {to:Date}${dims.where}`,
      params,
    ),
    chQuery<{ k: string; cents: string; weighted: string; cur_cents: string; cur_weighted: string }>(
      ch,
      `
    SELECT 'now' AS k, toString(sum(amount_cents)) AS cents, toString(sum(weighted_x100)) AS weighted, '0' AS cur_cents, '0' AS cur_weighted
    FROM deals_open FINAL
    WHERE workspace_id = {ws:UUID}${dims.where}
    UNION ALL
    SELECT 'since', toString(sum(amount_cents)), toString(sum(weighted_x100)), toString(sumIf(amount_cents, day > {to:Date})), toString(sumIf(weighted_x100, day > {to:Date}))
    FROM deals_open_daily FINAL
    WHERE workspace_id = {ws:UUID} AND day >= {from:Date}${dims.where}`,
      params,
    ),
  ])
  const r = rows[0]
  const part = (p: string): CloseSums => ({
    won_cents: big(r?.[`${p}_won_cents`]),
    won_deals: big(r?.[`${p}_won_deals`]),
    lost_deals: big(r?.[`${p}_lost_deals`]),
    cycle_ms: big(r?.[`${p}_cycle_ms`]),
  })
  const now = opens.find((x) => x.k === 'now')
  const since = opens.find((x) => x.k === 'since')
  // Weighted: amount × probability summed exactly, divided by 100 once, half up.
  const open = (cents: bigint, weightedX100: bigint): OpenSums => ({ cents, weighted: (weightedX100 + 50n) / 100n })
  const atEnd = open(big(now?.cents) - big(since?.cur_cents), big(now?.weighted) - big(since?.cur_weighted))
  const atPrevEnd = open(big(now?.cents) - big(since?.cents), big(now?.weighted) - big(since?.weighted))
  return { current: figures(part('cur'), atEnd), previous: figures(part('prev'), atPrevEnd) }
}

/**
 * The funnel of deals created in the period over the workspace's stages (pass them as
 * configured: code, label, position, kind). One row per open or won stage, in order.
 *
 * @example await funnel(ch, f, stages) // [{ stage: 'PROSPECT', reached: 120, conversion_to_next: 0.62, … }, …]
 */
export async function funnel(
  ch: ClickHouse,
  f: DashboardFilter,
  stages: { code: string; label: string; position: number; kind: string }[],
): Promise<FunnelStage[]> {
  checkPeriod(f)
  const dims = dimensions(f)
  const rows = await chQuery<{ reached: string; n: string; cents: string }>(
    ch,
    `
    SELECT reached, toString(count()) AS n, toString(sum(amount_cents)) AS cents
    FROM deal_created FINAL
    WHERE workspace_id = {ws:UUID} AND created_day BETWEEN {from:Date} AND {to:Date}${dims.where}
    GROUP BY reached`,
    { ...dims.params, from: f.from, to: f.to },
  )
  const steps = stages.filter((s) => s.kind !== 'lost').sort((a, b) => a.position - b.position)
  const position = new Map(steps.map((s) => [s.code, s.position]))
  // Each set of entered stages counts up to the furthest non-lost stage in it.
  const furthest = rows.map((r) => ({
    at: Math.max(-Infinity, ...r.reached.split(',').map((c) => position.get(c) ?? -Infinity)),
    n: Number(r.n),
    cents: Number(r.cents),
  }))
  const reached = steps.map((s) =>
    furthest.filter((x) => x.at >= s.position).reduce((a, x) => ({ n: a.n + x.n, cents: a.cents + x.cents }), { n: 0, cents: 0 }),
  )
  return steps.map((s, i) => ({
    stage: s.code,
    label: s.label,
    reached: reached[i].n,
    amount_cents: reached[i].cents,
    conversion_to_next: i === steps.length - 1 || reached[i].n === 0 ? null : reached[i + 1].n / reached[i].n,
  }))
}

/**
 * Owners by revenue won in the period (then deals won, then id), every owner with at
 * least one deal won or lost in it; deals without an owner are left out. `names` gives
 * their display names (the id stands in for an unknown one). The caller keeps the top n.
 *
 * @example await topPerformers(ch, f, { [userId]: 'Camille Durand' })
 */
export async function topPerformers(ch: ClickHouse, f: DashboardFilter, names: Record<string, string>): Promise<PerformerRow[]> {
  checkPeriod(f)
  const dims = dimensions(f)
  // Aliases differ from column names: ClickHouse resolves an alias before a column.
  const rows = await chQuery<{ owner: string; revenue: string; won: string; lost: string }>(
    ch,
    `
    SELECT toString(owner_id) AS owner, toString(sum(won_cents)) AS revenue, toString(sum(won_deals)) AS won, toString(sum(lost_deals)) AS lost
    FROM deals_daily FINAL
    WHERE workspace_id = {ws:UUID} AND day BETWEEN {from:Date} AND {to:Date} AND owner_id != {nobody:UUID}${dims.where}
    GROUP BY owner_id
    HAVING sum(won_deals) + sum(lost_deals) > 0
    ORDER BY sum(won_cents) DESC, sum(won_deals) DESC, owner_id`,
    { ...dims.params, from: f.from, to: f.to, nobody: NO_OWNER },
  )
  return rows.map((r) => {
    const won = Number(r.won)
    const lost = Number(r.lost)
    return {
      owner_id: r.owner,
      owner_name: names[r.owner] ?? r.owner,
      revenue_won_cents: Number(r.revenue),
      won_count: won,
      lost_count: lost,
      win_rate: won + lost ? won / (won + lost) : null,
    }
  })
}

/**
 * The latest happenings of the period, newest first: activities (by their author) and
 * deal creations and stage changes (by the deal's owner at that moment; won and lost
 * told apart). Owner and team filters apply to those people; category and region to
 * the deal, and to an activity through the deal it is linked to. `at` is an ISO UTC
 * instant, `title` the activity's subject or the deal's title.
 *
 * @example await recentActivity(ch, f, 10)
 */
export async function recentActivity(ch: ClickHouse, f: DashboardFilter, limit: number): Promise<RecentItem[]> {
  checkPeriod(f)
  if (!Number.isInteger(limit) || limit <= 0) return []
  const deals = dimensions(f)
  const activities = dimensions({ ...f, category: null, region: null }, { owner: 'author_id', category: '', region: '' })
  let linked = ''
  if (f.category || f.region) {
    linked = ` AND deal_id IN (SELECT deal_id FROM deal_facts FINAL WHERE workspace_id = {ws:UUID}${f.category ? ' AND category = {category:String}' : ''}${f.region ? ' AND region = {region:String}' : ''})`
  }
  const window = (t: string) =>
    `workspace_id = {ws:UUID} AND ${t} >= toDateTime({from:Date}, 'Europe/Paris') AND ${t} < toDateTime({to:Date} + 1, 'Europe/Paris')`
  // No FINAL: the newest rows are read in key order and the few superseded ones
  // dropped here. A row and the newer versions of it share its key, so they come out
  // together, newest version first: the first row of a key is the one that counts.
  const query = `
    SELECT * FROM (
      SELECT toString(occurred_at) AS at, toString(activity_id) AS k, version AS v, is_deleted AS gone, 'activity' AS kind, subject AS title,
        toString(author_id) AS actor, toString(deal_id) AS deal, toString(organisation_id) AS organisation, CAST(NULL, 'Nullable(String)') AS amount
      FROM activity_timeline
      WHERE ${window('occurred_at')}${activities.where}${linked}
      ORDER BY occurred_at DESC, activity_id DESC, version DESC
      LIMIT {candidates:UInt32}
      UNION ALL
      SELECT toString(at), toString(position), toUInt32(0), toUInt8(0), toString(kind), title, toString(actor_id), toString(deal_id),
        toString(organisation_id), toString(amount_cents)
      FROM deal_timeline
      WHERE ${window('at')}${deals.where}
      ORDER BY at DESC, position DESC
      LIMIT {candidates:UInt32}
    )
    ORDER BY at DESC, k DESC, v DESC`
  type Row = {
    at: string
    k: string
    v: number
    gone: number
    kind: string
    title: string
    actor: string | null
    deal: string | null
    organisation: string | null
    amount: string | null
  }
  for (let candidates = limit * 2 + 10; ; candidates *= 8) {
    const rows = await chQuery<Row>(ch, query, { ...deals.params, ...activities.params, from: f.from, to: f.to, candidates })
    // A source that filled its quota may hold more rows at or before its oldest one:
    // only items strictly newer than that are sure to be the newest of both.
    let boundary = ''
    for (const source of [rows.filter((r) => r.kind === 'activity'), rows.filter((r) => r.kind !== 'activity')]) {
      if (source.length >= candidates) boundary = source[source.length - 1].at > boundary ? source[source.length - 1].at : boundary
    }
    const seen = new Set<string>()
    const items: RecentItem[] = []
    for (const r of rows) {
      if (boundary && r.at <= boundary) break
      const key = `${r.kind === 'activity' ? 'a' : 'd'}|${r.at}|${r.k}`
      if (seen.has(key)) continue
      seen.add(key)
      if (Number(r.gone)) continue
      items.push({
        at: new Date(`${r.at.replace(' ', 'T')}Z`).toISOString(),
        kind: r.kind as RecentItem['kind'],
        title: r.title,
        actor_id: r.actor,
        deal_id: r.deal,
        organisation_id: r.organisation,
        amount_cents: r.amount === null ? null : Number(r.amount),
      })
    }
    if (items.length >= limit || !boundary) return items.slice(0, limit)
  }
}

const QUARTER = /^(\d{4})-Q([1-4])$/
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

/** The months ('YYYY-MM-01') a goal period covers. */
function monthsOf(period: string): string[] {
  const q = QUARTER.exec(period)
  if (q) {
    const first = `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`
    return [first, addMonths(first, 1), addMonths(first, 2)]
  }
  if (MONTH.test(period)) return [`${period}-01`]
  return []
}

/**
 * Goals against revenue won: each goal of `period` ('2026-11' or '2026-Q4'), or by
 * default of the month and the quarter that contain `f.to`, with the revenue won in
 * that period by the rep, or by the team's current members. Actuals count every
 * category and region (a goal is about all of a rep's revenue). A user goal shows when
 * the rep passes the owner and team filters; a team goal when it is the filter's team,
 * or a team of the filtered owners, or always without filters. `ratio` is
 * actual / target and goes past 1 when the goal is beaten.
 *
 * @example await goalsProgress(ch, f, '2026-Q4')
 */
export async function goalsProgress(ch: ClickHouse, f: DashboardFilter, period?: string): Promise<GoalProgress[]> {
  checkPeriod(f)
  const periods = period ? [period] : [f.to.slice(0, 7), `${f.to.slice(0, 4)}-Q${Math.floor((Number(f.to.slice(5, 7)) - 1) / 3) + 1}`]
  const months = [...new Set(periods.flatMap(monthsOf))]
  if (months.length === 0) return []
  const rows = await chQuery<{ k: string; id: string; a: string; b: string; c: string; n: string }>(
    ch,
    `
    SELECT 'goal' AS k, toString(goal_id) AS id, toString(scope) AS a, toString(scope_id) AS b, toString(period) AS c, toString(target_cents) AS n
    FROM goals FINAL WHERE workspace_id = {ws:UUID} AND NOT removed AND period IN {periods:Array(String)}
    UNION ALL
    SELECT 'user', toString(user_id), ifNull(toString(team_id), ''), full_name, '', '' FROM users_teams FINAL WHERE workspace_id = {ws:UUID}
    UNION ALL
    SELECT 'team', toString(team_id), '', name, '', '' FROM teams FINAL WHERE workspace_id = {ws:UUID}
    UNION ALL
    SELECT 'won', toString(owner_id), toString(month), '', '', toString(sum(won_cents))
    FROM deals_monthly FINAL WHERE workspace_id = {ws:UUID} AND month IN {months:Array(Date)}
    GROUP BY owner_id, month`,
    { ws: f.workspaceId, periods, months },
  )

  const users = new Map<string, { team: string | null; name: string }>()
  const teams = new Map<string, string>()
  const won = new Map<string, number>() // `${owner}|${month}`
  const goals: { scope: 'user' | 'team'; scope_id: string; period: string; target: number }[] = []
  for (const r of rows) {
    if (r.k === 'user') users.set(r.id, { team: r.a || null, name: r.b })
    else if (r.k === 'team') teams.set(r.id, r.b)
    else if (r.k === 'won') won.set(`${r.id}|${r.a}`, Number(r.n))
    else goals.push({ scope: r.a as 'user' | 'team', scope_id: r.b, period: r.c, target: Number(r.n) })
  }
  const ownerTeams = f.ownerIds ? new Set(f.ownerIds.map((o) => users.get(o)?.team).filter((t): t is string => !!t)) : null
  const visible = (g: (typeof goals)[number]) => {
    if (g.scope === 'user') {
      if (f.ownerIds && !f.ownerIds.includes(g.scope_id)) return false
      return !f.teamId || users.get(g.scope_id)?.team === f.teamId
    }
    if (f.teamId) return g.scope_id === f.teamId
    return !ownerTeams || ownerTeams.has(g.scope_id)
  }
  const wonBy = (owner: string, period: string) => monthsOf(period).reduce((s, m) => s + (won.get(`${owner}|${m}`) ?? 0), 0)
  return goals
    .filter(visible)
    .map((g) => {
      const actual =
        g.scope === 'user' ? wonBy(g.scope_id, g.period) : [...users].filter(([, u]) => u.team === g.scope_id).reduce((s, [id]) => s + wonBy(id, g.period), 0)
      const name = g.scope === 'user' ? users.get(g.scope_id)?.name : teams.get(g.scope_id)
      return {
        scope: g.scope,
        scope_id: g.scope_id,
        scope_name: name ?? g.scope_id,
        period: g.period,
        target_cents: g.target,
        actual_cents: actual,
        ratio: actual / g.target,
      }
    })
    .sort(
      (a, b) => (a.scope === b.scope ? 0 : a.scope === 'team' ? -1 : 1) || a.period.localeCompare(b.period) || a.scope_name.localeCompare(b.scope_name, 'fr'),
    )
}

/**
 * Twelve months ending with the month of `f.to` (that month counted up to `f.to`):
 * revenue won and pipeline created per month, 'YYYY-MM', oldest first, zeros included.
 * `f.from` is not used.
 *
 * @example await revenueTrend(ch, { …f, to: '2026-11-27' }) // [{ month: '2025-12', … }, …, { month: '2026-11', … }]
 */
export async function revenueTrend(ch: ClickHouse, f: DashboardFilter): Promise<TrendMonth[]> {
  checkPeriod(f)
  const last = monthOf(f.to)
  const first = addMonths(last, -11)
  // Whole months from the monthly rollup; a month cut short by `to` from the daily one.
  const lastWhole = endOfMonth(f.to) === f.to ? last : addMonths(last, -1)
  const dims = dimensions(f)
  const rows = await chQuery<{ m: string; won: string; created: string }>(
    ch,
    `
    SELECT toString(month) AS m, toString(sum(won_cents)) AS won, toString(sum(created_cents)) AS created
    FROM deals_monthly FINAL
    WHERE workspace_id = {ws:UUID} AND month BETWEEN {first:Date} AND {lastWhole:Date}${dims.where}
    GROUP BY month
    UNION ALL
    SELECT toString(toStartOfMonth(day)), toString(sum(won_cents)), toString(sum(created_cents))
    FROM deals_daily FINAL
    WHERE workspace_id = {ws:UUID} AND day BETWEEN {partFrom:Date} AND {to:Date}${dims.where}
    GROUP BY toStartOfMonth(day)`,
    { ...dims.params, first, lastWhole, partFrom: lastWhole === last ? addDays(f.to, 1) : last, to: f.to },
  )
  const byMonth = new Map<string, { won: number; created: number }>()
  for (const r of rows) {
    const cur = byMonth.get(r.m) ?? { won: 0, created: 0 }
    byMonth.set(r.m, { won: cur.won + Number(r.won), created: cur.created + Number(r.created) })
  }
  return Array.from({ length: 12 }, (_, i) => {
    const m = addMonths(first, i)
    const v = byMonth.get(m)
    return { month: m.slice(0, 7), won_cents: v?.won ?? 0, pipeline_created_cents: v?.created ?? 0 }
  })
}

/**
 * The open pipeline now by stage under the dashboard's filters (the pipeline-by-stage
 * widget), from the deals_open rollup: same figures and rounding as
 * openPipelineByStage, which reads deals_current for the nightly check. Ordered like it:
 * by the stage's probability (the weighted amount over the amount), then code.
 *
 * @example await pipelineByStage(ch, f) // [{ stage: 'NEGOCIATION', deals: 8, amount_cents: …, weighted_cents: … }, …]
 */
export async function pipelineByStage(ch: ClickHouse, f: DashboardFilter): Promise<PipelineStageFigures[]> {
  const dims = dimensions(f)
  // With configured stages: amount × the stage's configured probability (the same per deal of a stage: exact on the rollup).
  const c = configuredWeights(f.stages, '')
  const weightedX100 = f.stages ? `sum(amount_cents * ${c.weight})` : 'sum(weighted_x100)'
  const rows = await chQuery<{ stage: string; n: string; total: string; weighted: string }>(
    ch,
    `
    SELECT stage, toString(sum(deals)) AS n, toString(sum(amount_cents)) AS total, toString(intDiv(${weightedX100} + 50, 100)) AS weighted
    FROM deals_open FINAL
    WHERE workspace_id = {ws:UUID}${dims.where}${c.where}
    GROUP BY stage
    ORDER BY if(sum(amount_cents) = 0, 0, ${weightedX100} / sum(amount_cents)), stage`,
    { ...dims.params, ...c.params },
  )
  return rows.map((r) => ({ stage: r.stage, deals: Number(r.n), amount_cents: Number(r.total), weighted_cents: Number(r.weighted) }))
}

/** The name the dashboard loader (app/utils/dashboard.server.ts) imports it by. */
export const openPipelineFor = pipelineByStage
