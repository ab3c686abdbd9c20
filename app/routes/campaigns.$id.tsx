import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useRevalidator } from '@remix-run/react'
import { sql } from 'kysely'
import { useEffect } from 'react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { translateProblem } from '~/i18n/errors'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { formatDateTime } from '~/utils/format'
import { canManageCampaigns } from '../../domain/campaigns/campaign-access'
import { campaignProgress, cancelCampaign, pauseCampaign, resumeCampaign } from '../../domain/campaigns/campaign.commands'
import { DomainError, NotFoundError } from '../../domain/shared/errors'

// /campaigns/:id — one campaign: its e-mail, its progress (sent / queued / failed /
// excluded, opens and clicks), and pause, resume or cancel. With JavaScript the figures
// refresh every few seconds while it sends; without, reloading the page does.

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.campaign.name ?? 'Campagne'} — Alforis CRM` }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageCampaigns(auth.actor)) throw forbidden()
  const db = context.runtime.db
  const campaign = await db
    .selectFrom('campaigns')
    .select(['id', 'name', 'subject', 'body', 'button_label', 'button_url', 'status', 'scheduled_at', 'started_at', 'completed_at'])
    .where('workspace_id', '=', auth.actor.workspaceId)
    .where('id', '=', params.id ?? '')
    .executeTakeFirst()
    .catch(() => undefined)
  if (!campaign) throw new Response('Campagne introuvable', { status: 404 })
  const [progress, engagement] = await Promise.all([
    campaignProgress(db, auth.actor.workspaceId, campaign.id),
    sql<{ opened: number; clicked: number }>`
      select count(*) filter (where first_opened_at is not null)::int as opened, count(*) filter (where first_clicked_at is not null)::int as clicked
        from campaign_sends where workspace_id = ${auth.actor.workspaceId} and campaign_id = ${campaign.id}`.execute(db),
  ])
  return { campaign, progress, engagement: engagement.rows[0] ?? { opened: 0, clicked: 0 } }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canManageCampaigns(auth.actor)) throw forbidden()
  const id = params.id ?? ''
  const db = context.runtime.db
  try {
    const intent = auth.form.get('intent')
    if (intent === 'pause') await pauseCampaign(db, auth.ctx(), id)
    else if (intent === 'resume') await resumeCampaign(db, context.runtime.jobs, auth.ctx(), id)
    else if (intent === 'cancel') await cancelCampaign(db, auth.ctx(), id)
    else return data({ error: translateProblem(auth.locale, 'validation.invalid') }, { status: 400 })
  } catch (e) {
    if (e instanceof NotFoundError) throw new Response('Campagne introuvable', { status: 404 })
    if (e instanceof DomainError) return data({ error: translateProblem(auth.locale, e.problem) }, { status: e.status })
    throw e
  }
  throw redirect(`/campaigns/${id}`)
}

export default function CampaignPage() {
  const { campaign: c, progress: p, engagement } = useLoaderData<typeof loader>()
  const t = useT()
  const revalidator = useRevalidator()
  const refused = useActionData<typeof action>()
  const live = c.status === 'sending'
  useEffect(() => {
    if (!live) return
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 3000)
    return () => clearInterval(timer)
  }, [live, revalidator])
  const figures: [string, number][] = [
    [t('campaign.sent'), p.sent],
    [t('campaign.queued'), p.queued + p.sending],
    [t('campaign.failed'), p.failed],
    [t('campaign.suppressed'), p.suppressed],
    [t('campaign.cancelledCount'), p.cancelled],
    [t('campaign.opened'), engagement.opened],
    [t('campaign.clicked'), engagement.clicked],
  ]
  return (
    <>
      <PageHeader title={c.name} />
      <Card>
        <p className="mb-2 flex flex-wrap items-center gap-3">
          <Badge tone={c.status === 'completed' ? 'green' : c.status === 'cancelled' ? 'red' : c.status === 'sending' ? 'amber' : 'slate'}>
            {t(`campaign.status.${c.status}`)}
          </Badge>
          {c.status === 'scheduled' && c.scheduled_at ? <span>{t('campaign.scheduledFor', { date: formatDateTime(c.scheduled_at) })}</span> : null}
        </p>
        {refused && 'error' in refused ? <Alert tone="error">{refused.error}</Alert> : null}
        <h2 className="mt-4 text-lg font-semibold">{t('campaign.progress')}</h2>
        <dl className="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4" aria-live="polite">
          {figures.map(([label, n]) => (
            <div key={label} className="rounded border border-slate-200 p-3">
              <dt className="text-sm text-slate-600">{label}</dt>
              <dd className="text-xl font-semibold tabular-nums">{n}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-sm text-slate-600">{t('campaign.openNote')}</p>
        <div className="mt-4 flex flex-wrap gap-3">
          {c.status === 'sending' || c.status === 'scheduled' ? <Intent name="pause" label={t('campaign.pause')} /> : null}
          {c.status === 'paused' ? <Intent name="resume" label={t('campaign.resume')} /> : null}
          {c.status !== 'cancelled' && c.status !== 'completed' ? <Intent name="cancel" label={t('campaign.cancel')} variant="secondary" /> : null}
        </div>
      </Card>
      <Card>
        <h2 className="text-lg font-semibold">{c.subject}</h2>
        <div className="mt-2 whitespace-pre-wrap text-sm">{c.body}</div>
        {c.button_label ? (
          <p className="mt-2 text-sm">
            {c.button_label} → {c.button_url}
          </p>
        ) : null}
      </Card>
    </>
  )
}

function Intent({ name, label, variant }: { name: string; label: string; variant?: 'secondary' }) {
  return (
    <Form method="post">
      <AuthenticityTokenInput />
      <input type="hidden" name="intent" value={name} />
      <Button variant={variant}>{label}</Button>
    </Form>
  )
}

export function ErrorBoundary() {
  return <Alert tone="error">Campagne introuvable.</Alert>
}
