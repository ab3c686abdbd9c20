import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { EndpointFields } from '~/components/webhooks/endpoint-fields'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { parseForm } from '~/utils/form-schema.server'
import { domainFailure } from '~/utils/forms.server'
import { endpointFormSchema, endpointInputOf, postedEndpoint } from '~/utils/webhooks-form.server'
import { canAdminister } from '../../domain/identity/roles'
import { outboundPolicyFromEnv } from '../../domain/shared/outbound-http/outbound-policy'
import { createEndpoint } from '../../domain/webhooks/endpoints'

// Outbound webhooks, for admins: the endpoints of the workspace and a form to add one.
// The new endpoint's secret is shown once, in the answer to the form (never stored in
// clear, never shown again: rotate it on the endpoint's page if it is lost).

export const meta: MetaFunction = () => [{ title: 'Webhooks sortants — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  const endpoints = await auth.tenant
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'description', 'event_types', 'enabled', 'disabled_reason', 'consecutive_failures'])
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return { endpoints, privateSwitch: !!outboundPolicyFromEnv().privateNetworkSwitch }
}

type ActionResult =
  { ok: true; created: { id: string; url: string; secret: string } } | { ok: false; errors: Record<string, string>; values: ReturnType<typeof postedEndpoint> }

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  const values = postedEndpoint(auth.form)
  const parsed = parseForm(auth.form, endpointFormSchema, auth)
  if (!parsed.ok) return data<ActionResult>({ ok: false, errors: parsed.fieldErrors, values }, { status: 422 })
  try {
    const input = endpointInputOf(parsed.value)
    const { id, secret } = await createEndpoint(
      context.runtime.db,
      { workspaceId: auth.user.workspaceId, actorId: auth.user.id, now: auth.now(), policy: outboundPolicyFromEnv() },
      input,
    )
    return data<ActionResult>({ ok: true, created: { id, url: input.url.trim(), secret } })
  } catch (e) {
    const f = domainFailure(e, {}, auth)
    return data<ActionResult>({ ok: false, errors: f.data.errors, values }, { status: f.init?.status ?? 422 })
  }
}

export default function WebhooksSettings() {
  const { endpoints, privateSwitch } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const t = useT()
  const failed = result && !result.ok ? result : null
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={t('webhooks.title')} subtitle={t('webhooks.subtitle')} />
      {result?.ok ? (
        <section aria-labelledby="secret-title" className="mb-6">
          <Alert tone="success">
            <h2 id="secret-title" className="font-semibold">
              {t('webhooks.created')} {t('webhooks.secretTitle')}
            </h2>
            <p className="mt-1">{t('webhooks.secretOnce')}</p>
            <p className="mt-2">
              <label htmlFor="new-secret" className="block text-sm font-medium">
                {t('webhooks.secretLabel')}
              </label>
              <input
                id="new-secret"
                readOnly
                value={result.created.secret}
                className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm text-slate-900"
              />
            </p>
            <p className="mt-2">
              <Link to={`/settings/webhooks/${result.created.id}`} className="font-medium underline">
                {t('webhooks.open', { url: result.created.url })}
              </Link>
            </p>
          </Alert>
        </section>
      ) : null}
      <section aria-labelledby="endpoints-title" className="mb-6">
        <h2 id="endpoints-title" className="mb-2 text-lg font-semibold text-slate-900">
          {t('webhooks.list')}
        </h2>
        {endpoints.length === 0 ? (
          <p className="text-sm text-slate-700">{t('webhooks.empty')}</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
            {endpoints.map((e) => (
              <li key={e.id} className="flex flex-wrap items-start justify-between gap-3 px-4 py-3">
                <div className="min-w-0 text-sm">
                  <Link to={`/settings/webhooks/${e.id}`} className="break-all font-medium text-indigo-800 underline hover:text-indigo-950">
                    {e.description || e.url}
                  </Link>
                  {e.description ? <p className="break-all text-slate-600">{e.url}</p> : null}
                  <p className="mt-1 text-slate-700">{e.event_types.map((type) => t(`webhooks.eventType.${type}` as MessageKey)).join(', ')}</p>
                  {e.enabled && e.consecutive_failures > 0 ? (
                    <p className="text-red-800">{t('webhooks.failuresInRow', { count: e.consecutive_failures })}</p>
                  ) : null}
                </div>
                <Badge tone={e.enabled ? 'green' : e.disabled_reason === 'failures' ? 'red' : 'slate'}>
                  {t(e.enabled ? 'webhooks.status.enabled' : e.disabled_reason === 'failures' ? 'webhooks.status.failures' : 'webhooks.status.disabled')}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </section>
      <Card title={t('webhooks.add')}>
        <Form method="post" noValidate key={result?.ok ? result.created.id : 'nouveau'}>
          <AuthenticityTokenInput />
          <EndpointFields
            values={failed?.values ?? { url: '', description: '', eventTypes: [], allowPrivateNetwork: false }}
            errors={failed?.errors ?? {}}
            privateSwitch={privateSwitch}
          />
          <div className="mt-4">
            <Button type="submit">{t('webhooks.create')}</Button>
          </div>
        </Form>
      </Card>
    </div>
  )
}
