import type { DocumentTotals } from '../../../domain/sales/quote-totals'
import { VAT_RATE_LABELS } from '../../../domain/sales/vat'
import { useT } from '~/i18n/use-t'
import { formatEuros } from '~/utils/format'

export type TotalsView = Omit<DocumentTotals, 'lines'>

/**
 * The invoice-style summary: HT (after the global discount), VAT per rate with its base
 * (and each 0 % group's mention), TTC — ADR 0009. `live` announces changes politely.
 */
export function QuoteTotalsTable({ totals, live = false, note }: { totals: TotalsView; live?: boolean; note?: string | null }) {
  const t = useT()
  const row = 'flex items-baseline justify-between gap-4 py-1.5'
  return (
    <div aria-live={live ? 'polite' : undefined} className="text-sm" data-testid="quote-totals">
      <dl className="divide-y divide-slate-100">
        {totals.global_discount_cents > 0 ? (
          <>
            <div className={row}>
              <dt className="text-slate-700">{t('quote.totals.linesNet')}</dt>
              <dd className="tabular-nums text-slate-900">{formatEuros(totals.lines_net_cents)}</dd>
            </div>
            <div className={row}>
              <dt className="text-slate-700">{t('quote.totals.globalDiscount')}</dt>
              <dd className="tabular-nums text-slate-900" data-testid="total-global-discount">
                −{formatEuros(totals.global_discount_cents)}
              </dd>
            </div>
          </>
        ) : null}
        <div className={row}>
          <dt className="font-medium text-slate-900">{t('quote.totals.ht')}</dt>
          <dd className="font-semibold tabular-nums text-slate-900" data-testid="total-ht">
            {formatEuros(totals.total_ht_cents)}
          </dd>
        </div>
        {totals.vat.map((g) => (
          <div key={`${g.rate}|${g.exemption ?? ''}`} className={row}>
            <dt className="min-w-0 text-slate-700">
              {t('quote.totals.vatRate', { rate: VAT_RATE_LABELS[g.rate] })}
              <span className="block text-xs text-slate-600">
                {t('quote.totals.base', { amount: formatEuros(g.base_cents) })}
                {g.exemption ? ` · ${g.exemption}` : ''}
              </span>
            </dt>
            <dd className="tabular-nums text-slate-900" data-testid={`total-vat-${g.rate}`}>
              {formatEuros(g.vat_cents)}
            </dd>
          </div>
        ))}
        <div className={row}>
          <dt className="text-slate-700">{t('quote.totals.vat')}</dt>
          <dd className="tabular-nums text-slate-900" data-testid="total-vat">
            {formatEuros(totals.total_vat_cents)}
          </dd>
        </div>
        <div className="mt-1 flex items-baseline justify-between gap-4 rounded-md bg-indigo-50 px-3 py-2.5">
          <dt className="text-base font-semibold text-indigo-900">{t('quote.totals.ttc')}</dt>
          <dd className="text-lg font-bold tabular-nums text-indigo-900" data-testid="total-ttc">
            {formatEuros(totals.total_ttc_cents)}
          </dd>
        </div>
      </dl>
      {note ? <p className="mt-2 text-xs text-amber-900">{note}</p> : null}
    </div>
  )
}
