// A report as the builder saves it: which figures (metrics), cut by what (up to two
// dimensions), over which period and filters, shown how. Every metric and dimension is one
// entry of the whitelists below, each translated to fixed SQL in
// projections/queries/report.ts — a user never writes SQL.

/** Where a metric is read from: the closes by day, the open pipeline now, the activities. */
export type MetricSource = 'closes' | 'open' | 'activities'

export const METRICS = {
  ca_signe: { label: 'CA signé', source: 'closes', unit: 'cents' },
  affaires_gagnees: { label: 'Affaires gagnées', source: 'closes', unit: 'count' },
  affaires_perdues: { label: 'Affaires perdues', source: 'closes', unit: 'count' },
  affaires_creees: { label: 'Affaires créées', source: 'closes', unit: 'count' },
  pipeline_cree: { label: 'Pipeline créé', source: 'closes', unit: 'cents' },
  taux_conversion: { label: 'Taux de conversion', source: 'closes', unit: 'ratio' },
  panier_moyen: { label: 'Panier moyen', source: 'closes', unit: 'cents' },
  cycle_moyen: { label: 'Cycle de vente moyen (jours)', source: 'closes', unit: 'days' },
  pipeline_brut: { label: 'Pipeline brut (à ce jour)', source: 'open', unit: 'cents' },
  pipeline_pondere: { label: 'Pipeline pondéré (à ce jour)', source: 'open', unit: 'cents' },
  affaires_ouvertes: { label: 'Affaires en cours (à ce jour)', source: 'open', unit: 'count' },
  activites: { label: 'Activités', source: 'activities', unit: 'count' },
} as const satisfies Record<string, { label: string; source: MetricSource; unit: 'cents' | 'count' | 'ratio' | 'days' }>

export type MetricKey = keyof typeof METRICS

export const DIMENSIONS = {
  mois: { label: 'Mois', sources: ['closes', 'activities'] },
  trimestre: { label: 'Trimestre', sources: ['closes', 'activities'] },
  annee: { label: 'Année', sources: ['closes', 'activities'] },
  commercial: { label: 'Commercial', sources: ['closes', 'open', 'activities'] },
  equipe: { label: 'Équipe', sources: ['closes', 'open', 'activities'] },
  categorie: { label: 'Catégorie de produit', sources: ['closes', 'open'] },
  region: { label: 'Région', sources: ['closes', 'open'] },
  etape: { label: 'Étape', sources: ['open'] },
  type_activite: { label: 'Type d’activité', sources: ['activities'] },
} as const satisfies Record<string, { label: string; sources: readonly MetricSource[] }>

export type DimensionKey = keyof typeof DIMENSIONS

export type ChartKind = 'tableau' | 'barres' | 'lignes' | 'aires' | 'anneau'
export const CHART_KINDS: Record<ChartKind, string> = { tableau: 'Tableau', barres: 'Barres', lignes: 'Courbes', aires: 'Aires', anneau: 'Anneau' }

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

/** Field → French message; empty when the spec can run. */
export function checkSpec(spec: ReportSpec): Record<string, string> {
  const errors: Record<string, string> = {}
  if (spec.metrics.length === 0) errors.metrics = 'Choisissez au moins un indicateur.'
  if (spec.dimensions.length > 2) errors.dimensions = 'Deux regroupements au plus.'
  if (new Set(spec.dimensions).size !== spec.dimensions.length) errors.dimensions = 'Choisissez deux regroupements différents.'
  for (const d of spec.dimensions) {
    const refused = spec.metrics.filter((m) => !(DIMENSIONS[d].sources as readonly MetricSource[]).includes(METRICS[m].source))
    if (refused.length) {
      errors.dimensions = `« ${DIMENSIONS[d].label} » ne s’applique pas à : ${refused.map((m) => METRICS[m].label).join(', ')}.`
      break
    }
  }
  if ((spec.category || spec.region) && spec.metrics.some((m) => METRICS[m].source === 'activities'))
    errors.metrics = 'Les activités ne se filtrent pas par catégorie ni par région.'
  if (!/^\d{4}-\d{2}-\d{2}$/.test(spec.from) || !/^\d{4}-\d{2}-\d{2}$/.test(spec.to)) errors.from = 'Indiquez une période valide.'
  else if (spec.from > spec.to) errors.to = 'La fin de la période précède son début.'
  if (spec.sortBy && !spec.metrics.includes(spec.sortBy)) errors.sortBy = 'Triez sur un des indicateurs choisis.'
  if (spec.top !== null && (!Number.isInteger(spec.top) || spec.top < 1 || spec.top > 1000)) errors.top = 'Indiquez un nombre entre 1 et 1 000.'
  return errors
}
