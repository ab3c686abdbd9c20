import { lazy, Suspense } from 'react'
import type { RevenueSummary } from '../../domain/contracts/recurring-revenue'
import type { MrrMonth } from '../../domain/contracts/mrr'
import { useT } from '~/i18n/use-t'
import { formatEuros } from '~/utils/format'
import { DataDetails, useHydrated, useNearViewport } from './dashboard/client-only'
import { formatMonth, formatRatio } from './dashboard/figures'

const RevenueCharts = lazy(() => import('./recurring-revenue-charts'))

const euros = (c: number) => formatEuros(c, { rounded: true })
const months1 = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 })

/** The key figures, CLV with its formula. `compact`: the dashboard widget's four. */
export function RevenueKpis({ s, compact = false }: { s: RevenueSummary; compact?: boolean }) {
  const t = useT()
  const tiles: [string, string, string][] = [
    ['mrr', t('revenue.mrr'), euros(s.mrr)],
    ['arr', t('revenue.arr'), euros(s.arr)],
    ['nrr', t('revenue.nrr'), formatRatio(s.nrr)],
    ['logo-churn', t('revenue.logoChurn'), formatRatio(s.logoChurn, true)],
  ]
  if (!compact)
    tiles.push(
      ['customers', t('revenue.customers'), String(s.customers)],
      ['arpa', t('revenue.arpa'), euros(s.arpa)],
      ['revenue-churn', t('revenue.revenueChurn'), formatRatio(s.revenueChurn, true)],
      ['renewal-rate', t('revenue.renewalRate'), formatRatio(s.renewalRate)],
    )
  return (
    <>
      <dl className={`grid gap-3 ${compact ? 'grid-cols-2' : 'grid-cols-2 lg:grid-cols-4'}`}>
        {tiles.map(([key, label, value]) => (
          <div key={key} className="rounded-lg border border-slate-200 bg-slate-50/60 px-3 py-3" data-kpi={key}>
            <dt className="text-xs font-medium text-slate-600">{label}</dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums tracking-tight text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      {compact ? null : (
        <p className="mt-3 text-sm text-slate-700" data-kpi="clv">
          <strong>
            {t('revenue.clv')} : {s.clv === null ? '—' : euros(s.clv)}
          </strong>{' '}
          <span className="text-slate-600">
            {s.clv === null
              ? t('revenue.clvNone')
              : t('revenue.clvFormula', { arpa: euros(s.arpa), months: months1.format(s.lifetimeMonths!), churn: formatRatio(s.logoChurn, true) })}
          </span>
        </p>
      )}
    </>
  )
}

/**
 * The MRR bridge of the period as a waterfall: start, each movement, end. Drawn in HTML
 * (no script needed, readable at 375 px); each step is also written out.
 */
export function MrrWaterfall({ months }: { months: MrrMonth[] }) {
  const t = useT()
  if (!months.length) return null
  const sum = (k: keyof MrrMonth) => months.reduce((a, m) => a + (m[k] as number), 0)
  const start = months[0].start
  const steps: { key: string; label: string; delta: number; total?: boolean }[] = [
    { key: 'start', label: t('revenue.start'), delta: start, total: true },
    { key: 'new', label: t('revenue.new'), delta: sum('new') },
    { key: 'expansion', label: t('revenue.expansion'), delta: sum('expansion') },
    { key: 'reactivation', label: t('revenue.reactivation'), delta: sum('reactivation') },
    { key: 'contraction', label: t('revenue.contraction'), delta: -sum('contraction') },
    { key: 'churn', label: t('revenue.churn'), delta: -sum('churn') },
    { key: 'end', label: t('revenue.end'), delta: months[months.length - 1].end, total: true },
  ]
  let level = 0
  const bars = steps.map((s) => {
    const from = s.total ? 0 : level
    const to = s.total ? s.delta : level + s.delta
    level = s.total ? s.delta : to
    return { ...s, lo: Math.min(from, to), hi: Math.max(from, to) }
  })
  const max = Math.max(1, ...bars.map((b) => b.hi))
  const pct = (v: number) => `${((v / max) * 100).toFixed(2)}%`
  return (
    <ol className="space-y-2" aria-label={t('revenue.bridge')}>
      {bars.map((b) => (
        <li key={b.key} className="grid grid-cols-[7.5rem_1fr] items-center gap-2 text-sm sm:grid-cols-[10rem_1fr_8rem]" data-step={b.key}>
          <span className="text-slate-700">{b.label}</span>
          <span className="relative h-5 rounded bg-slate-100" aria-hidden="true">
            <span
              className={`absolute inset-y-0 rounded ${b.total ? 'bg-indigo-600' : b.delta >= 0 ? 'bg-emerald-500' : 'bg-rose-500'}`}
              style={{ left: pct(b.lo), width: pct(b.hi - b.lo) }}
            />
          </span>
          <span className="col-start-2 text-right tabular-nums text-slate-900 sm:col-start-3">
            {b.total ? '' : b.delta >= 0 ? '+' : '−'}
            {euros(Math.abs(b.delta))}
          </span>
        </li>
      ))}
    </ol>
  )
}

/** MRR trend and lost MRR as Tremor charts once interactive; the month table always (open without JavaScript). */
export function RevenueTrend({ months, renewals }: { months: MrrMonth[]; renewals: { month: string; due: number; renewed: number }[] }) {
  const t = useT()
  const hydrated = useHydrated()
  const [spot, near] = useNearViewport<HTMLDivElement>()
  const placeholder = <div className="h-64" aria-hidden="true" />
  const data = months.map((m) => ({ month: formatMonth(m.month), mrr: m.end, churn: m.churn, contraction: m.contraction }))
  const cols = ['start', 'new', 'expansion', 'reactivation', 'contraction', 'churn', 'end'] as const
  return (
    <>
      <div className="js-only" ref={spot}>
        {hydrated && near ? (
          <Suspense fallback={placeholder}>
            <RevenueCharts
              data={data}
              labels={{ mrr: t('revenue.mrrTrend'), lost: t('revenue.lostTrend'), churn: t('revenue.churn'), contraction: t('revenue.contraction') }}
            />
          </Suspense>
        ) : (
          placeholder
        )}
      </div>
      <DataDetails label={t('dash.showTable')}>
        {/* Wider than a phone: the table scrolls, and takes the focus so a keyboard can scroll it (axe scrollable-region-focusable). */}
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard */}
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t('revenue.tableCaption')}>
          <table className="w-full min-w-[44rem] text-sm">
            <caption className="mb-2 text-left text-xs text-slate-600">{t('revenue.tableCaption')}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-slate-700">
                <th scope="col" className="py-1.5 pr-2 font-semibold">
                  {t('dash.trend.month')}
                </th>
                {cols.map((c) => (
                  <th key={c} scope="col" className="py-1.5 pr-2 text-right font-semibold">
                    {t(`revenue.${c}`)}
                  </th>
                ))}
                <th scope="col" className="py-1.5 pr-2 text-right font-semibold">
                  {t('revenue.arr')}
                </th>
                <th scope="col" className="py-1.5 text-right font-semibold">
                  {t('revenue.renewedOfDue')}
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map((m, i) => (
                <tr key={m.month} className="border-b border-slate-100">
                  <th scope="row" className="py-1.5 pr-2 text-left font-medium capitalize text-slate-900">
                    {formatMonth(m.month, true)}
                  </th>
                  {cols.map((c) => (
                    <td key={c} className="whitespace-nowrap py-1.5 pr-2 text-right tabular-nums">
                      {euros(m[c])}
                    </td>
                  ))}
                  <td className="whitespace-nowrap py-1.5 pr-2 text-right tabular-nums">{euros(m.end * 12)}</td>
                  <td className="whitespace-nowrap py-1.5 text-right tabular-nums">
                    {renewals[i]?.renewed ?? 0} / {renewals[i]?.due ?? 0}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </DataDetails>
    </>
  )
}
