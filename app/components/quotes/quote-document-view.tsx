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
 * and rate; then the totals per rate. Below `sm` (a phone) each line is a card: the
 * description across, then each figure under its own small label, so no column is cut.
 */
export function QuoteDocumentView({ lines, totals }: { lines: DocumentLine[]; totals: TotalsView }) {
  const t = useT()
  if (lines.length === 0) return <p className="text-sm text-slate-600">{t('quote.noLines')}</p>
  return (
    <div>
      <div className="sm:overflow-x-auto">
        <table className="block w-full text-sm sm:table sm:min-w-[40rem]" data-testid="quote-document-lines">
          <caption className="sr-only">{t('quote.lines')}</caption>
          <thead className="sr-only sm:not-sr-only sm:table-header-group">
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
          <tbody className="block divide-y divide-slate-100 sm:table-row-group">
            {lines.map((l, i) => {
              const [first, ...rest] = l.description.split('\n')
              return (
                <tr key={i} className="grid grid-cols-2 gap-x-3 gap-y-1 py-3 align-top sm:table-row sm:py-0">
                  <td className="col-span-2 sm:py-2 sm:pr-2">
                    <span className="font-medium text-slate-900">{first}</span>
                    {rest.length ? <span className="block whitespace-pre-line text-xs text-slate-600">{rest.join('\n')}</span> : null}
                    {l.vat_rate === 0 && l.vat_exemption ? <span className="block text-xs italic text-slate-600">{l.vat_exemption}</span> : null}
                  </td>
                  <td className={`${cell} sm:text-right`}>
                    <CardLabel>{t('quote.line.quantity')}</CardLabel>
                    {formatQuantityFr(l.quantity)}
                    {l.unit ? <span className="sm:hidden"> {l.unit}</span> : null}
                  </td>
                  <td className="hidden px-2 py-2 text-slate-700 sm:table-cell">{l.unit ?? ''}</td>
                  <td className={`${cell} sm:text-right`}>
                    <CardLabel>{t('quote.line.unitPrice')}</CardLabel>
                    {formatEuros(l.unit_price_cents)}
                  </td>
                  <td className={`${cell} text-slate-700 sm:text-right ${l.discount ? '' : 'max-sm:hidden'}`}>
                    <CardLabel>{t('quote.line.discount')}</CardLabel>
                    {l.discount ? (l.discount.kind === 'percent' ? `−${formatPercentFr(l.discount.bps)}` : `−${formatEuros(l.discount.cents)}`) : ''}
                  </td>
                  <td className={`${cell} text-slate-700 sm:text-right`}>
                    <CardLabel>{t('quote.line.vat')}</CardLabel>
                    {VAT_RATE_LABELS[l.vat_rate]}
                  </td>
                  <td className={`${cell} font-medium text-slate-900 sm:text-right`}>
                    <CardLabel>{t('quote.line.total')}</CardLabel>
                    {formatEuros(l.net_cents)}
                  </td>
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

const cell = 'block tabular-nums sm:table-cell sm:px-2 sm:py-2 sm:last:pr-0'

/** A figure's column name, shown only on a phone where the line is a card (the table's header says it otherwise). */
function CardLabel({ children }: { children: string }) {
  return <span className="block text-xs font-medium text-slate-600 sm:hidden">{children}</span>
}
