import { loadStages } from '../../domain/crm/crm.repository'
import { checkSpec, CHART_KINDS, isDimension, isMetric, METRICS, type DimensionKey, type MetricKey, type ReportSpec } from '../../domain/reports/report-spec'
import { addDays, isIsoDate, parisDay } from '../../domain/shared/paris-time'
import { runReport, type ReportRow } from '../../projections/queries/report'
import type { Runtime } from '../../runtime/runtime'
import type { MessageKey } from '~/i18n/i18n'
import { formatMonth } from '~/components/dashboard/figures'
import type { Auth } from './auth.server'
import { dashboardScope, type DashboardScope } from './dashboard.server'
import { isUuid } from './forms.server'
import { filterChoices } from './list-choices.server'

// The report screens' server side: the spec from the builder's GET form (so a report is a
// link and works without JavaScript), the viewer's scope, the rows with their labels.

export const DEFAULT_METRICS: MetricKey[] = ['ca_signe', 'affaires_gagnees', 'taux_conversion']

/** The spec a URL describes; `base` fills what the URL leaves out (a saved report's spec). */
export function specFromUrl(url: URL, today: string, base?: ReportSpec): ReportSpec {
  const p = url.searchParams
  if (!p.has('indicateur') && base) return base
  const dims = [p.get('par1'), p.get('par2')].filter(isDimension)
  const top = p.get('top')?.trim()
  const str = (k: string) => p.get(k)?.trim() || null
  return {
    metrics: [...new Set(p.getAll('indicateur').filter(isMetric))],
    dimensions: dims,
    from: p.get('du') || base?.from || addDays(today, -364),
    to: p.get('au') || base?.to || today,
    compare: p.get('comparer') === '1',
    teamId: isUuid(p.get('equipe') ?? '') ? p.get('equipe') : null,
    ownerId: isUuid(p.get('responsable') ?? '') ? p.get('responsable') : null,
    category: str('categorie'),
    region: str('region'),
    chart: CHART_KINDS.includes(p.get('graphique') as ReportSpec['chart']) ? (p.get('graphique') as ReportSpec['chart']) : 'tableau',
    sortBy: isMetric(p.get('tri')) ? (p.get('tri') as MetricKey) : null,
    top: top ? (/^\d+$/.test(top) ? Number(top) : -1) : null,
  }
}

export function defaultSpec(today: string): ReportSpec {
  return {
    metrics: DEFAULT_METRICS,
    dimensions: ['mois'],
    from: addDays(today, -364),
    to: today,
    compare: false,
    teamId: null,
    ownerId: null,
    category: null,
    region: null,
    chart: 'barres',
    sortBy: null,
    top: null,
  }
}

/** The spec as URL parameters (the builder's form fields): links, exports, "Afficher". */
export function specToSearch(spec: ReportSpec): string {
  const p = new URLSearchParams()
  for (const m of spec.metrics) p.append('indicateur', m)
  if (spec.dimensions[0]) p.set('par1', spec.dimensions[0])
  if (spec.dimensions[1]) p.set('par2', spec.dimensions[1])
  p.set('du', spec.from)
  p.set('au', spec.to)
  if (spec.compare) p.set('comparer', '1')
  if (spec.teamId) p.set('equipe', spec.teamId)
  if (spec.ownerId) p.set('responsable', spec.ownerId)
  if (spec.category) p.set('categorie', spec.category)
  if (spec.region) p.set('region', spec.region)
  p.set('graphique', spec.chart)
  if (spec.sortBy) p.set('tri', spec.sortBy)
  if (spec.top) p.set('top', String(spec.top))
  return p.toString()
}

export type LabelledRow = { labels: string[]; values: Record<string, number | null> }

export type ReportView = {
  spec: ReportSpec
  errors: Record<string, string>
  rows: LabelledRow[] | null
  previous: LabelledRow[] | null
  /** Column headers: the dimensions' then the metrics'. */
  dimensions: { key: DimensionKey; label: string }[]
  metrics: { key: MetricKey; label: string; unit: (typeof METRICS)[MetricKey]['unit'] }[]
  choices: { teams: { id: string; name: string }[]; owners: { id: string; name: string }[]; categories: string[]; regions: string[] }
  hasOpenPipeline: boolean
}

