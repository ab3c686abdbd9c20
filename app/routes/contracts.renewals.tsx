import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { sql } from 'kysely'
import { ContractFilters } from '~/components/contract-filters'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { STATUS_LABELS } from '../../domain/contracts/contract'
import { renewalDeadline } from '../../domain/contracts/contract-renewals'
import { addDays, daysBetween, parisDay } from '../../domain/shared/paris-time'
import { requireUser } from '~/utils/auth.server'
import { contractsQuery, filterChoices, readFilters } from '~/utils/contracts-list.server'
import { formatEuros, formatIsoDate } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Renouvellements — Alforis CRM' }]

const WINDOWS = [30, 60, 90] as const

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const filters = { ...readFilters(new URL(request.url)), status: '' as const }
  const today = parisDay(auth.now())
  const horizon = addDays(today, 90)
  const [rows, choices] = await Promise.all([
    contractsQuery(auth, filters)
      .where('contracts.status', 'in', ['actif', 'a_renouveler'])
      // The date that matters may be the notice deadline, up to notice_months before the end.
      .where(sql<boolean>`contracts.end_date - make_interval(months => contracts.notice_months * contracts.tacit_renewal::int) <= ${horizon}::date`)
      .orderBy('contracts.end_date')
      .limit(500)
      .execute(),
    filterChoices(auth),
  ])
  const items = rows
    .map((r) => {
      const deadline = renewalDeadline(r)
      return { ...r, deadline, days: daysBetween(today, deadline), mrr: Number(r.mrr_cents) }
    })
    .filter((r) => r.days <= 90)
    .sort((a, b) => (a.deadline < b.deadline ? -1 : 1))
  const groups = WINDOWS.map((w, i) => {
    const list = items.filter((r) => r.days <= w && (i === 0 || r.days > WINDOWS[i - 1]))
    return { days: w, rows: list, mrr: list.reduce((s, r) => s + r.mrr, 0) }
  })
  return { groups, filters, ...choices }
}

export default function Renewals() {
  const { groups, filters, teams, owners } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <PageHeader title={t('contract.renewals')} subtitle={t('contract.renewalsIntro')} />
      <ContractFilters values={filters} teams={teams} owners={owners} withStatus={false} />
      <div className="space-y-6">
        {groups.map((g) => (
          <Card key={g.days} title={`${t('contract.within', { days: g.days })} — ${t('contract.mrrPerMonth', { amount: formatEuros(g.mrr) })}`}>
            {g.rows.length ? (
              <ul className="divide-y divide-slate-100">
                {g.rows.map((r) => (
                  <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-3 text-sm">
                    <div className="min-w-0">
                      <Link to={`/contracts/${r.id}`} className="font-medium text-indigo-700 underline">
                        {r.title}
                      </Link>
                      <p className="text-slate-600">
                        {r.organisation_name} · {r.owner_name ?? '—'} · {STATUS_LABELS[r.status]}
                      </p>
                    </div>
                    <div className="flex flex-wrap gap-3">
                      <span className="tabular-nums">{t('contract.mrrPerMonth', { amount: formatEuros(r.mrr) })}</span>
                      <span>
                        {r.tacit_renewal ? t('contract.deadline') : t('contract.end')} : {formatIsoDate(r.deadline)}
                      </span>
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600">{t('contract.none')}</p>
            )}
          </Card>
        ))}
      </div>
    </>
  )
}
