import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../db/kysely.js'
import { periodBounds } from '../../domain/dashboards/goal.js'
import type { DashboardFilter, FunnelStage, GoalProgress, KpiFigures, Kpis, PerformerRow, RecentItem, TrendMonth } from '../queries/dashboard.types.js'

// The dashboard's figures computed straight from the Postgres write model (deals,
// pipeline_stages, events, activities, goals, users), with none of the ClickHouse
// code: what the proof test (dashboard.test.ts) holds ClickHouse to, and what the
// benchmark (bench/dashboards.bench.ts) times ClickHouse against. Same definitions as
// projections/queries/dashboard.ts; won and lost come from the stage's kind here, the
// amount at close from the closing DealStageChanged event.

const paris = (col: RawBuilder<unknown>) => sql`(${col} at time zone 'Europe/Paris')::date`

/** The filter's conditions on `deals d`. */
function dealFilter(f: DashboardFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`d.workspace_id = ${f.workspaceId}`, sql`d.deleted_at is null`]
  if (f.ownerIds) parts.push(sql`d.owner_id = any(${f.ownerIds}::uuid[])`)
  if (f.teamId) parts.push(sql`d.owner_id in (select u.id from users u where u.workspace_id = ${f.workspaceId} and u.team_id = ${f.teamId})`)
  if (f.category) parts.push(sql`d.category = ${f.category}`)
  if (f.region) parts.push(sql`d.region = ${f.region}`)
  return sql.join(parts, sql` and `)
}

/** A Paris day range as UTC bounds on a timestamptz column (index-friendly). */
const within = (col: RawBuilder<unknown>, from: string, to: string) =>
  sql`${col} >= (${from}::date::timestamp at time zone 'Europe/Paris') and ${col} < ((${to}::date + 1)::timestamp at time zone 'Europe/Paris')`

/** Live deals of the filter closed between two Paris days, with their stage kind and the amount their closing stage change carried. */
const closedIn = (f: DashboardFilter, from: string, to: string) => sql`
  select d.id, d.owner_id, d.amount_cents, d.created_at, d.closed_at, s.kind,
    (select (e.data->>'amount_cents')::bigint from events e
     where e.workspace_id = d.workspace_id and e.stream_type = 'deal' and e.stream_id = d.id
       and e.type = 'DealStageChanged' and (e.data->>'closed')::boolean
     order by e.stream_version desc limit 1) as close_amount
  from deals d join pipeline_stages s on s.workspace_id = d.workspace_id and s.code = d.stage
  where ${dealFilter(f)} and d.closed_at is not null and ${within(sql`d.closed_at`, from, to)}`

async function periodFigures(
  db: Db,
  f: DashboardFilter,
  from: string,
  to: string,
): Promise<Omit<KpiFigures, 'open_pipeline_cents' | 'weighted_pipeline_cents'>> {
  const r = await sql<Record<string, string | number | null>>`
    with p as (${closedIn(f, from, to)})
    select
      coalesce(sum(close_amount) filter (where kind = 'won'), 0)::bigint as revenue,
      count(*) filter (where kind = 'won')::bigint as won,
      count(*) filter (where kind = 'lost')::bigint as lost,
      round(sum(close_amount) filter (where kind = 'won') / nullif(count(*) filter (where kind = 'won'), 0))::bigint as avg_won,
      round(sum(extract(epoch from closed_at - created_at)) filter (where kind = 'won') / nullif(count(*) filter (where kind = 'won'), 0) / 86400, 1)::text as cycle
    from p`.execute(db)
  const x = r.rows[0]
  const won = Number(x.won)
  const lost = Number(x.lost)
  return {
    revenue_won_cents: Number(x.revenue),
    won_count: won,
    lost_count: lost,
    win_rate: won + lost ? won / (won + lost) : null,
    avg_won_deal_cents: x.avg_won === null ? null : Number(x.avg_won),
    sales_cycle_days: x.cycle === null ? null : Number(x.cycle),
  }
}

