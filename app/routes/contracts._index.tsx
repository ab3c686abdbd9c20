import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ContractFilters } from '~/components/contract-filters'
import { Badge } from '~/components/ui/badge'
import { LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { STATUS_LABELS, TYPE_LABELS } from '../../domain/contracts/contract'
import { requireUser } from '~/utils/auth.server'
import { canCreateContracts } from '~/utils/contracts.server'
import { contractsQuery, filterChoices, readFilters } from '~/utils/contracts-list.server'
import { formatEuros, formatIsoDate } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Contrats — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const filters = readFilters(new URL(request.url))
  const [rows, choices] = await Promise.all([
    contractsQuery(auth, filters).orderBy('contracts.end_date').orderBy('contracts.id').limit(200).execute(),
    filterChoices(auth),
  ])
  return { rows, filters, ...choices, canCreate: canCreateContracts(auth.actor) }
}

export default function Contracts() {
  const { rows, filters, teams, owners, canCreate } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <PageHeader
        title={t('contract.list')}
        actions={
          <>
            <LinkButton to="/contracts/renewals" variant="secondary">
              {t('contract.renewals')}
            </LinkButton>
            <LinkButton to="/contracts/revenue" variant="secondary">
              {t('revenue.link')}
            </LinkButton>
            {canCreate ? <LinkButton to="/contracts/new">{t('contract.new')}</LinkButton> : null}
          </>
        }
      />
      <ContractFilters values={filters} teams={teams} owners={owners} />
      <Card>
        {rows.length ? (
          <ul className="divide-y divide-slate-100">
            {rows.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <div className="min-w-0">
                  <Link to={`/contracts/${r.id}`} className="font-medium text-indigo-700 underline">
                    {r.title}
                  </Link>
                  <p className="text-sm text-slate-600">
                    {r.organisation_name} · {TYPE_LABELS[r.type]} · {r.owner_name ?? '—'}
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-3 text-sm">
                  <Badge tone={r.status === 'a_renouveler' ? 'amber' : r.status === 'actif' ? 'green' : r.status === 'resilie' ? 'red' : 'slate'}>
                    {STATUS_LABELS[r.status]}
                  </Badge>
                  <span className="tabular-nums">{t('contract.mrrPerMonth', { amount: formatEuros(Number(r.mrr_cents)) })}</span>
                  <span>
                    {t('contract.end')} : {formatIsoDate(r.end_date)}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{t('contract.none')}</p>
        )}
      </Card>
    </>
  )
}
