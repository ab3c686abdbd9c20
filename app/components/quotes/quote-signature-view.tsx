import { useT } from '~/i18n/use-t'
import { formatPercentFr, formatQuantityFr } from '../../../domain/sales/money'
import { formatEuros } from '../../../domain/shared/money'
import type { QuoteSnapshot } from '../../../domain/sales/quote-snapshot'
import { VAT_RATE_LABELS } from '../../../domain/sales/vat'

// A sent version as the customer reads it on the public page: the same snapshot, hence
// the same figures, as the PDF.

const day = (d: string) => d.split('-').reverse().join('/')

export function QuoteSignatureView({ q, mentions }: { q: QuoteSnapshot; mentions: string[] }) {
  const t = useT()
  const brand = q.seller.brand_color ?? '#3730a3'
  const contact = q.contact
  return (
    <article aria-labelledby="quote-title" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 p-4 sm:p-6">
        <div>
          <p className="text-lg font-bold" style={{ color: brand }}>
            {q.seller.name}
          </p>
          <p className="text-sm text-slate-700">
            {[q.seller.address, [q.seller.postal_code, q.seller.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')}
          </p>
        </div>
        <div className="text-right">
          <h1 id="quote-title" className="text-2xl font-bold tracking-wide" style={{ color: brand }}>
            {t('qsign.quote', { number: q.number })}
          </h1>
          <p className="text-sm text-slate-700">
            {t('qsign.version', { revision: q.revision })} · {t('qsign.issued', { date: day(q.issue_date) })}
          </p>
          <p className="text-sm text-slate-700">{t('qsign.validUntil', { date: day(q.valid_until) })}</p>
        </div>
      </header>
      <div className="grid gap-4 p-4 sm:grid-cols-2 sm:p-6">
        <div>
          <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('qsign.customer')}</h2>
          <p className="font-semibold">{q.customer.name}</p>
          {contact ? <p className="text-sm">{[contact.civility, contact.first_name, contact.last_name].filter(Boolean).join(' ')}</p> : null}
          <p className="text-sm text-slate-700">
            {[q.customer.address, [q.customer.postal_code, q.customer.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')}
          </p>
        </div>
        {q.title ? (
          <div>
            <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{t('qsign.subject')}</h2>
            <p>{q.title}</p>
          </div>
        ) : null}
      </div>
      {/* Below `sm` (a phone) each line is a card: the designation across, each figure under its label. */}
      <div className="px-4 sm:overflow-x-auto sm:px-6">
        <table className="block w-full text-sm sm:table sm:min-w-[36rem]">
          <caption className="sr-only">{t('qsign.lines')}</caption>
          <thead className="sr-only sm:not-sr-only sm:table-header-group">
            <tr className="text-left text-white" style={{ backgroundColor: brand }}>
              <th scope="col" className="px-2 py-2">
                {t('qsign.designation')}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t('qsign.qty')}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t('qsign.unitPrice')}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t('qsign.discount')}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t('qsign.vat')}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t('qsign.totalHt')}
              </th>
            </tr>
          </thead>
          <tbody className="block divide-y divide-slate-200 sm:table-row-group">
            {q.lines.map((l) => {
              const [first, ...rest] = l.description.split('\n')
              return (
                <tr key={l.position} className="grid grid-cols-2 gap-x-3 gap-y-1 py-3 sm:table-row sm:py-0">
                  <td className="col-span-2 sm:px-2 sm:py-2">
                    <span className="font-medium">{first}</span>
                    {rest.length ? <span className="block text-xs text-slate-600">{rest.join(' ')}</span> : null}
                    {l.vat_rate === 0 && l.vat_exemption ? <span className="block text-xs text-slate-600">{l.vat_exemption}</span> : null}
                  </td>
                  <td className={cell}>
                    <CardLabel>{t('qsign.qty')}</CardLabel>
                    {formatQuantityFr(l.quantity)} {l.unit ?? ''}
                  </td>
                  <td className={cell}>
                    <CardLabel>{t('qsign.unitPrice')}</CardLabel>
                    {formatEuros(l.unit_price_cents)}
                  </td>
                  <td className={`${cell} ${l.discount_cents ? '' : 'max-sm:hidden'}`}>
                    <CardLabel>{t('qsign.discount')}</CardLabel>
                    {/* As on the PDF: the euros taken off, the rate under them when one was given. */}
                    {l.discount_cents ? (
                      <>
                        -{formatEuros(l.discount_cents)}
                        {l.discount?.kind === 'percent' ? <span className="block text-xs text-slate-600">({formatPercentFr(l.discount.bps)})</span> : null}
                      </>
                    ) : (
                      ''
                    )}
                  </td>
                  <td className={cell}>
                    <CardLabel>{t('qsign.vat')}</CardLabel>
                    {VAT_RATE_LABELS[l.vat_rate]}
                  </td>
                  <td className={`${cell} font-medium`}>
                    <CardLabel>{t('qsign.totalHt')}</CardLabel>
                    {formatEuros(l.net_cents)}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <dl className="ml-auto mt-4 w-full max-w-sm space-y-1 px-4 text-sm sm:px-6" data-testid="quote-totals">
        {q.totals.global_discount_cents > 0 ? (
          <>
            <div className="flex justify-between">
              <dt>{t('qsign.beforeDiscount')}</dt>
              <dd>{formatEuros(q.totals.lines_net_cents)}</dd>
            </div>
            <div className="flex justify-between">
              <dt>{t('qsign.globalDiscount')}</dt>
              <dd>-{formatEuros(q.totals.global_discount_cents)}</dd>
            </div>
          </>
        ) : null}
        <div className="flex justify-between font-semibold">
          <dt>{t('qsign.totalHt')}</dt>
          <dd>{formatEuros(q.totals.total_ht_cents)}</dd>
        </div>
        {q.totals.vat.map((g) => (
          <div key={`${g.rate}|${g.exemption ?? ''}`} className="flex justify-between">
            <dt>{t('qsign.vatOn', { rate: VAT_RATE_LABELS[g.rate], base: formatEuros(g.base_cents) })}</dt>
            <dd>{formatEuros(g.vat_cents)}</dd>
          </div>
        ))}
        <div className="flex justify-between">
          <dt>{t('qsign.totalVat')}</dt>
          <dd>{formatEuros(q.totals.total_vat_cents)}</dd>
        </div>
        <div className="flex justify-between rounded px-2 py-2 text-base font-bold text-white" style={{ backgroundColor: brand }}>
          <dt>{t('qsign.totalTtc')}</dt>
          <dd>{formatEuros(q.totals.total_ttc_cents)}</dd>
        </div>
      </dl>
      <div className="space-y-2 p-4 text-sm sm:p-6">
        <h2 className="font-semibold" style={{ color: brand }}>
          {t('qsign.conditions')}
        </h2>
        <p>{t('qsign.validity', { days: q.validity_days, date: day(q.valid_until) })}</p>
        {q.payment_terms ? <p className="whitespace-pre-line">{q.payment_terms}</p> : null}
        {q.notes ? <p className="whitespace-pre-line">{q.notes}</p> : null}
        <ul className="mt-3 space-y-1 border-t border-slate-200 pt-3 text-xs text-slate-600">
          {mentions.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </div>
    </article>
  )
}

const cell = 'block sm:table-cell sm:px-2 sm:py-2 sm:text-right'

/** A figure's column name, shown only on a phone where the line is a card (the table's header says it otherwise). */
function CardLabel({ children }: { children: string }) {
  return <span className="block text-xs font-medium text-slate-600 sm:hidden">{children}</span>
}
