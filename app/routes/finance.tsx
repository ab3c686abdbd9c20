import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { lazy, Suspense, type ReactNode } from 'react'
import { DataDetails, useHydrated, useNearViewport } from '~/components/dashboard/client-only'
import { formatMonth } from '~/components/dashboard/figures'
import { Alert } from '~/components/ui/alert'
import { Card, PageHeader } from '~/components/ui/page-header'
import { forbidden, requireUser } from '~/utils/auth.server'
import { loadFinancePage, type FinancePage } from '~/utils/finance.server'
import { formatEuros, formatInteger, formatIsoDate } from '~/utils/format'
import { FORECAST_SOURCES, HORIZONS, totalOf, type ForecastSource } from '../../domain/accounting/cash-forecast'
import { canSeeFinance } from '../../domain/accounting/permissions'
import { AGING_KEYS } from '../../projections/queries/finance.types'

// /finance — cash and receivables for finance, administrators and managers (reps never):
// invoiced vs collected per month, what is still to be collected (aging, DSO, the list,
// the late payers), revenue per client, and the cash forecast with its backtest. Figures
// come from the ClickHouse read models (projections/finance.projection.ts); if ClickHouse
// cannot answer, the page says so rather than failing.

export const meta: MetaFunction = () => [{ title: 'Finance — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canSeeFinance(auth.actor)) throw forbidden()
  try {
    return data<{ page: FinancePage | null }>({ page: await loadFinancePage(context.runtime, auth.user.workspaceId) })
  } catch (e) {
    console.error('finance : lecture des indicateurs impossible', e)
    return data<{ page: FinancePage | null }>({ page: null }, { status: 503 })
  }
}

const FinanceBarChart = lazy(() => import('~/components/finance/finance-bar-chart'))

const AGING_LABELS: Record<(typeof AGING_KEYS)[number], string> = {
  not_due: 'Non échu',
  d0_30: '1 à 30 jours',
  d31_60: '31 à 60 jours',
  d61_90: '61 à 90 jours',
  d90_plus: 'Plus de 90 jours',
}
const SOURCE_LABELS: Record<ForecastSource, string> = {
  invoices: 'Factures ouvertes',
  contracts: 'Échéanciers de contrats',
  pipeline: 'Affaires en cours (pondérées)',
}
const money = (c: number) => formatEuros(c)
const th = 'py-1.5 pr-3 text-left font-semibold text-slate-700'
const thNum = 'py-1.5 pr-3 text-right font-semibold text-slate-700'
const td = 'py-1.5 pr-3 text-slate-900'
const tdNum = 'py-1.5 pr-3 text-right tabular-nums text-slate-900'

function Chart({ label, children }: { label: string; children: ReactNode }) {
  const hydrated = useHydrated()
  const [spot, near] = useNearViewport<HTMLDivElement>()
  const placeholder = <div className="h-64" aria-hidden="true" />
  return (
    <div className="js-only" ref={spot}>
      {hydrated && near ? (
        <figure>
          <figcaption className="sr-only">{label}</figcaption>
          <Suspense fallback={placeholder}>{children}</Suspense>
        </figure>
      ) : (
        placeholder
      )}
    </div>
  )
}

function Kpi({ label, value, note }: { label: string; value: string; note?: ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <p className="text-sm text-slate-600">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{value}</p>
      {note ? <p className="mt-1 text-xs text-slate-600">{note}</p> : null}
    </div>
  )
}

export default function FinanceRoute() {
  const { page } = useLoaderData<typeof loader>()
  if (!page)
    return (
      <div className="mx-auto max-w-5xl">
        <PageHeader title="Finance" />
        <Alert tone="error">Les indicateurs financiers sont momentanément indisponibles. Réessayez dans quelques instants.</Alert>
      </div>
    )
  const { figures: f, forecast, backtest } = page
  const months = f.months.map((m) => ({ mois: formatMonth(m.month), Facturé: m.invoiced_cents, Encaissé: m.collected_cents }))
  const weeks = forecast.weeks.map((w) => ({
    semaine: formatIsoDate(w.start).slice(0, 5),
    [SOURCE_LABELS.invoices]: w.bySource.invoices,
    [SOURCE_LABELS.contracts]: w.bySource.contracts,
    [SOURCE_LABELS.pipeline]: w.bySource.pipeline,
  }))
  return (
    <div className="mx-auto max-w-6xl space-y-6">
      <PageHeader
        title="Finance"
        subtitle={`Facturation, encaissements et trésorerie prévisionnelle au ${formatIsoDate(page.today)} (montants TTC sauf mention).`}
        actions={
          <Link to="/accounting/fec" className="text-sm font-medium text-indigo-800 underline">
            Export comptable (FEC)
          </Link>
        }
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Kpi label="Reste à encaisser" value={money(f.open.total_cents)} note={`${formatInteger(f.open.count)} factures ouvertes`} />
        <Kpi label="Dont échu" value={money(f.open.overdue_cents)} />
        <Kpi
          label="DSO (délai moyen d’encaissement)"
          value={f.dso.days === null ? '—' : `${formatInteger(f.dso.days)} jours`}
          note={`DSO = reste à encaisser ÷ facturé TTC sur 12 mois × 365 = ${money(f.dso.open_cents)} ÷ ${money(f.dso.invoiced_12m_cents)} × 365`}
        />
        <Kpi label="Encaissement prévu à 30 jours" value={money(totalOf(forecast.horizons[30]))} />
      </div>

      <Card title="Facturé et encaissé par mois">
        <Chart label="Facturé et encaissé par mois, sur douze mois">
          <FinanceBarChart data={months} index="mois" categories={['Facturé', 'Encaissé']} colors={['indigo', 'emerald']} />
        </Chart>
        <DataDetails label="Afficher le tableau">
          <table className="w-full text-sm">
            <caption className="mb-2 text-left text-xs text-slate-600">Montants TTC ; les avoirs viennent en déduction du facturé.</caption>
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className={th}>
                  Mois
                </th>
                <th scope="col" className={thNum}>
                  Facturé
                </th>
                <th scope="col" className={thNum}>
                  Encaissé
                </th>
              </tr>
            </thead>
            <tbody>
              {f.months.map((m) => (
                <tr key={m.month} className="border-b border-slate-100">
                  <th scope="row" className={`${td} text-left font-medium capitalize`}>
                    {formatMonth(m.month, true)}
                  </th>
                  <td className={tdNum}>{money(m.invoiced_cents)}</td>
                  <td className={tdNum}>{money(m.collected_cents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </DataDetails>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Balance âgée">
          <table className="w-full text-sm">
            <caption className="mb-2 text-left text-xs text-slate-600">Reste à encaisser selon le retard sur l’échéance.</caption>
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className={th}>
                  Retard
                </th>
                <th scope="col" className={thNum}>
                  Montant
                </th>
              </tr>
            </thead>
            <tbody>
              {AGING_KEYS.map((k) => (
                <tr key={k} className="border-b border-slate-100">
                  <th scope="row" className={`${td} text-left font-medium`}>
                    {AGING_LABELS[k]}
                  </th>
                  <td className={tdNum}>{money(f.aging[k])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title="Plus gros retards de paiement">
          {f.latePayers.length === 0 ? (
            <p className="text-sm text-slate-700">Aucune facture échue non réglée.</p>
          ) : (
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b border-slate-200">
                  <th scope="col" className={th}>
                    Client
                  </th>
                  <th scope="col" className={thNum}>
                    Échu
                  </th>
                  <th scope="col" className={thNum}>
                    Retard moyen
                  </th>
                </tr>
              </thead>
              <tbody>
                {f.latePayers.map((p) => (
                  <tr key={p.organisation_id} className="border-b border-slate-100">
                    <th scope="row" className={`${td} text-left font-medium`}>
                      <Link to={`/organisations/${p.organisation_id}`} className="text-indigo-800 underline">
                        {p.name}
                      </Link>{' '}
                      <span className="text-xs text-slate-600">({formatInteger(p.overdue_count)} fact.)</span>
                    </th>
                    <td className={tdNum}>{money(p.overdue_cents)}</td>
                    <td className={tdNum}>{p.avg_delay_days === null ? '—' : `${formatInteger(p.avg_delay_days)} j`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>

      <Card title="Trésorerie prévisionnelle">
        <table className="w-full text-sm">
          <caption className="mb-2 text-left text-xs text-slate-600">
            Factures ouvertes à leur échéance décalée du retard habituel de chaque client ; échéanciers de contrats à facturer et affaires en cours (montant ×
            probabilité, TVA à 20 %) à leur date prévue plus le délai de paiement habituel du client.
          </caption>
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className={th}>
                Source
              </th>
              {HORIZONS.map((h) => (
                <th key={h} scope="col" className={thNum}>
                  J+{h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {FORECAST_SOURCES.map((s) => (
              <tr key={s} className="border-b border-slate-100">
                <th scope="row" className={`${td} text-left font-medium`}>
                  {SOURCE_LABELS[s]}
                </th>
                {HORIZONS.map((h) => (
                  <td key={h} className={tdNum}>
                    {money(forecast.horizons[h][s])}
                  </td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row" className={`${td} text-left font-semibold`}>
                Total
              </th>
              {HORIZONS.map((h) => (
                <td key={h} className={`${tdNum} font-semibold`}>
                  {money(totalOf(forecast.horizons[h]))}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
        <h3 className="mb-2 mt-6 text-sm font-semibold text-slate-900">Sur 13 semaines</h3>
        <Chart label="Encaissements prévus par semaine sur 13 semaines, par source">
          <FinanceBarChart
            data={weeks}
            index="semaine"
            categories={FORECAST_SOURCES.map((s) => SOURCE_LABELS[s])}
            colors={['indigo', 'amber', 'emerald']}
            stack
          />
        </Chart>
        <DataDetails label="Afficher le tableau des semaines">
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className={th}>
                  Semaine
                </th>
                {FORECAST_SOURCES.map((s) => (
                  <th key={s} scope="col" className={thNum}>
                    {SOURCE_LABELS[s]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {forecast.weeks.map((w) => (
                <tr key={w.start} className="border-b border-slate-100">
                  <th scope="row" className={`${td} text-left font-medium`}>
                    du {formatIsoDate(w.start)} au {formatIsoDate(w.end)}
                  </th>
                  {FORECAST_SOURCES.map((s) => (
                    <td key={s} className={tdNum}>
                      {money(w.bySource[s])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </DataDetails>
        <h3 className="mb-2 mt-6 text-sm font-semibold text-slate-900">Fiabilité de la prévision (factures ouvertes, 30 jours)</h3>
        <p className="text-sm text-slate-800" data-testid="backtest-mape">
          {backtest.mape === null
            ? 'Pas encore assez d’historique pour mesurer l’erreur de la prévision.'
            : `Erreur moyenne (MAPE) sur ${backtest.points.filter((p) => p.actual_cents > 0).length} fins de mois : ${(backtest.mape * 100).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} %.`}
        </p>
        <DataDetails label="Afficher les prévisions passées">
          <table className="w-full text-sm">
            <caption className="mb-2 text-left text-xs text-slate-600">
              Prévision faite à la date indiquée avec ce qui était connu alors, comparée aux encaissements des 30 jours suivants.
            </caption>
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className={th}>
                  Prévision faite le
                </th>
                <th scope="col" className={thNum}>
                  Prévu
                </th>
                <th scope="col" className={thNum}>
                  Encaissé
                </th>
              </tr>
            </thead>
            <tbody>
              {backtest.points.map((p) => (
                <tr key={p.asOf} className="border-b border-slate-100">
                  <th scope="row" className={`${td} text-left font-medium`}>
                    {formatIsoDate(p.asOf)}
                  </th>
                  <td className={tdNum}>{money(p.forecast_cents)}</td>
                  <td className={tdNum}>{money(p.actual_cents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </DataDetails>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Factures à encaisser">
          {f.openList.length === 0 ? (
            <p className="text-sm text-slate-700">Aucune facture en attente de paiement.</p>
          ) : (
            <table className="w-full text-sm">
              <caption className="mb-2 text-left text-xs text-slate-600">Les 50 plus anciennes échéances.</caption>
              <thead>
                <tr className="border-b border-slate-200">
                  <th scope="col" className={th}>
                    Facture
                  </th>
                  <th scope="col" className={th}>
                    Échéance
                  </th>
                  <th scope="col" className={thNum}>
                    Reste dû
                  </th>
                </tr>
              </thead>
              <tbody>
                {f.openList.map((l) => (
                  <tr key={l.invoice_id} className="border-b border-slate-100">
                    <th scope="row" className={`${td} text-left font-medium`}>
                      <Link to={`/invoices/${l.invoice_id}`} className="text-indigo-800 underline">
                        {l.number}
                      </Link>{' '}
                      <span className="text-xs text-slate-600">{l.organisation_name}</span>
                    </th>
                    <td className={td}>{formatIsoDate(l.due_date)}</td>
                    <td className={tdNum}>{money(l.open_cents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <Card title="Chiffre d’affaires HT par client (12 mois)">
          {f.clients.length === 0 ? (
            <p className="text-sm text-slate-700">Aucune facture sur les douze derniers mois.</p>
          ) : (
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b border-slate-200">
                  <th scope="col" className={th}>
                    Client
                  </th>
                  <th scope="col" className={thNum}>
                    Facturé HT
                  </th>
                </tr>
              </thead>
              <tbody>
                {f.clients.map((c) => (
                  <tr key={c.organisation_id} className="border-b border-slate-100">
                    <th scope="row" className={`${td} text-left font-medium`}>
                      <Link to={`/organisations/${c.organisation_id}`} className="text-indigo-800 underline">
                        {c.name}
                      </Link>
                    </th>
                    <td className={tdNum}>{money(c.revenue_ht_cents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </div>
  )
}
