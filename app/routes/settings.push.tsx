import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { PushSubscribe } from '~/components/push-subscribe'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { translateProblem } from '~/i18n/errors'
import { useT } from '~/i18n/use-t'
import { requireUser, requireUserForm } from '~/utils/auth.server'
import { formatDateTime } from '~/utils/format'
import { listPushDevices, parsePushSubscription, removePushSubscription, savePushSubscription } from '../../domain/notifications/push-subscriptions'
import { vapidKeys } from '../../domain/notifications/push-vapid'
import { ValidationError } from '../../domain/shared/errors'
import { outboundPolicyFromEnv } from '../../domain/shared/outbound-http/outbound-policy'

// The devices that get this user's push notifications: subscribe this browser (JS),
// list them, remove one (a plain form). What each kind sends is chosen on
// /settings/notifications ("Sur mon téléphone").

export const meta: MetaFunction = () => [{ title: 'Notifications sur mes appareils — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const devices = await listPushDevices(context.runtime.db, auth.user.workspaceId, auth.user.id)
  return {
    publicKey: vapidKeys().publicKey,
    removed: new URL(request.url).searchParams.get('retire') === '1',
    devices: devices.map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), lastSuccessAt: d.lastSuccessAt?.toISOString() ?? null })),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const db = context.runtime.db
  const scope = { workspaceId: auth.user.workspaceId, userId: auth.user.id }
  const intent = auth.form.get('intent')
  if (intent === 'subscribe') {
    try {
      const raw = JSON.parse(String(auth.form.get('subscription') ?? 'null')) as unknown
      // Loopback http endpoints only under the same test switch that lets the sender reach them.
      const subscription = parsePushSubscription(raw, { allowLoopbackHttp: outboundPolicyFromEnv().allowLoopback })
      const { id } = await savePushSubscription(db, { ...scope, subscription, deviceLabel: String(auth.form.get('label') ?? ''), now: auth.now() })
      return { ok: true as const, id }
    } catch (e) {
      if (e instanceof SyntaxError || e instanceof ValidationError)
        return new Response(translateProblem(auth.locale, 'push.subscription.invalid'), { status: 400 })
      throw e
    }
  }
  if (intent === 'unsubscribe') {
    await removePushSubscription(db, { ...scope, endpoint: String(auth.form.get('endpoint') ?? '') })
    return { ok: true as const }
  }
  if (intent === 'remove') {
    await removePushSubscription(db, { ...scope, id: String(auth.form.get('id') ?? '') })
    return redirect('/settings/push?retire=1')
  }
  throw new Response('bad request', { status: 400, statusText: 'Bad Request' })
}

export default function PushSettings() {
  const { publicKey, devices, removed } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={t('push.title')} subtitle={t('push.subtitle')} />
      {removed ? (
        <div className="mb-4">
          <Alert tone="success">{t('push.removed')}</Alert>
        </div>
      ) : null}
      <Card>
        <PushSubscribe publicKey={publicKey} />
        <p className="mt-4 text-sm">
          <Link to="/settings/notifications" className="font-medium text-indigo-700 underline hover:text-indigo-900">
            {t('push.preferencesLink')}
          </Link>
        </p>
      </Card>
      <section aria-labelledby="push-devices" className="mt-6">
        <h2 id="push-devices" className="mb-2 text-lg font-semibold text-slate-900">
          {t('push.devices')}
        </h2>
        {devices.length === 0 ? (
          <p className="text-sm text-slate-700">{t('push.noDevices')}</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
            {devices.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                <div className="text-sm">
                  <p className="font-medium text-slate-900">{d.label}</p>
                  <p className="text-slate-600">{t('push.addedOn', { date: formatDateTime(d.createdAt) })}</p>
                  {d.lastSuccessAt ? <p className="text-slate-600">{t('push.lastSent', { date: formatDateTime(d.lastSuccessAt) })}</p> : null}
                  {d.lastFailure ? <p className="text-red-800">{t('push.lastFailure', { detail: d.lastFailure })}</p> : null}
                </div>
                <Form method="post">
                  <AuthenticityTokenInput />
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="id" value={d.id} />
                  <Button variant="secondary" aria-label={t('push.removeDevice', { name: d.label })}>
                    {t('push.remove')}
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}
