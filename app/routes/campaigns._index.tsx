import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { sql } from 'kysely'
import { Badge } from '~/components/ui/badge'
import { LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser } from '~/utils/auth.server'
import { formatDateTime } from '~/utils/format'
import { canManageCampaigns } from '../../domain/campaigns/campaign-access'

// /campaigns — the workspace's e-mail campaigns, newest first, with what each has sent.
export const meta: MetaFunction = () => [{ title: 'Campagnes — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageCampaigns(auth.actor)) throw forbidden()
  const rows = await context.runtime.db
    .selectFrom('campaigns as c')
    .select([
      'c.id',
      'c.name',
      'c.status',
      'c.created_at',
      'c.scheduled_at',
      sql<number>`(select count(*)::int from campaign_sends s where s.campaign_id = c.id and s.status = 'sent')`.as('sent'),
      sql<number>`(select count(*)::int from campaign_sends s where s.campaign_id = c.id)`.as('total'),
    ])
    .where('c.workspace_id', '=', auth.actor.workspaceId)
    .orderBy('c.created_at', 'desc')
    .limit(200)
    .execute()
  return { rows }
}

export default function Campaigns() {
  const { rows } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <PageHeader title={t('campaign.list')} actions={<LinkButton to="/campaigns/new">{t('campaign.new')}</LinkButton>} />
      <Card>
        {rows.length ? (
          <ul className="divide-y divide-slate-100">
            {rows.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <div className="min-w-0">
                  <Link to={`/campaigns/${r.id}`} className="font-medium text-indigo-700 underline">
                    {r.name}
                  </Link>
                  <p className="text-sm text-slate-600">{formatDateTime(r.scheduled_at ?? r.created_at)}</p>
                </div>
                <div className="flex items-center gap-3 text-sm">
                  <Badge tone={r.status === 'completed' ? 'green' : r.status === 'cancelled' ? 'red' : r.status === 'sending' ? 'amber' : 'slate'}>
                    {t(`campaign.status.${r.status}`)}
                  </Badge>
                  <span className="tabular-nums">
                    {r.sent} / {r.total}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{t('campaign.none')}</p>
        )}
      </Card>
    </>
  )
}
