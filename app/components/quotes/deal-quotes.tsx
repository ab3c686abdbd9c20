import { Link } from '@remix-run/react'
import type { QuoteStatus } from '../../../db/schema'
import { LinkButton } from '~/components/ui/button'
import { Card } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { formatEuros } from '~/utils/format'
import { QuoteStatusBadge } from './quote-status-badge'

type DealQuote = { id: string; number: string; revision: number; status: QuoteStatus; total_ttc_cents: number; total_ht_cents: number }

/** The deal page's quotes block: its quotes (number, status, totals) and "Nouveau devis" prefilled with the deal. */
export function DealQuotes({ dealId, quotes, canCreate }: { dealId: string; quotes: DealQuote[]; canCreate: boolean }) {
  const t = useT()
  return (
    <Card title={t('quote.dealQuotes')}>
      {quotes.length === 0 ? (
        <p className="text-sm text-slate-600">{t('quote.dealNoQuotes')}</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="deal-quotes">
          {quotes.map((q) => (
            <li key={q.id} className="flex items-center justify-between gap-3 py-2">
              <span className="min-w-0">
                <Link to={`/quotes/${q.id}`} className="font-medium text-indigo-800 hover:underline">
                  {q.number}
                </Link>
                {q.revision > 1 ? <span className="ml-1 text-xs text-slate-600">v{q.revision}</span> : null}
                <span className="block text-xs tabular-nums text-slate-600">
                  {formatEuros(q.total_ht_cents)} HT · {formatEuros(q.total_ttc_cents)} TTC
                </span>
              </span>
              <QuoteStatusBadge status={q.status} />
            </li>
          ))}
        </ul>
      )}
      {canCreate ? (
        <LinkButton to={`/quotes/new?deal=${dealId}`} variant="secondary" className="mt-3 w-full">
          {t('quote.new')}
        </LinkButton>
      ) : null}
    </Card>
  )
}