async function choices(auth: Auth, scope: DashboardScope) {
  const c = await filterChoices(auth, 'deals')
  return { teams: scope.teams, owners: scope.owners.map((o) => ({ id: o.id, name: o.name })), categories: c.categories ?? [], regions: c.regions ?? [] }
}

/** Runs `spec` for the viewer (their scope only) and labels its rows for the screen and the exports. */
export async function reportView(rt: Runtime, auth: Auth, spec: ReportSpec): Promise<ReportView> {
  const t = auth.t
  const scope = await dashboardScope(auth)
  // A filter outside the viewer's reach is dropped, never obeyed (a shared report keeps its author's filter).
  const safe: ReportSpec = {
    ...spec,
    teamId: spec.teamId && scope.teams.some((x) => x.id === spec.teamId) ? spec.teamId : null,
    ownerId: spec.ownerId && scope.owners.some((x) => x.id === spec.ownerId) ? spec.ownerId : null,
  }
  const errs = checkSpec(safe)
  if (!isIsoDate(safe.from) || !isIsoDate(safe.to)) errs.from ??= { key: 'report.err.period' }
  const errors = Object.fromEntries(
    Object.entries(errs).map(([field, e]) => [
      field,
      t(e.key as MessageKey, {
        dimension: e.params?.dimension ? t(`report.dimension.${e.params.dimension}` as MessageKey) : '',
        metrics: (e.params?.metrics ?? []).map((m) => t(`report.metric.${m}` as MessageKey)).join(', '),
      }),
    ]),
  )
  const base = {
    spec: safe,
    errors,
    dimensions: safe.dimensions.map((key) => ({ key, label: t(`report.dimension.${key}` as MessageKey) })),
    metrics: safe.metrics.map((key) => ({ key, label: t(`report.metric.${key}` as MessageKey), unit: METRICS[key].unit })),
    choices: await choices(auth, scope),
    hasOpenPipeline: safe.metrics.some((m) => METRICS[m].source === 'open'),
  }
  if (Object.keys(errors).length) return { ...base, rows: null, previous: null }
  const result = await runReport(rt.ch, safe, {
    workspaceId: auth.actor.workspaceId,
    ownerIds: scope.visibleOwnerIds,
  })
  const label = await labeller(rt, auth, scope)
  const labelled = (rows: ReportRow[]) => rows.map((r) => ({ labels: r.keys.map((k, i) => label(safe.dimensions[i], k)), values: r.values }))
  return { ...base, rows: labelled(result.rows), previous: result.previous ? labelled(result.previous) : null }
}

async function labeller(rt: Runtime, auth: Auth, scope: DashboardScope) {
  const t = auth.t
  const [stages, teams] = await Promise.all([
    loadStages(rt.db, auth.actor.workspaceId),
    auth.tenant.selectFrom('teams').select(['teams.id', 'teams.name']).execute(),
  ])
  const people = new Map(scope.members.map((m) => [m.id, m.name]))
  const teamNames = new Map(teams.map((x) => [x.id, x.name]))
  const stageNames = new Map(stages.map((s) => [s.code, s.label]))
  return (d: DimensionKey, k: string): string => {
    switch (d) {
      case 'mois':
        return formatMonth(k.slice(0, 7))
      case 'trimestre':
        return t('report.quarter', { q: Math.floor((Number(k.slice(5, 7)) - 1) / 3) + 1, year: k.slice(0, 4) })
      case 'annee':
        return k.slice(0, 4)
      case 'commercial':
        return people.get(k) ?? t('report.empty.value')
      case 'equipe':
        return k ? (teamNames.get(k) ?? k) : t('report.empty.team')
      case 'etape':
        return stageNames.get(k) ?? k
      case 'type_activite':
        return t(`activity.kind.${k}` as MessageKey)
      default:
        return k || t('report.empty.value')
    }
  }
}

export const todayOf = (auth: Auth) => parisDay(auth.now())
