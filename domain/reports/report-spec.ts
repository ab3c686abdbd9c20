// A report as the builder saves it: which figures (metrics), cut by what (up to two
// dimensions), over which period and filters, shown how. Every metric and dimension is one
// entry of the whitelists below, each translated to fixed SQL in
// projections/queries/report.ts — a user never writes SQL.

/** Where a metric is read from: the closes by day, the open pipeline now, the activities. */
export type MetricSource = 'closes' | 'open' | 'activities'

export const METRICS = {
  ca_signe: { source: 'closes', unit: 'cents' },
  affaires_gagnees: { source: 'closes', unit: 'count' },
  affaires_perdues: { source: 'closes', unit: 'count' },
  affaires_creees: { source: 'closes', unit: 'count' },
  pipeline_cree: { source: 'closes', unit: 'cents' },
  taux_conversion: { source: 'closes', unit: 'ratio' },
  panier_moyen: { source: 'closes', unit: 'cents' },
  cycle_moyen: { source: 'closes', unit: 'days' },
  pipeline_brut: { source: 'open', unit: 'cents' },
  pipeline_pondere: { source: 'open', unit: 'cents' },
  affaires_ouvertes: { source: 'open', unit: 'count' },
  activites: { source: 'activities', unit: 'count' },
} as const satisfies Record<string, { source: MetricSource; unit: 'cents' | 'count' | 'ratio' | 'days' }>

export type MetricKey = keyof typeof METRICS

export const DIMENSIONS = {
  mois: { sources: ['closes', 'activities'] },
  trimestre: { sources: ['closes', 'activities'] },
  annee: { sources: ['closes', 'activities'] },
  commercial: { sources: ['closes', 'open', 'activities'] },
  equipe: { sources: ['closes', 'open', 'activities'] },
  categorie: { sources: ['closes', 'open'] },
  region: { sources: ['closes', 'open'] },
  etape: { sources: ['open'] },
  type_activite: { sources: ['activities'] },
} as const satisfies Record<string, { sources: readonly MetricSource[] }>

export type DimensionKey = keyof typeof DIMENSIONS

export type ChartKind = 'tableau' | 'barres' | 'lignes' | 'aires' | 'anneau'
export const CHART_KINDS: readonly ChartKind[] = ['tableau', 'barres', 'lignes', 'aires', 'anneau']

export type ReportSpec = {
  metrics: MetricKey[]
  dimensions: DimensionKey[]
  /** Inclusive Paris days 'YYYY-MM-DD'. */
  from: string
  to: string
  /** Compare with the previous period of equal length. */
  compare: boolean
  teamId: string | null
  ownerId: string | null
  category: string | null
  region: string | null
  chart: ChartKind
  /** Sort by a metric (descending) or, null, by the dimensions. */
  sortBy: MetricKey | null
  /** Keep the first N rows after sorting; null: all. */
  top: number | null
}

export const isMetric = (k: unknown): k is MetricKey => typeof k === 'string' && Object.hasOwn(METRICS, k)
export const isDimension = (k: unknown): k is DimensionKey => typeof k === 'string' && Object.hasOwn(DIMENSIONS, k)

/** What is wrong with a spec: the field, a message key of the reports catalogue (app/i18n/reports.*.ts) and its parameters. */
export type SpecError = { key: string; params?: { dimension?: DimensionKey; metrics?: MetricKey[] } }

/** Field → what is wrong; empty when the spec can run. */
export function checkSpec(spec: ReportSpec): Record<string, SpecError> {
  const errors: Record<string, SpecError> = {}
  if (spec.metrics.length === 0) errors.metrics = { key: 'report.err.noMetric' }
  if (spec.dimensions.length > 2) errors.dimensions = { key: 'report.err.tooManyDimensions' }
  else if (new Set(spec.dimensions).size !== spec.dimensions.length) errors.dimensions = { key: 'report.err.sameDimension' }
  for (const d of spec.dimensions) {
    const refused = spec.metrics.filter((m) => !(DIMENSIONS[d].sources as readonly MetricSource[]).includes(METRICS[m].source))
    if (refused.length) {
      errors.dimensions = { key: 'report.err.dimensionNotApplicable', params: { dimension: d, metrics: refused } }
      break
    }
  }
  if ((spec.category || spec.region) && spec.metrics.some((m) => METRICS[m].source === 'activities')) errors.metrics = { key: 'report.err.activitiesFilter' }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(spec.from) || !/^\d{4}-\d{2}-\d{2}$/.test(spec.to)) errors.from = { key: 'report.err.period' }
  else if (spec.from > spec.to) errors.to = { key: 'report.err.periodOrder' }
  if (spec.sortBy && !spec.metrics.includes(spec.sortBy)) errors.sortBy = { key: 'report.err.sortBy' }
  if (spec.top !== null && (!Number.isInteger(spec.top) || spec.top < 1 || spec.top > 1000)) errors.top = { key: 'report.err.top' }
  return errors
}
