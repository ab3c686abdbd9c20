import { Link } from '@remix-run/react'
import { useT } from '~/i18n/use-t'
import type { RevenueData } from '~/utils/recurring-revenue.server'
import { MrrWaterfall, RevenueKpis } from '../recurring-revenue'

/** The contracts' recurring revenue on a personal dashboard: MRR, ARR, NRR, churn and the twelve months' MRR bridge. */
export function RecurringRevenueWidget({ data }: { data: RevenueData }) {
  const t = useT()
  return (
    <div className="space-y-4">
      <RevenueKpis s={data.summary} compact />
      <MrrWaterfall months={data.months} />
      <Link to="/contracts/revenue" className="text-sm font-medium text-indigo-700 underline">
        {t('revenue.widgetLink')}
      </Link>
    </div>
  )
}
