import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Alert } from '~/components/ui/alert'
import { LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { listReports } from '../../domain/reports/report.repository'
import { requireUser } from '~/utils/auth.server'
import { formatDate } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Rapports — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const reports = await listReports(context.runtime.db, auth.actor)
  return {
    deleted: new URL(request.url).searchParams.get('supprime') === '1',
    reports: reports.map((r) => ({
      id: r.id,
      name: r.name,
      owner: r.ownerName,
      mine: r.ownerId === auth.actor.id,
      sharing: r.sharing,
      updatedAt: r.updatedAt.toISOString(),
    })),
  }
}

export default function Reports() {
  const { reports, deleted } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <PageHeader title={t('report.list')} subtitle={t('report.intro')} actions={<LinkButton to="/reports/nouveau">{t('report.new')}</LinkButton>} />
      {deleted ? <Alert tone="success">{t('report.deleted')}</Alert> : null}
      <Card>
        {reports.length === 0 ? (
          <p className="text-sm text-slate-700">{t('report.none')}</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {reports.map((r) => (
              <li key={r.id} className="flex flex-wrap items-baseline justify-between gap-2 py-3">
                <Link to={`/reports/${r.id}`} className="font-medium text-indigo-700 underline-offset-2 hover:underline">
                  {r.name}
                </Link>
                <span className="text-sm text-slate-600">
                  {r.mine ? t(`report.sharing.${r.sharing}` as MessageKey) : `${t('report.owner')} : ${r.owner}`} · {formatDate(r.updatedAt)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  )
}
