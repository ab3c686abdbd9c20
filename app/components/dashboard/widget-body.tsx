import type { Widget } from '../../../domain/dashboards/widgets'
import { Alert } from '~/components/ui/alert'
import { useT } from '~/i18n/use-t'
import type { DashboardData } from '~/utils/dashboard.server'
import { FunnelWidget } from './funnel-widget'
import { GoalsWidget } from './goals-widget'
import { KpiWidget } from './kpi-widget'
import { PipelineWidget } from './pipeline-widget'
import { RecentActivityWidget } from './recent-activity-widget'
import { RecurringRevenueWidget } from './recurring-revenue-widget'
import { RevenueTrendWidget } from './revenue-trend-widget'
import { TopPerformersWidget } from './top-performers-widget'

/** One widget's content: its figures, or why there are none. */
export function WidgetBody({ widget, data }: { widget: Widget; data: DashboardData }) {
  const t = useT()
  const empty = (text = t('dash.noData')) => <p className="text-sm text-slate-600">{text}</p>
  // undefined: just added in this browser, figures on their way with the next load.
  if (data[widget.kind] === undefined) return <div className="h-24 animate-pulse rounded bg-slate-100" aria-hidden="true" />
  if (data[widget.kind] === null) return <Alert tone="warning">{t('dash.unavailable')}</Alert>
  switch (widget.kind) {
    case 'kpis':
      return <KpiWidget kpis={data.kpis!} size={widget.size} />
    case 'funnel':
      return data.funnel!.every((s) => s.reached === 0) ? empty() : <FunnelWidget stages={data.funnel!} />
    case 'top-performers':
      return data['top-performers']!.length ? <TopPerformersWidget rows={data['top-performers']!} /> : empty()
    case 'recent-activity':
      return data['recent-activity']!.length ? <RecentActivityWidget items={data['recent-activity']!} /> : empty()
    case 'goals':
      return data.goals!.length ? <GoalsWidget goals={data.goals!} /> : empty(t('dash.goals.none'))
    case 'revenue-trend':
      return <RevenueTrendWidget months={data['revenue-trend']!} />
    case 'pipeline-by-stage':
      return data['pipeline-by-stage']!.length ? <PipelineWidget rows={data['pipeline-by-stage']!} size={widget.size} /> : empty(t('dashboard.empty'))
    case 'recurring-revenue':
      return <RecurringRevenueWidget data={data['recurring-revenue']!} />
  }
}
