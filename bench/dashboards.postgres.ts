import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/kysely.js'
import { periodBounds } from '../domain/dashboards/goal.js'
import type {
  DashboardFilter,
  FunnelStage,
  GoalProgress,
  KpiFigures,
  Kpis,
  PerformerRow,
  RecentItem,
  TrendMonth,
} from '../projections/queries/dashboard.types.js'

// The dashboard's figures from plain Postgres on the write model (deals, pipeline_stages,
// events, activities, goals, users, teams), written the way a good engineer would answer
// the dashboard without ClickHouse: the indexes the queries need (POSTGRES_INDEXES, made
// by the bench, then ANALYZE), one query per widget where one does, and no replay of
// every deal's history. Same definitions as projections/queries/dashboard.ts (and as the
// proof test's reference, projections/testing/dashboard-reference.ts, which favours
// obviousness over speed); the bench checks every widget equal to ClickHouse's.
//
// The main difference from the reference: the open pipeline at the end of a past day D
// is the deals as they are now, except the deals with a change dated after D — only
// those are replayed from their events (the reference replays every deal's events).
// "Today" is the data set's (the last event's Paris day), never the wall clock.

/** What the bench creates before timing the Postgres side (IF NOT EXISTS: kept with the data set). */
export const POSTGRES_INDEXES: { name: string; why: string; ddl: string }[] = [
  {
    name: 'bench_deals_closed_idx',
    why: 'deals closed in a period (KPIs, top performers, trend, goals)',
    ddl: 'create index if not exists bench_deals_closed_idx on deals (workspace_id, closed_at) include (owner_id, stage, created_at) where deleted_at is null and closed_at is not null',
  },
  {
    name: 'bench_deals_created_idx',
    why: 'deals created in a period with their amount (funnel, trend): index-only',
    ddl: 'create index if not exists bench_deals_created_idx on deals (workspace_id, created_at) include (amount_cents, owner_id) where deleted_at is null',
  },
  {
    name: 'bench_deals_open_idx',
    why: 'the open pipeline now, by stage (KPIs, pipeline by stage): index-only',
    ddl: 'create index if not exists bench_deals_open_idx on deals (workspace_id, stage) include (amount_cents, probability, owner_id) where deleted_at is null',
  },
  {
    name: 'bench_events_deal_time_idx',
    why: 'deal events recorded after a day (the deals to replay for a past open pipeline)',
    ddl: `create index if not exists bench_events_deal_time_idx on events (workspace_id, occurred_at) include (stream_id) where stream_type = 'deal'`,
  },
  {
    name: 'bench_events_deal_recent_idx',
    why: 'latest deal creations and stage changes (recent activity)',
    ddl: `create index if not exists bench_events_deal_recent_idx on events (workspace_id, occurred_at desc) where stream_type = 'deal' and type in ('DealCreated', 'DealStageChanged')`,
  },
  {
    name: 'bench_activities_recent_idx',
    why: 'latest activities (recent activity)',
    ddl: 'create index if not exists bench_activities_recent_idx on activities (workspace_id, occurred_at desc) where deleted_at is null',
  },
]

/** Creates the indexes (IF NOT EXISTS), then VACUUM ANALYZE of the tables they are on (statistics, visibility map for index-only scans). */
export async function preparePostgres(db: Db, log: (m: string) => void) {
  for (const ix of POSTGRES_INDEXES) {
    const t = performance.now()
    await sql.raw(ix.ddl).execute(db)
    log(`  index ${ix.name} (${ix.why}): ${Math.round(performance.now() - t)} ms`)
  }
  const t = performance.now()
  await sql`vacuum analyze deals, events, activities, goals, users, teams, pipeline_stages`.execute(db)
  log(`  vacuum analyze: ${Math.round(performance.now() - t)} ms`)
}

/** The data set's « today »: the Paris day of its last event (not the wall clock). */
export async function dataToday(db: Db, workspaceId: string): Promise<string> {
  const r = await sql<{ day: string }>`
    select (max(occurred_at) at time zone 'Europe/Paris')::date::text as day from events where workspace_id = ${workspaceId}`.execute(db)
  return r.rows[0].day
}

/**
 * What the replay's shortcut relies on, checked on the data (fails loudly otherwise):
 * every deal event's `at` is an ISO instant in toISOString's shape (it compares as text in
 * "C" order), never after the event's `occurred_at` (commands date an event when they
 * start, the insert comes after; an import may back-date, never forward-date) — so the
 * events dated after a day are among those recorded after it, found by an index.
 */
