import type { Role } from '../../db/schema'
import { loadPipelines, loadStages, type PipelineSummary } from '../../domain/crm/crm.repository'
import type { Stage } from '../../domain/crm/pipeline'
import { loadUserLayout } from '../../domain/dashboards/dashboards.repository'
import { DEFAULT_PRESET, daysInRange, isPeriodPreset, MAX_CUSTOM_DAYS, presetRange, type PeriodPreset } from '../../domain/dashboards/period'
import { addMonths, isIsoDate, parisDay } from '../../domain/shared/paris-time'
import type { Widget, WidgetKind } from '../../domain/dashboards/widgets'
import type { DashboardFilter, FunnelStage, GoalProgress, Kpis, PerformerRow, RecentItem, TrendMonth } from '../../projections/queries/dashboard.types'
import type { Runtime } from '../../runtime/runtime'
import { lagOf, type Lag, type PipelineRow } from './analytics.server'
import type { Auth } from './auth.server'
import { funnel, goalsProgress, kpis, pipelineByStage, recentActivity, revenueTrend, topPerformers } from './dashboard-queries.server'
import { formatIsoDate } from './format'
import { isUuid } from './forms.server'
import { loadRevenue, type RevenueData } from './recurring-revenue.server'

// Everything the dashboard screen and its PDF/PNG exports show, computed once here so
// that both show the same figures: the filter (from the URL, narrowed to what the
// viewer's role may see), the viewer's layout, each widget's figures, the projection lag.

/** Beyond this the page says the figures are behind the entity pages. */
export const LAG_NOTICE_SECONDS = 5
export const RECENT_ITEMS = 10
export const TOP_PERFORMERS = 10

export type Option = { id: string; name: string }
type Member = Option & { teamId: string | null; active: boolean }

/** Whom a viewer may see figures of, and which team/owner choices the filter offers. */
export type DashboardScope = {
  role: Role
  teams: Option[]
  /** The people the owner filter lists (active ones within the viewer's reach). */
  owners: (Option & { teamId: string | null })[]
  /** Everyone whose deals the viewer may count; null = the whole workspace. */
  visibleOwnerIds: string[] | null
  members: Member[]
}

export async function dashboardScope(auth: Auth): Promise<DashboardScope> {
  const [users, teams] = await Promise.all([
    auth.tenant
      .selectFrom('users')
      .select(['users.id', 'users.full_name as name', 'users.team_id as teamId', 'users.active', 'users.role'])
      .orderBy('users.full_name')
      .execute(),
    auth.tenant.selectFrom('teams').select(['teams.id', 'teams.name']).orderBy('teams.name').execute(),
  ])
  const members: Member[] = users.map((u) => ({ id: u.id, name: u.name, teamId: u.teamId, active: u.active }))
  const sellers = users.filter((u) => u.active && u.role !== 'finance').map((u) => ({ id: u.id, name: u.name, teamId: u.teamId }))
  const { actor } = auth
  switch (actor.role) {
    case 'admin':
    case 'finance':
      return { role: actor.role, teams, owners: sellers, visibleOwnerIds: null, members }
    case 'manager': {
      const inTeam = (u: { id: string; teamId: string | null }) => u.id === actor.id || (!!actor.teamId && u.teamId === actor.teamId)
      return {
        role: actor.role,
        teams: teams.filter((t) => t.id === actor.teamId),
        owners: sellers.filter(inTeam),
        visibleOwnerIds: members.filter(inTeam).map((u) => u.id),
        members,
      }
    }
    case 'commercial':
      return { role: actor.role, teams: [], owners: sellers.filter((u) => u.id === actor.id), visibleOwnerIds: [actor.id], members }
  }
}

/** The filter as the form shows it, and a French summary for titles and exports. */
export type FilterView = {
  preset: PeriodPreset
  from: string
  to: string
  /** '' when not chosen. */
  teamId: string
  ownerId: string
  /** '' = every pipeline. */
  pipelineId: string
  summary: { period: string; team: string | null; owner: string | null; pipeline?: string | null }
}