const addMonths = (firstOfMonth: string, n: number) => {
  const d = new Date(`${firstOfMonth}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + n)
  return d.toISOString().slice(0, 10)
}

const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/**
 * The open pipeline at the end of Paris day `day`, replayed from each live deal's events
 * in stream order: its stage (open by the stage's kind), amount and probability after
 * the last event dated that day or before. An event's day never goes back before the
 * day of an earlier event of its stream (a back-dated event counts on that day).
 */
async function openPipelineAt(db: Db, f: DashboardFilter, day: string) {
  const r = await sql<{ open: string; weighted: string }>`
    with ev as (
      select e.stream_id as id, e.stream_version as v, e.type, e.data,
        max(${paris(sql`(e.data->>'at')::timestamptz`)}) over (partition by e.stream_id order by e.stream_version) as day
      from deals d join events e on e.workspace_id = d.workspace_id and e.stream_type = 'deal' and e.stream_id = d.id
      where ${dealFilter(f)}
    ),
    at_day as (
      select id,
        (array_agg(case when type = 'DealCreated' then data->>'stage' else data->>'to' end order by v desc)
          filter (where type in ('DealCreated', 'DealStageChanged')))[1] as stage,
        (array_agg((data->>'probability')::int order by v desc) filter (where type in ('DealCreated', 'DealStageChanged')))[1] as probability,
        (array_agg(case when type = 'DealCreated' then data->>'amount_cents' else data->'changes'->>'amount_cents' end order by v desc)
          filter (where type = 'DealCreated' or (type = 'DealUpdated' and jsonb_exists(data->'changes', 'amount_cents'))))[1]::bigint as amount
      from ev where day <= ${day}::date group by id
    )
    select coalesce(sum(x.amount), 0)::bigint as open, div(coalesce(sum(x.amount * x.probability), 0) + 50, 100)::bigint as weighted
    from at_day x join pipeline_stages s on s.workspace_id = ${f.workspaceId} and s.code = x.stage
    where s.kind = 'open'`.execute(db)
  return { open_pipeline_cents: Number(r.rows[0].open), weighted_pipeline_cents: Number(r.rows[0].weighted) }
}

/** The open pipeline now, from the deals table. */
async function openPipelineNow(db: Db, f: DashboardFilter) {
  const open = await sql<{ open: string; weighted: string }>`
    select coalesce(sum(d.amount_cents), 0)::bigint as open, div(coalesce(sum(d.amount_cents * d.probability), 0) + 50, 100)::bigint as weighted
    from deals d join pipeline_stages s on s.workspace_id = d.workspace_id and s.code = d.stage
    where ${dealFilter(f)} and s.kind = 'open'`.execute(db)
  return { open_pipeline_cents: Number(open.rows[0].open), weighted_pipeline_cents: Number(open.rows[0].weighted) }
}

export async function postgresKpis(db: Db, f: DashboardFilter): Promise<Kpis> {
  const days = Math.round((Date.parse(f.to) - Date.parse(f.from)) / 86_400_000) + 1
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date())
  // The open pipeline at the end of each period: the deals as they are when the period
  // runs to today, else replayed from the events.
  const open = f.to >= today ? await openPipelineNow(db, f) : await openPipelineAt(db, f, f.to)
  const openBefore = await openPipelineAt(db, f, addDays(f.from, -1))
  const current = await periodFigures(db, f, f.from, f.to)
  const previous = await periodFigures(db, f, addDays(f.from, -days), addDays(f.from, -1))
  const order = (x: typeof current, o: typeof open): KpiFigures => ({
    revenue_won_cents: x.revenue_won_cents,
    open_pipeline_cents: o.open_pipeline_cents,
    weighted_pipeline_cents: o.weighted_pipeline_cents,
    won_count: x.won_count,
    lost_count: x.lost_count,
    win_rate: x.win_rate,
    avg_won_deal_cents: x.avg_won_deal_cents,
    sales_cycle_days: x.sales_cycle_days,
  })
  return { current: order(current, open), previous: order(previous, openBefore) }
}

/** The funnel from the stages each deal created in the period entered (its events), in the workspace's stage order. */
export async function postgresFunnel(db: Db, f: DashboardFilter): Promise<FunnelStage[]> {
  const r = await sql<{ code: string; label: string; reached: number; amount: string }>`
    with created as (
      select d.id, d.workspace_id, d.amount_cents from deals d
      where ${dealFilter(f)} and ${within(sql`d.created_at`, f.from, f.to)}
    ),
    furthest as (
      select c.id, c.amount_cents, max(s.position) as position
      from created c
      join events e on e.workspace_id = c.workspace_id and e.stream_type = 'deal' and e.stream_id = c.id
        and e.type in ('DealCreated', 'DealStageChanged')
      join pipeline_stages s on s.workspace_id = c.workspace_id and s.kind <> 'lost'
        and s.code = case when e.type = 'DealCreated' then e.data->>'stage' else e.data->>'to' end
      group by c.id, c.amount_cents
    )
    select s.code, s.label, count(x.id)::int as reached, coalesce(sum(x.amount_cents), 0)::bigint as amount
    from pipeline_stages s left join furthest x on x.position >= s.position
    where s.workspace_id = ${f.workspaceId} and s.kind <> 'lost'
    group by s.code, s.label, s.position order by s.position`.execute(db)
  return r.rows.map((x, i, all) => ({
    stage: x.code,
    label: x.label,
    reached: Number(x.reached),
    amount_cents: Number(x.amount),
    conversion_to_next: i === all.length - 1 || Number(x.reached) === 0 ? null : Number(all[i + 1].reached) / Number(x.reached),
  }))
}

export async function postgresTopPerformers(db: Db, f: DashboardFilter, names: Record<string, string>): Promise<PerformerRow[]> {
  const r = await sql<{ owner: string; revenue: string; won: string; lost: string }>`
    with c as (${closedIn(f, f.from, f.to)})
    select owner_id as owner, coalesce(sum(close_amount) filter (where kind = 'won'), 0)::bigint as revenue,
      count(*) filter (where kind = 'won')::bigint as won, count(*) filter (where kind = 'lost')::bigint as lost
    from c
    where owner_id is not null
    group by owner_id
    order by 2 desc, 3 desc, owner_id::text`.execute(db)
  return r.rows.map((x) => {
    const won = Number(x.won)
    const lost = Number(x.lost)
    return {
      owner_id: x.owner,
      owner_name: names[x.owner] ?? x.owner,
      revenue_won_cents: Number(x.revenue),
      won_count: won,
      lost_count: lost,
      win_rate: won + lost ? won / (won + lost) : null,
    }
  })
}

export async function postgresRevenueTrend(db: Db, f: DashboardFilter): Promise<TrendMonth[]> {
  const first = `${f.to.slice(0, 7)}-01`
  const start = addMonths(first, -11)
  const r = await sql<{ month: string; won: string; created: string }>`
    with months as (
      select to_char(m, 'YYYY-MM') as month from generate_series(${start}::date, ${first}::date, interval '1 month') as m
    ),
    won as (
      select to_char(${paris(sql`closed_at`)}, 'YYYY-MM') as month, sum(close_amount) as cents
      from (${closedIn(f, start, f.to)}) c where kind = 'won' group by 1
    ),
    created as (
      select to_char(${paris(sql`d.created_at`)}, 'YYYY-MM') as month, sum(d.amount_cents) as cents
      from deals d where ${dealFilter(f)} and ${within(sql`d.created_at`, start, f.to)} group by 1
    )
    select months.month, coalesce(won.cents, 0)::bigint as won, coalesce(created.cents, 0)::bigint as created
    from months left join won using (month) left join created using (month)
    order by months.month`.execute(db)
  return r.rows.map((x) => ({ month: x.month, won_cents: Number(x.won), pipeline_created_cents: Number(x.created) }))
}

/** Goals of the periods (default: the month and quarter of `f.to`) with revenue won by the rep or the team's members. */
export async function postgresGoalsProgress(db: Db, f: DashboardFilter, period?: string): Promise<GoalProgress[]> {
  const periods = period ? [period] : [f.to.slice(0, 7), `${f.to.slice(0, 4)}-Q${Math.floor((Number(f.to.slice(5, 7)) - 1) / 3) + 1}`]
  const goals = await db
    .selectFrom('goals')
    .selectAll()
    .where('workspace_id', '=', f.workspaceId)
    .where('removed_at', 'is', null)
    .where('period', 'in', periods)
    .execute()
  const users = await db.selectFrom('users').select(['id', 'team_id', 'full_name']).where('workspace_id', '=', f.workspaceId).execute()
  const teams = await db.selectFrom('teams').select(['id', 'name']).where('workspace_id', '=', f.workspaceId).execute()
  const out: GoalProgress[] = []
  for (const g of goals) {
    const members = g.scope === 'user' ? [g.scope_id] : users.filter((u) => u.team_id === g.scope_id).map((u) => u.id)
    if (g.scope === 'user') {
      const team = users.find((u) => u.id === g.scope_id)?.team_id ?? null
      if (f.ownerIds && !f.ownerIds.includes(g.scope_id)) continue
      if (f.teamId && team !== f.teamId) continue
    } else if (f.teamId ? g.scope_id !== f.teamId : f.ownerIds && !users.some((u) => f.ownerIds!.includes(u.id) && u.team_id === g.scope_id)) continue
    const { from, to } = periodBounds(g.period)!
    const everyone: DashboardFilter = { workspaceId: f.workspaceId, from, to, ownerIds: members, teamId: null }
    const r = await sql<{ revenue: string }>`
      with c as (${closedIn(everyone, from, to)})
      select coalesce(sum(close_amount), 0)::bigint as revenue from c where kind = 'won'`.execute(db)
    const actual = Number(r.rows[0].revenue)
    const target = Number(g.target_cents)
    const name = g.scope === 'user' ? users.find((u) => u.id === g.scope_id)?.full_name : teams.find((t) => t.id === g.scope_id)?.name
    out.push({
      scope: g.scope,
      scope_id: g.scope_id,
      scope_name: name ?? g.scope_id,
      period: g.period,
      target_cents: target,
      actual_cents: actual,
      ratio: actual / target,
    })
  }
  return out.sort(
    (a, b) => (a.scope === b.scope ? 0 : a.scope === 'team' ? -1 : 1) || a.period.localeCompare(b.period) || a.scope_name.localeCompare(b.scope_name, 'fr'),
  )
}

/** The open pipeline by stage under the filter (the pipeline-by-stage widget), by stage code. */
export async function postgresPipelineByStage(db: Db, f: DashboardFilter) {
  const r = await sql<{ stage: string; deals: string; amount: string; weighted: string }>`
    select d.stage, count(*)::bigint as deals, sum(d.amount_cents)::bigint as amount, div(sum(d.amount_cents * d.probability) + 50, 100)::bigint as weighted
    from deals d join pipeline_stages s on s.workspace_id = d.workspace_id and s.code = d.stage
    where ${dealFilter(f)} and s.kind = 'open'
    group by d.stage order by d.stage`.execute(db)
  return r.rows.map((x) => ({ stage: x.stage, deals: Number(x.deals), amount_cents: Number(x.amount), weighted_cents: Number(x.weighted) }))
}

/**
 * The latest activities (by author) and deal creations and stage changes (by the
 * deal's owner) of the period, from `activities` and `events`. Owner and team filters
 * only (what the benchmark times).
 */
export async function postgresRecentActivity(db: Db, f: DashboardFilter, limit: number): Promise<RecentItem[]> {
  const owners = (col: RawBuilder<unknown>) =>
    sql.join(
      [
        sql`true`,
        ...(f.ownerIds ? [sql`${col} = any(${f.ownerIds}::uuid[])`] : []),
        ...(f.teamId ? [sql`${col} in (select u.id from users u where u.workspace_id = ${f.workspaceId} and u.team_id = ${f.teamId})`] : []),
      ],
      sql` and `,
    )
  const start = sql`(${f.from}::date::timestamp at time zone 'Europe/Paris')`
  const end = sql`((${f.to}::date + 1)::timestamp at time zone 'Europe/Paris')`
  const r = await sql<{ at: Date; kind: string; title: string; actor: string | null; deal: string | null; organisation: string | null; amount: string | null }>`
    (select a.occurred_at as at, 'activity' as kind, a.subject as title, a.author_id::text as actor, a.deal_id::text as deal,
       a.organisation_id::text as organisation, null::bigint as amount
     from activities a
     where a.workspace_id = ${f.workspaceId} and a.deleted_at is null and a.occurred_at >= ${start} and a.occurred_at < ${end}
       and ${owners(sql`a.author_id`)}
     order by a.occurred_at desc limit ${limit})
    union all
    (select e.occurred_at, case when e.type = 'DealCreated' then 'deal_created'
         when (e.data->>'closed')::boolean and e.data->>'lost_reason' is null then 'deal_won'
         when (e.data->>'closed')::boolean then 'deal_lost' else 'stage_changed' end,
       d.title, e.meta->>'actorId', d.id::text, d.organisation_id::text, (e.data->>'amount_cents')::bigint
     from events e join deals d on d.workspace_id = e.workspace_id and d.id = e.stream_id
     where e.workspace_id = ${f.workspaceId} and e.stream_type = 'deal' and e.type in ('DealCreated', 'DealStageChanged')
       and e.occurred_at >= ${start} and e.occurred_at < ${end} and ${owners(sql`d.owner_id`)}
     order by e.occurred_at desc limit ${limit})
    order by at desc limit ${limit}`.execute(db)
  return r.rows.map((x) => ({
    at: new Date(x.at).toISOString(),
    kind: x.kind as RecentItem['kind'],
    title: x.title,
    actor_id: x.actor,
    deal_id: x.deal,
    organisation_id: x.organisation,
    amount_cents: x.amount === null ? null : Number(x.amount),
  }))
}
