import { useT } from '~/i18n/use-t'
import { formatDate, formatEuros } from '~/utils/format'
import { StageBadge } from '../ui/badge'
import { PendingBadge, RecordLink } from './record-link'

// What a deal's page shows, from plain data: the online route feeds it its loader, the
// offline page the rep's working set (app/offline/views.tsx).

export function DealSubtitle({
  organisation,
  pipelineName = null,
  stage,
  closedAt = null,
  lostReason = null,
}: {
  organisation: { id: string; name: string }
  pipelineName?: string | null
  stage: { label: string; kind: 'open' | 'won' | 'lost' | undefined; pending?: boolean }
  closedAt?: string | Date | null
  lostReason?: string | null
}) {
  const t = useT()
  return (
    <span className="flex flex-wrap items-center gap-2">
      <RecordLink to={`/organisations/${organisation.id}`} className="font-medium text-indigo-800 hover:underline">
        {organisation.name}
      </RecordLink>
      {pipelineName ? <span>{pipelineName} ·</span> : null}
      <StageBadge label={stage.label} kind={stage.kind} />
      {stage.pending ? <PendingBadge /> : null}
      {closedAt ? <span>· {t('deal.closedAt', { date: formatDate(closedAt) })}</span> : null}
      {stage.kind === 'lost' && lostReason ? (
        <span data-testid="lost-reason" className="basis-full text-sm text-slate-700">
          {t('deal.lostReasonHeader', { reason: lostReason })}
        </span>
      ) : null}
    </span>
  )
}

/** Amount, probability, expected close and owner: the four figures above a deal's page. */
export function DealKeyFigures({
  amountCents,
  probability,
  expectedCloseDate,
  ownerName,
}: {
  amountCents: number | string
  probability: number | null
  expectedCloseDate: string | Date | null
  ownerName: string | null
}) {
  const t = useT()
  return (
    <dl className="mb-6 grid grid-cols-2 gap-4 sm:grid-cols-4">
      {[
        [t('dashboard.amount'), formatEuros(Number(amountCents))],
        [t('deal.probability'), probability === null ? t('common.none') : `${probability} %`],
        [t('deal.expectedClose'), formatDate(expectedCloseDate) || t('common.none')],
        [t('deal.owner'), ownerName ?? t('common.unassigned')],
      ].map(([k, v]) => (
        <div key={k} className="rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{k}</dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900">{v}</dd>
        </div>
      ))}
    </dl>
  )
}