/** The workspace's pipelines with their stages: the `pipeline` filter's choices and the configured probabilities. */
export type PipelineChoice = PipelineSummary & { stages: Stage[] }

export async function pipelineChoices(rt: Runtime, workspaceId: string): Promise<PipelineChoice[]> {
  const [pipelines, stages] = await Promise.all([loadPipelines(rt.db, workspaceId), loadStages(rt.db, workspaceId)])
  return pipelines.map((p) => ({ ...p, stages: stages.filter((s) => s.pipeline_id === p.id) }))
}

/**
 * The DashboardFilter of a request: period from `periode` (and `du`/`au` when
 * personnalisée), `equipe`, `responsable` — each kept only if within the viewer's
 * scope. Commercials always get their own deals only; managers their team's.
 */
export function dashboardFilter(
  url: URL,
  auth: Pick<Auth, 'actor' | 't'>,
  scope: DashboardScope,
  today: string,
  pipelines: PipelineChoice[] = [],
): { filter: DashboardFilter; view: FilterView; error: string | null } {
  const p = url.searchParams
  let error: string | null = null
  let preset: PeriodPreset = isPeriodPreset(p.get('periode')) ? (p.get('periode') as PeriodPreset) : DEFAULT_PRESET
  let range: { from: string; to: string }
  if (preset === 'personnalisee') {
    const from = p.get('du') ?? ''
    const to = p.get('au') ?? ''
    if (!isIsoDate(from) || !isIsoDate(to)) error = auth.t('dash.filter.errDates')
    else if (from > to) error = auth.t('dash.filter.errOrder')
    else if (daysInRange(from, to) > MAX_CUSTOM_DAYS) error = auth.t('dash.filter.errLength')
    if (error) {
      preset = DEFAULT_PRESET
      range = presetRange(DEFAULT_PRESET, today)
    } else range = { from, to }
  } else {
    range = presetRange(preset, today)
  }

  const teamParam = p.get('equipe') ?? ''
  const team = isUuid(teamParam) ? (scope.teams.find((t) => t.id === teamParam) ?? null) : null
  const ownerParam = p.get('responsable') ?? ''
  const owner = isUuid(ownerParam) ? (scope.owners.find((o) => o.id === ownerParam && (!team || o.teamId === team.id)) ?? null) : null

  let ownerIds: string[] | null
  if (auth.actor.role === 'commercial') ownerIds = [auth.actor.id]
  else if (owner) ownerIds = [owner.id]
  else if (team) ownerIds = scope.members.filter((m) => m.teamId === team.id).map((m) => m.id)
  else ownerIds = scope.visibleOwnerIds
  const teamId = team?.id ?? (auth.actor.role === 'manager' ? auth.actor.teamId : null)

  // `pipeline`: one pipeline's stages; else all of them. Either way open deals weigh by the configured probabilities.
  const pipeline = pipelines.find((x) => x.id === p.get('pipeline')) ?? null
  const configured = (pipeline ? pipeline.stages : pipelines.flatMap((x) => x.stages)).map((x) => ({ code: x.code, probability: x.probability }))

  const periodText = `${auth.t(`dash.period.${preset}`)} (${formatIsoDate(range.from)} – ${formatIsoDate(range.to)})`
  return {
    filter: { workspaceId: auth.actor.workspaceId, from: range.from, to: range.to, ownerIds, teamId, ...(configured.length ? { stages: configured } : {}) },
    view: {
      preset,
      ...range,
      teamId: team?.id ?? '',
      ownerId: owner?.id ?? '',
      pipelineId: pipeline?.id ?? '',
      summary: {
        pipeline: pipeline?.name ?? null,
        period: periodText,
        team: team?.name ?? (auth.actor.role === 'manager' && auth.actor.teamId ? (scope.teams[0]?.name ?? null) : null),
        owner: owner?.name ?? (auth.actor.role === 'commercial' ? (scope.owners[0]?.name ?? null) : null),
      },
    },
    error,
  }
}

export type RecentRow = RecentItem & { actor_name: string | null; organisation_name: string | null }

