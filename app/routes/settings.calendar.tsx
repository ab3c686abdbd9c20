import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { requireUser, requireUserForm } from '~/utils/auth.server'
import { calendarTokenCreatedAt, feedBaseUrl, regenerateCalendarToken, revokeCalendarToken } from '~/utils/calendar-feed.server'
import { formatDateTime } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Abonnement agenda — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const createdAt = await calendarTokenCreatedAt(context.runtime.db, { workspaceId: auth.user.workspaceId, userId: auth.user.id })
  return { createdAt: createdAt?.toISOString() ?? null }
}

/**
 * Makes (or replaces) the private feed URL and shows it once, in the answer to the post:
 * only its hash is kept, so it cannot be shown again later — a new one can be made.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const who = { workspaceId: auth.user.workspaceId, userId: auth.user.id }
  if (auth.form.get('intent') === 'revoke') {
    await revokeCalendarToken(context.runtime.db, who)
    throw redirect('/settings/calendar?desactive=1')
  }
  const token = await regenerateCalendarToken(context.runtime.db, who)
  const url = `${feedBaseUrl(request)}/calendar/${token}.ics`
  return { url, webcal: url.replace(/^https?:/, 'webcal:') }
}

export default function CalendarSettings() {
  const { createdAt } = useLoaderData<typeof loader>()
  const created = useActionData<typeof action>()
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const busy = navigation.state === 'submitting'
  return (
    <>
      <PageHeader title={t('feed.title')} subtitle={t('feed.intro')} />
      <div className="space-y-6">
        {search.get('desactive') && !created ? <Alert tone="success">{t('feed.revoked')}</Alert> : null}
        {created ? (
          <Card>
            <p className="text-sm font-medium text-slate-900">{t('feed.newUrl')}</p>
            <label htmlFor="f-feed-url" className="sr-only">
              {t('feed.urlLabel')}
            </label>
            <input
              id="f-feed-url"
              readOnly
              value={created.url}
              onFocus={(e) => e.currentTarget.select()}
              className="mt-2 block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900"
            />
            <p className="mt-3 text-sm">
              <a href={created.webcal} className="font-medium text-indigo-800 hover:underline">
                {t('feed.webcal')}
              </a>
            </p>
            <p className="mt-3 text-xs text-amber-900">{t('feed.secret')}</p>
          </Card>
        ) : null}
        <Card>
          <p className="text-sm text-slate-800">
            {createdAt || created ? t('feed.active', { date: formatDateTime(created ? new Date() : createdAt) }) : t('feed.inactive')}
          </p>
          <div className="mt-4 flex flex-wrap items-start gap-3">
            <Form method="post">
              <AuthenticityTokenInput />
              <input type="hidden" name="intent" value="generate" />
              <Button disabled={busy}>{createdAt || created ? t('feed.regenerate') : t('feed.generate')}</Button>
              {createdAt || created ? <p className="mt-1 text-xs text-slate-600">{t('feed.regenerateHint')}</p> : null}
            </Form>
            {createdAt || created ? (
              <Form method="post">
                <AuthenticityTokenInput />
                <input type="hidden" name="intent" value="revoke" />
                <Button variant="secondary" disabled={busy}>
                  {t('feed.revoke')}
                </Button>
              </Form>
            ) : null}
          </div>
        </Card>
        <Card title={t('feed.howTo')}>
          <ul className="list-disc space-y-2 pl-5 text-sm text-slate-800">
            <li>{t('feed.outlook')}</li>
            <li>{t('feed.google')}</li>
            <li>{t('feed.apple')}</li>
          </ul>
          <p className="mt-3 text-xs text-slate-600">{t('feed.secret')}</p>
        </Card>
      </div>
    </>
  )
}
