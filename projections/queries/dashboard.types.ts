// The contract between the analytics queries (projections/queries/dashboard.ts) and the
// dashboard screens, PDF/PNG exports and tests. Money in integer cents; dates as
// 'YYYY-MM-DD' in Europe/Paris; ratios as numbers between 0 and 1.

/** Which deals a widget counts. `ownerIds: null` = every owner the viewer may see. */
export type DashboardFilter = {
  workspaceId: string
  /** Inclusive start of the period, 'YYYY-MM-DD' (Europe/Paris). */
  from: string
  /** Inclusive end of the period. */
  to: string
  ownerIds: string[] | null
  teamId: string | null
  category?: string | null
  region?: string | null
  /**
   * One pipeline's stages as configured (code, probability): the figures that have a
   * stage (pipeline by stage, funnel) count only these, and weigh open deals by the
   * configured probability. Absent: every stage, each deal's own probability.
   */
  stages?: { code: string; probability: number }[] | null
}

export type KpiFigures = {
  revenue_won_cents: number
  open_pipeline_cents: number
  weighted_pipeline_cents: number
  won_count: number
  lost_count: number
  /** won / (won + lost) of deals closed in the period; null when none closed. */
  win_rate: number | null
  avg_won_deal_cents: number | null
  /** Mean days from creation to close of deals won in the period; null when none. */
  sales_cycle_days: number | null
}

/** The period's figures and the same figures for the previous period of equal length. */
export type Kpis = { current: KpiFigures; previous: KpiFigures }

export type FunnelStage = {
  stage: string
  label: string
  /** Deals that reached this stage (or beyond) among deals created in the period. */
  reached: number
  amount_cents: number
  /** reached(next stage) / reached(this stage); null for the last stage. */
  conversion_to_next: number | null
}

export type PerformerRow = { owner_id: string; owner_name: string; revenue_won_cents: number; won_count: number; lost_count: number; win_rate: number | null }

export type RecentItem = {
  at: string
  kind: 'activity' | 'deal_created' | 'stage_changed' | 'deal_won' | 'deal_lost'
  title: string
  actor_id: string | null
  deal_id: string | null
  organisation_id: string | null
  amount_cents: number | null
}

export type GoalProgress = {
  scope: 'user' | 'team'
  scope_id: string
  scope_name: string
  period: string
  target_cents: number
  actual_cents: number
  ratio: number
}

/** `partial`: the month under way (set by the app from today), its figures not final. */
export type TrendMonth = { month: string; won_cents: number; pipeline_created_cents: number; partial?: boolean }

export type WidgetKind = 'kpis' | 'funnel' | 'top-performers' | 'recent-activity' | 'goals' | 'revenue-trend' | 'pipeline-by-stage'
