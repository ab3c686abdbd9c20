import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { MrrWaterfall, RevenueKpis, RevenueTrend } from '~/components/recurring-revenue'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { SelectField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { requireUser } from '~/utils/auth.server'
import { loadRevenue, revenueFilterFor } from '~/utils/recurring-revenue.server'
import { REVENUE_PERIODS } from '../../domain/contracts/recurring-revenue'

export const meta: MetaFunction = () => [{ title: 'Revenu récurrent — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const { filter, view, choices } = await revenueFilterFor(auth, new URL(request.url))
  // Analytics are a read model: if ClickHouse cannot answer, the page says so and keeps its filters.
  const data = await loadRevenue(context.runtime, filter).catch((e: unknown) => (console.error('[revenue]', e), null))
  return { view, choices, data }
}

export default function RecurringRevenue() {
  const { view, choices, data } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <PageHeader
        title={t('revenue.title')}
        subtitle={t('revenue.intro')}
        actions={
          <Link to="/contracts/renewals" className="text-sm font-medium text-indigo-700 underline">
            {t('contract.renewals')}
          </Link>
        }
      />
      <Form method="get" className="mb-4 grid grid-cols-1 gap-3 sm:grid-cols-5 sm:items-end">
        <SelectField name="mois" label={t('revenue.period')} defaultValue={String(view.months)}>
          {REVENUE_PERIODS.map((n) => (
            <option key={n} value={n}>
              {t('revenue.lastMonths', { n })}
            </option>
          ))}
        </SelectField>
        {choices.teams.length ? (
          <SelectField name="team" label={t('contract.team')} defaultValue={view.team}>
            <option value="">{t('contract.all')}</option>
            {choices.teams.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        {choices.owners.length > 1 ? (
          <SelectField name="owner" label={t('contract.owner')} defaultValue={view.owner}>
            <option value="">{t('contract.all')}</option>
            {choices.owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        <SelectField name="type" label={t('contract.type')} defaultValue={view.type}>
          <option value="">{t('contract.all')}</option>
          {choices.types.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <Button variant="secondary">{t('contract.filter')}</Button>
      </Form>
      {data ? (
        <div className="space-y-6">
          <Card>
            <RevenueKpis s={data.summary} />
          </Card>
          <Card title={t('revenue.bridge')}>
            <MrrWaterfall months={data.months} />
          </Card>
          <Card title={t('revenue.trend')}>
            <RevenueTrend months={data.months} renewals={data.renewals} />
          </Card>
          <p className="text-xs text-slate-600">
            {t('revenue.definitions')} {t('revenue.scope')}
          </p>
        </div>
      ) : (
        <Alert tone="warning">{t('revenue.unavailable')}</Alert>
      )}
    </>
  )
}
