// The analytics queries the dashboard, its exports and its tests read, in one place.
export { funnel, goalsProgress, kpis, pipelineByStage, recentActivity, revenueTrend, topPerformers } from '../../projections/queries/dashboard'