/** Each widget's figures; null when ClickHouse could not answer (the widget says so). */
export type WidgetData = {
  kpis: Kpis
  funnel: FunnelStage[]
  'top-performers': PerformerRow[]
  'recent-activity': RecentRow[]
  goals: GoalProgress[]
  'revenue-trend': TrendMonth[]
  'pipeline-by-stage': PipelineRow[]
  'recurring-revenue': RevenueData
}
export type DashboardData = { [K in WidgetKind]?: WidgetData[K] | null }

// Analytics are a read model: one failing query costs its widget, not the page.
const orNull = <T>(name: string, p: Promise<T>): Promise<T | null> => p.catch((e: unknown) => (console.error(`[dashboard] ${name}`, e), null))

/**
 * The twelve months of the trend never reach past today (a period ending later, a quarter
 * or a year, drew months still to come as an empty area at the chart's end); the month
 * under way is marked partial so the chart and table say "mois en cours".
 */
async function revenueTrendUntilToday(rt: Runtime, filter: DashboardFilter): Promise<TrendMonth[]> {
  const today = parisDay(rt.now())
  const to = filter.to > today ? today : filter.to
  const months = await revenueTrend(rt.ch, { ...filter, from: filter.from > to ? to : filter.from, to })
  return months.map((m) => (m.month === today.slice(0, 7) ? { ...m, partial: true } : m))
}

export async function loadWidgetData(rt: Runtime, auth: Auth, filter: DashboardFilter, scope: DashboardScope, kinds: Set<WidgetKind>): Promise<DashboardData> {
  const names = Object.fromEntries(scope.members.map((m) => [m.id, m.name]))
  const all = await loadStages(rt.db, auth.user.workspaceId)
  // The funnel is one pipeline's steps: the filtered one, else the first (the default).
  const chosen = new Set(filter.stages?.map((s) => s.code) ?? all.map((s) => s.code))
  const firstPipeline = all.find((s) => chosen.has(s.code))?.pipeline_id
  const stages = all.filter((s) => chosen.has(s.code) && !s.archived && (!firstPipeline || s.pipeline_id === firstPipeline))
  const data: DashboardData = {}
  const jobs: Promise<unknown>[] = []
  const run = <K extends WidgetKind>(kind: K, p: () => Promise<WidgetData[K]>) => {
    if (kinds.has(kind))
      jobs.push(
        orNull(kind, p()).then((v) => {
          data[kind] = v as DashboardData[K]
        }),
      )
  }
  run('kpis', () => kpis(rt.ch, filter))
  run('funnel', () => funnel(rt.ch, filter, stages))
  run('top-performers', async () => (await topPerformers(rt.ch, filter, names)).slice(0, TOP_PERFORMERS))
  run('revenue-trend', () => revenueTrendUntilToday(rt, filter))
  // The month's and the quarter's goals (of the period's last day). A team goal counts
  // teammates' deals: a commercial sees their own goal only.
  // Names from Postgres (the source of the read model's copy, never behind it).
  run('goals', async () => {
    const teamNames = new Map(scope.teams.map((t) => [t.id, t.name]))
    return (await goalsProgress(rt.ch, filter))
      .filter((g) => auth.actor.role !== 'commercial' || (g.scope === 'user' && g.scope_id === auth.actor.id))
      .map((g) => ({ ...g, scope_name: (g.scope === 'user' ? names[g.scope_id] : teamNames.get(g.scope_id)) ?? g.scope_name }))
  })
  run('recent-activity', async () => {
    const items = await recentActivity(rt.ch, filter, RECENT_ITEMS)
    const orgIds = [...new Set(items.map((i) => i.organisation_id).filter((x): x is string => !!x))]
    const orgs = orgIds.length
      ? await auth.tenant.selectFrom('organisations').select(['organisations.id', 'organisations.name']).where('organisations.id', 'in', orgIds).execute()
      : []
    const orgNames = new Map(orgs.map((o) => [o.id, o.name]))
    return items.map((i) => ({
      ...i,
      actor_name: i.actor_id ? (names[i.actor_id] ?? null) : null,
      organisation_name: i.organisation_id ? (orgNames.get(i.organisation_id) ?? null) : null,
    }))
  })
  run('pipeline-by-stage', async () => {
    const rows = await pipelineByStage(rt.ch, filter)
    const byCode = new Map(stages.map((s) => [s.code, s]))
    return rows
      .map((r) => ({ r, s: byCode.get(r.stage) }))
      .sort((a, b) => (a.s?.position ?? 999) - (b.s?.position ?? 999))
      .map(({ r, s }) => ({
        stage: r.stage,
        label: s?.label ?? r.stage,
        kind: s?.kind ?? 'open',
        deals: r.deals,
        amountCents: r.amount_cents,
        weightedCents: r.weighted_cents,
      }))
  })
  // The contracts' MRR over the twelve months up to the period's end (never past this month), same owners.
  run('recurring-revenue', () => {
    const today = parisDay(rt.now())
    const to = `${(filter.to < today ? filter.to : today).slice(0, 7)}-01`
    return loadRevenue(rt, { workspaceId: filter.workspaceId, from: addMonths(to, -11), to, ownerIds: filter.ownerIds, type: null })
  })
  await Promise.all(jobs)
  return data
}