export async function checkEventInstants(db: Db, workspaceId: string) {
  const r = await sql<{ shape: string; later: string }>`
    select count(*) filter (where not coalesce((data->>'at') ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$', false))::bigint as shape,
      count(*) filter (where (data->>'at')::timestamptz > occurred_at)::bigint as later
    from events where workspace_id = ${workspaceId} and stream_type = 'deal'`.execute(db)
  if (Number(r.rows[0].shape) > 0) throw new Error(`${r.rows[0].shape} deal events have an 'at' not shaped like toISOString()`)
  if (Number(r.rows[0].later) > 0) throw new Error(`${r.rows[0].later} deal events are dated after they were recorded: the replay's shortcut would miss them`)
}

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

/** Paris midnight at the start of `day`, as a timestamptz. */
const startOf = (day: string) => sql`(${day}::date::timestamp at time zone 'Europe/Paris')`
const within = (col: RawBuilder<unknown>, from: string, to: string) => sql`${col} >= ${startOf(from)} and ${col} < ${startOf(addDays(to, 1))}`

/** Live deals of the filter closed between two Paris days: stage kind and the amount their closing stage change carried. */
const closedIn = (f: DashboardFilter, from: string, to: string) => sql`
  select d.id, d.owner_id, d.created_at, d.closed_at, s.kind,
    (select (e.data->>'amount_cents')::bigint from events e
     where e.stream_id = d.id and e.workspace_id = d.workspace_id and e.stream_type = 'deal'
       and e.type = 'DealStageChanged' and (e.data->>'closed')::boolean
     order by e.stream_version desc limit 1) as close_amount
  from deals d join pipeline_stages s on s.workspace_id = d.workspace_id and s.code = d.stage
  where ${dealFilter(f)} and d.closed_at is not null and ${within(sql`d.closed_at`, from, to)} and s.kind in ('won', 'lost')`

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

