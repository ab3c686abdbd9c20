import { formatQuantityFr, formatPercentFr } from '../../../domain/sales/money'
import type { QuoteLine } from '../../../domain/sales/quote'
import type { LineTotals } from '../../../domain/sales/quote-totals'
import { VAT_RATE_LABELS } from '../../../domain/sales/vat'
import { useT } from '~/i18n/use-t'
import { formatEuros } from '~/utils/format'
import { QuoteTotalsTable, type TotalsView } from './quote-totals-table'

export type DocumentLine = QuoteLine & LineTotals

/**
 * A quote read-only, as the customer gets it: a sent version (its frozen snapshot) or a
 * quote that can no longer be edited. Per line: quantity, unit, PU HT, discount, total HT
 * and rate; then the totals per rate (ADR 0009).
 */
export function QuoteDocumentView({ lines, totals }: { lines: DocumentLine[]; totals: TotalsView }) {
  const t = useT()
  if (lines.length === 0) return <p className="text-sm text-slate-600">{t('quote.noLines')}</p>
  return (
    <div>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[40rem] text-sm" data-testid="quote-document-lines">
          <caption className="sr-only">{t('quote.lines')}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <th scope="col" className="py-2 pr-2">
                {t('quote.line.description')}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t('quote.line.quantity')}
              </th>
              <th scope="col" className="px-2 py-2">
                {t('quote.line.unit')}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t('quote.line.unitPrice')}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t('quote.line.discount')}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t('quote.line.vat')}
              </th>
              <th scope="col" className="py-2 pl-2 text-right">
                {t('quote.line.total')}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {lines.map((l, i) => {
              const [first, ...rest] = l.description.split('\n')
              return (
                <tr key={i} className="align-top">
                  <td className="py-2 pr-2">
                    <span className="font-medium text-slate-900">{first}</span>
                    {rest.length ? <span className="block whitespace-pre-line text-xs text-slate-600">{rest.join('\n')}</span> : null}
                    {l.vat_rate === 0 && l.vat_exemption ? <span className="block text-xs italic text-slate-600">{l.vat_exemption}</span> : null}
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatQuantityFr(l.quantity)}</td>
                  <td className="px-2 py-2 text-slate-700">{l.unit ?? ''}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatEuros(l.unit_price_cents)}</td>
                  <td className="px-2 py-2 text-right tabular-nums text-slate-700">
                    {l.discount ? (l.discount.kind === 'percent' ? `−${formatPercentFr(l.discount.bps)}` : `−${formatEuros(l.discount.cents)}`) : ''}
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums text-slate-700">{VAT_RATE_LABELS[l.vat_rate]}</td>
                  <td className="py-2 pl-2 text-right font-medium tabular-nums text-slate-900">{formatEuros(l.net_cents)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <div className="mt-4 flex justify-end">
        <div className="w-full max-w-sm">
          <QuoteTotalsTable totals={totals} />
        </div>
      </div>
    </div>
  )
}