export type DashboardModel = {
  title: string
  generatedAt: string
  viewer: { name: string; role: Role; workspace: string }
  view: FilterView
  filterError: string | null
  options: { teams: Option[]; owners: Option[]; canPickTeam: boolean; canPickOwner: boolean; pipelines?: Option[] }
  widgets: Widget[]
  layoutVersion: number
  data: DashboardData
  /** Set only when the figures are more than LAG_NOTICE_SECONDS behind. */
  lag: Lag | null
}

/**
 * The whole dashboard of this request's viewer: used by the page loader and by the
 * exports, so a PDF shows exactly the figures of the screen with the same URL.
 */
export async function loadDashboard(rt: Runtime, auth: Auth, url: URL, now = rt.now()): Promise<DashboardModel> {
  const [scope, pipelines] = await Promise.all([dashboardScope(auth), pipelineChoices(rt, auth.user.workspaceId)])
  const { filter, view, error } = dashboardFilter(url, auth, scope, parisDay(now), pipelines)
  const layout = await loadUserLayout(rt.db, auth.user.workspaceId, auth.user.id, auth.user.role)
  const [data, lag] = await Promise.all([loadWidgetData(rt, auth, filter, scope, new Set(layout.widgets.map((w) => w.kind))), orNull('lag', lagOf(rt))])
  return {
    title: 'Tableau de bord',
    generatedAt: now.toISOString(),
    viewer: { name: auth.user.fullName, role: auth.user.role, workspace: auth.user.workspaceName },
    view,
    filterError: error,
    options: {
      teams: scope.teams,
      owners: scope.owners.map(({ id, name }) => ({ id, name })),
      canPickTeam: scope.role !== 'commercial' && scope.teams.length > 0,
      canPickOwner: scope.role !== 'commercial' && scope.owners.length > 1,
      pipelines: pipelines.length > 1 ? pipelines.map(({ id, name }) => ({ id, name })) : [],
    },
    widgets: layout.widgets,
    layoutVersion: layout.version,
    data,
    lag: lag && lag.seconds > LAG_NOTICE_SECONDS ? lag : null,
  }
}

/** The filter part of a dashboard URL ('' or '?periode=…'), for links that keep it (exports, editor). */
export function filterQuery(view: FilterView, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams()
  if (view.preset !== DEFAULT_PRESET) p.set('periode', view.preset)
  if (view.preset === 'personnalisee') {
    p.set('du', view.from)
    p.set('au', view.to)
  }
  if (view.teamId) p.set('equipe', view.teamId)
  if (view.ownerId) p.set('responsable', view.ownerId)
  if (view.pipelineId) p.set('pipeline', view.pipelineId)
  for (const [k, v] of Object.entries(extra)) p.set(k, v)
  const s = p.toString()
  return s ? `?${s}` : ''
}