/** Closes of both periods in one pass over the deals closed from the previous period's start. */
async function closes(db: Db, f: DashboardFilter, prevFrom: string) {
  const r = await sql<Record<string, string | null>>`
    with p as (${closedIn(f, prevFrom, f.to)}), q as (select *, closed_at >= ${startOf(f.from)} as cur from p)
    select cur,
      coalesce(sum(close_amount) filter (where kind = 'won'), 0)::bigint as revenue,
      count(*) filter (where kind = 'won')::bigint as won,
      count(*) filter (where kind = 'lost')::bigint as lost,
      round(sum(close_amount) filter (where kind = 'won') / nullif(count(*) filter (where kind = 'won'), 0))::bigint as avg_won,
      round(sum(extract(epoch from closed_at - created_at)) filter (where kind = 'won') / nullif(count(*) filter (where kind = 'won'), 0) / 86400, 1)::text as cycle
    from q group by cur`.execute(db)
  const of = (cur: boolean) => {
    const x = r.rows.find((y) => String(y.cur) === String(cur)) ?? { revenue: '0', won: '0', lost: '0', avg_won: null, cycle: null }
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
  return { current: of(true), previous: of(false) }
}

/** The open pipeline now, from the deals table. */
async function openPipelineNow(db: Db, f: DashboardFilter) {
  const r = await sql<{ open: string; weighted: string }>`
    select coalesce(sum(d.amount_cents), 0)::bigint as open, div(coalesce(sum(d.amount_cents * d.probability), 0) + 50, 100)::bigint as weighted
    from deals d join pipeline_stages s on s.workspace_id = d.workspace_id and s.code = d.stage
    where ${dealFilter(f)} and s.kind = 'open'`.execute(db)
  return { open_pipeline_cents: Number(r.rows[0].open), weighted_pipeline_cents: Number(r.rows[0].weighted) }
}

/**
 * The open pipeline at the end of Paris day `day`: the deals without a change dated after
 * it as they are now (deals table), plus the deals with one replayed from their events up
 * to that day (stage, amount, probability after the last event dated `day` or before; an
 * event's day never goes back before an earlier event's of its stream). Only the deals
 * changed since are replayed.
 */
async function openPipelineAt(db: Db, f: DashboardFilter, day: string) {
  const r = await openPipelineAtQuery(f, day, await dayEndIso(db, day)).execute(db)
  return { open_pipeline_cents: Number(r.rows[0].open), weighted_pipeline_cents: Number(r.rows[0].weighted) }
}

/** The end of Paris day `day` as toISOString() writes an instant (events' `at`). */
export async function dayEndIso(db: Db, day: string) {
  const r = await sql<{
    iso: string
  }>`select to_char((${addDays(day, 1)}::date::timestamp at time zone 'Europe/Paris') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as iso`.execute(db)
  return r.rows[0].iso
}

export const openPipelineAtQuery = (f: DashboardFilter, day: string, endIso: string) => sql<{ open: string; weighted: string }>`
    with changed as materialized (
      -- As an array, unnested: the planner then drives the replay from these few deals.
      select unnest(array(
        select distinct e.stream_id from events e
        where e.workspace_id = ${f.workspaceId} and e.stream_type = 'deal' and e.occurred_at >= ${endIso}::timestamptz
          and (e.data->>'at') collate "C" >= ${endIso}
      )) as id
    ),
    unchanged as (
      select coalesce(sum(d.amount_cents), 0)::numeric as open, coalesce(sum(d.amount_cents * d.probability), 0)::numeric as wx100
      from deals d join pipeline_stages s on s.workspace_id = d.workspace_id and s.code = d.stage
      where ${dealFilter(f)} and s.kind = 'open' and d.id not in (select id from changed)
    ),
    at_day as (
      -- Each changed deal's events by its (stream_id, stream_version) key, one deal at a time.
      select x.* from changed c cross join lateral (select * from deals d where d.id = c.id and ${dealFilter(f)}) d
      cross join lateral (
        select
          (array_agg(case when type = 'DealCreated' then data->>'stage' else data->>'to' end order by v desc)
            filter (where type in ('DealCreated', 'DealStageChanged')))[1] as stage,
          (array_agg((data->>'probability')::int order by v desc) filter (where type in ('DealCreated', 'DealStageChanged')))[1] as probability,
          (array_agg(case when type = 'DealCreated' then data->>'amount_cents' else data->'changes'->>'amount_cents' end order by v desc)
            filter (where type = 'DealCreated' or (type = 'DealUpdated' and jsonb_exists(data->'changes', 'amount_cents'))))[1]::bigint as amount
        from (
          select e.stream_version as v, e.type, e.data,
            max(${paris(sql`(e.data->>'at')::timestamptz`)}) over (order by e.stream_version) as day
          from events e where e.stream_id = d.id and e.workspace_id = d.workspace_id and e.stream_type = 'deal'
        ) ev
        where ev.day <= ${day}::date
      ) x
    ),
    replayed as (
      select coalesce(sum(x.amount), 0)::numeric as open, coalesce(sum(x.amount * x.probability), 0)::numeric as wx100
      from at_day x join pipeline_stages s on s.workspace_id = ${f.workspaceId} and s.code = x.stage
      where s.kind = 'open'
    )
    select (u.open + r.open)::bigint as open, div(u.wx100 + r.wx100 + 50, 100)::bigint as weighted from unchanged u, replayed r`

/** The KPI strip: this period and the previous one of equal length; `today` is the data set's. */
export async function pgKpis(db: Db, f: DashboardFilter, today: string): Promise<Kpis> {
  const days = Math.round((Date.parse(f.to) - Date.parse(f.from)) / 86_400_000) + 1
  const prevFrom = addDays(f.from, -days)
  const [open, openBefore, c] = await Promise.all([
    f.to >= today ? openPipelineNow(db, f) : openPipelineAt(db, f, f.to),
    openPipelineAt(db, f, addDays(f.from, -1)),
    closes(db, f, prevFrom),
  ])
  const order = (x: typeof c.current, o: typeof open): KpiFigures => ({
    revenue_won_cents: x.revenue_won_cents,
    open_pipeline_cents: o.open_pipeline_cents,
    weighted_pipeline_cents: o.weighted_pipeline_cents,
    won_count: x.won_count,
    lost_count: x.lost_count,
    win_rate: x.win_rate,
    avg_won_deal_cents: x.avg_won_deal_cents,
    sales_cycle_days: x.sales_cycle_days,
  })
  return { current: order(c.current, open), previous: order(c.previous, openBefore) }
}

/** The funnel: among deals created in the period, the furthest non-lost stage each entered (its events), counted at every stage up to it. */
export async function pgFunnel(db: Db, f: DashboardFilter): Promise<FunnelStage[]> {
  const r = await sql<{ code: string; label: string; reached: number; amount: string }>`
    with created as (
      select d.id, d.workspace_id, d.amount_cents from deals d
      where ${dealFilter(f)} and ${within(sql`d.created_at`, f.from, f.to)}
    ),
    furthest as (
      select c.id, c.amount_cents, max(s.position) as position
      from created c
      join events e on e.stream_id = c.id and e.workspace_id = c.workspace_id and e.stream_type = 'deal'
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

export async function pgTopPerformers(db: Db, f: DashboardFilter, names: Record<string, string>): Promise<PerformerRow[]> {
  const r = await sql<{ owner: string; revenue: string; won: string; lost: string }>`
    with c as (${closedIn(f, f.from, f.to)})
    select owner_id as owner, coalesce(sum(close_amount) filter (where kind = 'won'), 0)::bigint as revenue,
      count(*) filter (where kind = 'won')::bigint as won, count(*) filter (where kind = 'lost')::bigint as lost
    from c where owner_id is not null
    group by owner_id order by 2 desc, 3 desc, owner_id::text`.execute(db)
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

/** Twelve months to the month of `f.to` (cut at `f.to`): revenue won (amount at close) and pipeline created. */
export async function pgRevenueTrend(db: Db, f: DashboardFilter): Promise<TrendMonth[]> {
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

/** Goals of the periods (default: the month and quarter of `f.to`) against revenue won: one query for the won revenue per owner and month of every goal. */
export async function pgGoalsProgress(db: Db, f: DashboardFilter, period?: string): Promise<GoalProgress[]> {
  const periods = period ? [period] : [f.to.slice(0, 7), `${f.to.slice(0, 4)}-Q${Math.floor((Number(f.to.slice(5, 7)) - 1) / 3) + 1}`]
  const [goals, users, teams] = await Promise.all([
    db.selectFrom('goals').selectAll().where('workspace_id', '=', f.workspaceId).where('removed_at', 'is', null).where('period', 'in', periods).execute(),
    db.selectFrom('users').select(['id', 'team_id', 'full_name']).where('workspace_id', '=', f.workspaceId).execute(),
    db.selectFrom('teams').select(['id', 'name']).where('workspace_id', '=', f.workspaceId).execute(),
  ])
  const bounds = periods.map((p) => periodBounds(p)).filter((b): b is NonNullable<typeof b> => !!b)
  const won = new Map<string, number>() // `${owner}|${YYYY-MM}`
  if (goals.length && bounds.length) {
    const from = bounds.map((b) => b.from).sort()[0]
    const to = bounds
      .map((b) => b.to)
      .sort()
      .at(-1)!
    const everyone: DashboardFilter = { workspaceId: f.workspaceId, from, to, ownerIds: null, teamId: null }
    const r = await sql<{ owner: string; month: string; revenue: string }>`
      with c as (${closedIn(everyone, from, to)})
      select owner_id::text as owner, to_char(${paris(sql`closed_at`)}, 'YYYY-MM') as month, coalesce(sum(close_amount), 0)::bigint as revenue
      from c where kind = 'won' and owner_id is not null group by 1, 2`.execute(db)
    for (const x of r.rows) won.set(`${x.owner}|${x.month}`, Number(x.revenue))
  }
  const wonBy = (owner: string, p: string) => {
    const b = periodBounds(p)!
    let s = 0
    for (let m = b.from.slice(0, 7); m <= b.to.slice(0, 7); m = addMonths(`${m}-01`, 1).slice(0, 7)) s += won.get(`${owner}|${m}`) ?? 0
    return s
  }
  const out: GoalProgress[] = []
  for (const g of goals) {
    if (g.scope === 'user') {
      const team = users.find((u) => u.id === g.scope_id)?.team_id ?? null
      if (f.ownerIds && !f.ownerIds.includes(g.scope_id)) continue
      if (f.teamId && team !== f.teamId) continue
    } else if (f.teamId ? g.scope_id !== f.teamId : f.ownerIds && !users.some((u) => f.ownerIds!.includes(u.id) && u.team_id === g.scope_id)) continue
    const members = g.scope === 'user' ? [g.scope_id] : users.filter((u) => u.team_id === g.scope_id).map((u) => u.id)
    const actual = members.reduce((s, m) => s + wonBy(m, g.period), 0)
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

/** The open pipeline by stage now (the pipeline-by-stage widget), ordered like ClickHouse's: by weighted / amount, then code. */
export async function pgPipelineByStage(db: Db, f: DashboardFilter) {
  const r = await sql<{ stage: string; deals: string; amount: string; weighted: string }>`
    select d.stage, count(*)::bigint as deals, sum(d.amount_cents)::bigint as amount, div(sum(d.amount_cents * d.probability) + 50, 100)::bigint as weighted
    from deals d join pipeline_stages s on s.workspace_id = d.workspace_id and s.code = d.stage
    where ${dealFilter(f)} and s.kind = 'open'
    group by d.stage
    order by case when sum(d.amount_cents) = 0 then 0 else sum(d.amount_cents * d.probability)::float8 / 100 / sum(d.amount_cents) end, d.stage collate "C"`.execute(
    db,
  )
  return r.rows.map((x) => ({ stage: x.stage, deals: Number(x.deals), amount_cents: Number(x.amount), weighted_cents: Number(x.weighted) }))
}

/**
 * The latest activities (by author) and deal creations and stage changes of the period,
 * newest first, ties broken like ClickHouse's (the activity id or the event position as
 * text, descending), with the names of their organisations (what the loader adds).
 */
export async function pgRecentActivity(
  db: Db,
  f: DashboardFilter,
  limit: number,
): Promise<{ items: RecentItem[]; organisations: { id: string; name: string }[] }> {
  const owners = (col: RawBuilder<unknown>) =>
    sql.join(
      [
        sql`true`,
        ...(f.ownerIds ? [sql`${col} = any(${f.ownerIds}::uuid[])`] : []),
        ...(f.teamId ? [sql`${col} in (select u.id from users u where u.workspace_id = ${f.workspaceId} and u.team_id = ${f.teamId})`] : []),
      ],
      sql` and `,
    )
  const start = startOf(f.from)
  const end = startOf(addDays(f.to, 1))
  // Each side: its `limit` newest and every row tied with the last of them (the tie order is decided below).
  const r = await sql<{
    at: Date
    k: string
    kind: string
    title: string
    actor: string | null
    deal: string | null
    organisation: string | null
    org_name: string | null
    amount: string | null
  }>`
    with a as (
      select a.occurred_at as at, a.id::text as k, 'activity' as kind, a.subject as title, a.author_id::text as actor, a.deal_id::text as deal,
        a.organisation_id::text as organisation, null::bigint as amount
      from activities a
      where a.workspace_id = ${f.workspaceId} and a.deleted_at is null and a.occurred_at >= ${start} and a.occurred_at < ${end}
        and a.occurred_at >= coalesce((
          select a2.occurred_at from activities a2
          where a2.workspace_id = ${f.workspaceId} and a2.deleted_at is null and a2.occurred_at >= ${start} and a2.occurred_at < ${end} and ${owners(sql`a2.author_id`)}
          order by a2.occurred_at desc offset ${limit - 1} limit 1), '-infinity')
        and ${owners(sql`a.author_id`)}
    ),
    ev as (
      select e.occurred_at as at, e.position::text as k, case when e.type = 'DealCreated' then 'deal_created'
           when (e.data->>'closed')::boolean and e.data->>'lost_reason' is null then 'deal_won'
           when (e.data->>'closed')::boolean then 'deal_lost' else 'stage_changed' end as kind,
         d.title, e.meta->>'actorId' as actor, d.id::text as deal, d.organisation_id::text as organisation, (e.data->>'amount_cents')::bigint as amount
      from events e join deals d on d.id = e.stream_id and d.workspace_id = e.workspace_id
      where e.workspace_id = ${f.workspaceId} and e.stream_type = 'deal' and e.type in ('DealCreated', 'DealStageChanged')
        and e.occurred_at >= ${start} and e.occurred_at < ${end} and ${owners(sql`d.owner_id`)}
      order by e.occurred_at desc limit ${limit * 4}
    ),
    top as (select * from a union all select * from ev)
    select top.*, o.name as org_name from top left join organisations o on o.workspace_id = ${f.workspaceId} and o.id::text = top.organisation`.execute(db)
  const rows = r.rows.map((x) => ({ ...x, iso: new Date(x.at).toISOString() }))
  rows.sort((x, y) => (x.iso < y.iso ? 1 : x.iso > y.iso ? -1 : x.k < y.k ? 1 : x.k > y.k ? -1 : 0))
  const items = rows.slice(0, limit).map((x) => ({
    at: x.iso,
    kind: x.kind as RecentItem['kind'],
    title: x.title,
    actor_id: x.actor,
    deal_id: x.deal,
    organisation_id: x.organisation,
    amount_cents: x.amount === null ? null : Number(x.amount),
  }))
  const organisations = [
    ...new Map(
      rows
        .slice(0, limit)
        .filter((x) => x.organisation && x.org_name !== null)
        .map((x) => [x.organisation!, { id: x.organisation!, name: x.org_name! }]),
    ).values(),
  ]
  return { items, organisations }
}
