import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { PipelineChart } from '~/components/pipeline-chart'
import { Alert } from '~/components/ui/alert'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { lagOf, pipelineByStage, type Lag, type PipelineRow } from '~/utils/analytics.server'
import { requireUser } from '~/utils/auth.server'
import { formatEuros, formatInteger } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Tableau de bord — Alforis CRM' }]

// Beyond this the page says the figures are behind the entity pages.
const LAG_NOTICE_SECONDS = 5

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const rt = context.runtime
  // Analytics are a read model: if ClickHouse is down the page still opens and says so.
  const [pipeline, lag] = await Promise.all([
    pipelineByStage(rt, auth.user.workspaceId).catch((e: unknown) => (console.error('[dashboard] pipeline', e), null)),
    lagOf(rt).catch((e: unknown) => (console.error('[dashboard] lag', e), null as Lag | null)),
  ])
  return { pipeline, lag: lag && lag.seconds > LAG_NOTICE_SECONDS ? lag : null }
}

export default function Dashboard() {
  const { pipeline, lag } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <PageHeader title={t('dashboard.title')} />
      {lag ? (
        <div className="mb-4">
          <Alert tone="warning">{t('dashboard.lag', { seconds: Math.round(lag.seconds), events: formatInteger(lag.events) })}</Alert>
        </div>
      ) : null}
      <Card title={t('dashboard.pipeline')}>
        {pipeline === null ? (
          <Alert tone="warning">{t('dashboard.unavailable')}</Alert>
        ) : pipeline.length === 0 ? (
          <p className="text-sm text-slate-600">{t('dashboard.empty')}</p>
        ) : (
          <div className="grid gap-6 lg:grid-cols-2">
            <div className="js-only min-w-0">
              <PipelineChart
                label={t('dashboard.chartLabel')}
                amountLabel={t('dashboard.amount')}
                weightedLabel={t('dashboard.weighted')}
                data={pipeline.map((r) => ({ stage: r.label, amount: r.amountCents, weighted: r.weightedCents }))}
              />
            </div>
            <div className="min-w-0">
              <PipelineTable rows={pipeline} />
            </div>
          </div>
        )}
      </Card>
    </>
  )
}

function PipelineTable({ rows }: { rows: PipelineRow[] }) {
  const t = useT()
  const total = rows.reduce((a, r) => ({ deals: a.deals + r.deals, amount: a.amount + r.amountCents, weighted: a.weighted + r.weightedCents }), { deals: 0, amount: 0, weighted: 0 })
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="mb-2 text-left text-xs text-slate-600">{t('dashboard.pipelineCaption')}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-left text-slate-700">
            <th scope="col" className="py-2 pr-2 font-semibold">{t('dashboard.stage')}</th>
            <th scope="col" className="hidden py-2 pr-2 text-right font-semibold sm:table-cell">{t('dashboard.deals')}</th>
            <th scope="col" className="py-2 pr-2 text-right font-semibold">{t('dashboard.amount')}</th>
            <th scope="col" className="py-2 text-right font-semibold">{t('dashboard.weighted')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.stage} className="border-b border-slate-100">
              <th scope="row" className="py-2 pr-2 text-left font-medium text-slate-900">{r.label}</th>
              <td className="hidden py-2 pr-2 text-right tabular-nums sm:table-cell">{formatInteger(r.deals)}</td>
              <td className="whitespace-nowrap py-2 pr-2 text-right tabular-nums">{formatEuros(r.amountCents)}</td>
              <td className="whitespace-nowrap py-2 text-right tabular-nums">{formatEuros(r.weightedCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="font-semibold text-slate-900">
            <th scope="row" className="py-2 pr-2 text-left">{t('dashboard.total')}</th>
            <td className="hidden py-2 pr-2 text-right tabular-nums sm:table-cell">{formatInteger(total.deals)}</td>
            <td className="whitespace-nowrap py-2 pr-2 text-right tabular-nums">{formatEuros(total.amount)}</td>
            <td className="whitespace-nowrap py-2 text-right tabular-nums">{formatEuros(total.weighted)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  )
}
