import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Badge, type BadgeTone } from '~/components/ui/badge'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { EndpointFields } from '~/components/webhooks/endpoint-fields'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { formatDateTime } from '~/utils/format'
import { parseForm } from '~/utils/form-schema.server'
import { domainFailure, isUuid } from '~/utils/forms.server'
import { endpointFormSchema, endpointInputOf, postedEndpoint } from '~/utils/webhooks-form.server'
import { canAdminister } from '../../domain/identity/roles'
import { outboundPolicyFromEnv } from '../../domain/shared/outbound-http/outbound-policy'
import { redeliver, resumeEndpoint } from '../../domain/webhooks/deliver'
import { rotateSecret, setEndpointEnabled, updateEndpoint } from '../../domain/webhooks/endpoints'
import { DISABLE_AFTER_FAILURES } from '../../domain/webhooks/webhook-deps'

// One endpoint, for admins: its settings, on/off, a new secret (shown once, the old one
// signing beside it for 24 hours), and its delivery log — each delivery's request, its
// attempts (status, time, the start of the answer) and "Renvoyer" for one that failed for
// good or that the receiver lost. Every form works without JavaScript.

export const meta: MetaFunction = () => [{ title: 'Webhook — Alforis CRM' }]

const PAGE = 25
const FILTERS = ['dead', 'pending'] as const
const TONE: Record<string, BadgeTone> = { succeeded: 'green', pending: 'amber', dead: 'red' }

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  if (!isUuid(params.id)) throw notFound()
  const endpoint = await auth.tenant
    .selectFrom('webhook_endpoints')
    .select([
      'id',
      'url',
      'description',
      'event_types',
      'enabled',
      'disabled_reason',
      'consecutive_failures',
      'allow_private_network',
      'previous_secret_expires_at',
    ])
    .where('id', '=', params.id)
    .executeTakeFirst()
  if (!endpoint) throw notFound()
  const url = new URL(request.url)
  const filter = FILTERS.find((f) => f === url.searchParams.get('etat')) ?? null
  const before = url.searchParams.get('avant')
  let q = auth.tenant
    .selectFrom('webhook_deliveries')
    .select(['id', 'event_type', 'status', 'attempts', 'next_attempt_at', 'created_at', 'payload'])
    .where('endpoint_id', '=', endpoint.id)
  if (filter) q = q.where('status', '=', filter)
  if (isUuid(before)) {
    const cursor = await auth.tenant.selectFrom('webhook_deliveries').select('created_at').where('id', '=', before).executeTakeFirst()
    if (cursor)
      q = q.where((eb) => eb.or([eb('created_at', '<', cursor.created_at), eb.and([eb('created_at', '=', cursor.created_at), eb('id', '<', before)])]))
  }
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(PAGE + 1)
    .execute()
  const page = rows.slice(0, PAGE)
  const attempts = page.length
    ? await auth.tenant
        .selectFrom('webhook_attempts')
        .select(['delivery_id', 'attempt', 'started_at', 'duration_ms', 'response_status', 'response_excerpt', 'error', 'manual'])
        .where(
          'delivery_id',
          'in',
          page.map((d) => d.id),
        )
        .orderBy('attempt')
        .execute()
    : []
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)
  return {
    endpoint: { ...endpoint, previous_secret_expires_at: iso(endpoint.previous_secret_expires_at) },
    filter,
    privateSwitch: !!outboundPolicyFromEnv().privateNetworkSwitch,
    deliveries: page.map((d) => ({
      ...d,
      created_at: iso(d.created_at)!,
      next_attempt_at: iso(d.next_attempt_at),
      attempts: attempts.filter((a) => a.delivery_id === d.id).map((a) => ({ ...a, started_at: iso(a.started_at)! })),
    })),
    next: rows.length > PAGE ? page.at(-1)!.id : null,
    done: url.searchParams.get('fait'),
  }
}

type ActionResult =
  { ok: true; secret: string; previousUntil: string } | { ok: false; errors: Record<string, string>; values: ReturnType<typeof postedEndpoint> }

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canAdminister(auth.actor)) throw forbidden()
  if (!isUuid(params.id)) throw notFound()
  const id = params.id
  const exists = await auth.tenant.selectFrom('webhook_endpoints').select('id').where('id', '=', id).executeTakeFirst()
  if (!exists) throw notFound()
  const db = context.runtime.db
  const scope = { workspaceId: auth.user.workspaceId, now: auth.now() }
  const deps = context.runtime.webhooks.deps
  const back = (done: string) => redirect(`/settings/webhooks/${id}?fait=${done}`)
  switch (auth.form.get('intent')) {
    case 'update': {
      const values = postedEndpoint(auth.form)
      const parsed = parseForm(auth.form, endpointFormSchema, auth)
      if (!parsed.ok) return data<ActionResult>({ ok: false, errors: parsed.fieldErrors, values }, { status: 422 })
      try {
        await updateEndpoint(db, { ...scope, policy: outboundPolicyFromEnv() }, id, endpointInputOf(parsed.value))
      } catch (e) {
        const f = domainFailure(e, {}, auth)
        return data<ActionResult>({ ok: false, errors: f.data.errors, values }, { status: f.init?.status ?? 422 })
      }
      return back('enregistre')
    }
    case 'enable':
      await setEndpointEnabled(db, scope, id, true)
      await resumeEndpoint(deps, scope, id)
      return back('active')
    case 'disable':
      await setEndpointEnabled(db, scope, id, false)
      return back('desactive')
    case 'rotate': {
      const { secret } = await rotateSecret(db, scope, id)
      const row = await auth.tenant.selectFrom('webhook_endpoints').select('previous_secret_expires_at').where('id', '=', id).executeTakeFirstOrThrow()
      return data<ActionResult>({ ok: true, secret, previousUntil: new Date(row.previous_secret_expires_at!).toISOString() })
    }
    case 'redeliver': {
      const delivery = String(auth.form.get('delivery') ?? '')
      if (isUuid(delivery)) {
        const own = await auth.tenant.selectFrom('webhook_deliveries').select('id').where('id', '=', delivery).where('endpoint_id', '=', id).executeTakeFirst()
        if (own) await redeliver(deps, scope, delivery)
      }
      return back('renvoye')
    }
  }
  throw new Response('bad request', { status: 400, statusText: 'Bad Request' })
}

const DONE: Record<string, MessageKey> = {
  enregistre: 'webhooks.saved',
  active: 'webhooks.enabledNow',
  desactive: 'webhooks.disabledNow',
  renvoye: 'webhooks.redelivered',
}

function Intent({ name, label, variant = 'secondary', ariaLabel }: { name: string; label: string; variant?: 'primary' | 'secondary'; ariaLabel?: string }) {
  return (
    <Form method="post">
      <AuthenticityTokenInput />
      <input type="hidden" name="intent" value={name} />
      <Button type="submit" variant={variant} aria-label={ariaLabel}>
        {label}
      </Button>
    </Form>
  )
}

export default function WebhookEndpoint() {
  const { endpoint, deliveries, filter, next, done, privateSwitch } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [search] = useSearchParams()
  const t = useT()
  const failed = result && !result.ok ? result : null
  const doneKey = done ? DONE[done] : undefined
  const tab = (f: string | null) =>
    `rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${f === filter ? 'bg-indigo-50 text-indigo-800' : 'text-slate-700 hover:bg-slate-100'}`
  const base = `/settings/webhooks/${endpoint.id}`
  return (
    <div className="mx-auto max-w-4xl">
      <p className="mb-2 text-sm">
        <Link to="/settings/webhooks" className="font-medium text-indigo-800 underline">
          ← {t('webhooks.back')}
        </Link>
      </p>
      <PageHeader
        title={<span className="break-all">{endpoint.description || endpoint.url}</span>}
        subtitle={endpoint.description ? <span className="break-all">{endpoint.url}</span> : undefined}
      />
      <div className="mb-4 space-y-3">
        {doneKey ? <Alert tone="success">{t(doneKey)}</Alert> : null}
        {result?.ok ? (
          <Alert tone="success">
            <p>{t('webhooks.rotated', { date: formatDateTime(result.previousUntil) })}</p>
            <p className="mt-1">{t('webhooks.secretOnce')}</p>
            <label htmlFor="new-secret" className="mt-2 block text-sm font-medium">
              {t('webhooks.secretLabel')}
            </label>
            <input
              id="new-secret"
              readOnly
              value={result.secret}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm text-slate-900"
            />
          </Alert>
        ) : null}
        {!endpoint.enabled ? (
          <Alert tone="warning">
            {endpoint.disabled_reason === 'failures' ? t('webhooks.failuresNote', { count: DISABLE_AFTER_FAILURES }) : t('webhooks.disabledNote')}
          </Alert>
        ) : endpoint.consecutive_failures > 0 ? (
          <Alert tone="warning">{t('webhooks.failuresInRow', { count: endpoint.consecutive_failures })}</Alert>
        ) : null}
      </div>
      <div className="mb-6 flex flex-wrap items-start gap-3">
        <Badge tone={endpoint.enabled ? 'green' : endpoint.disabled_reason === 'failures' ? 'red' : 'slate'}>
          {t(endpoint.enabled ? 'webhooks.status.enabled' : endpoint.disabled_reason === 'failures' ? 'webhooks.status.failures' : 'webhooks.status.disabled')}
        </Badge>
        {endpoint.enabled ? <Intent name="disable" label={t('webhooks.disable')} /> : <Intent name="enable" label={t('webhooks.enable')} variant="primary" />}
        <div>
          <Intent name="rotate" label={t('webhooks.rotate')} />
          <p className="mt-1 max-w-xs text-xs text-slate-600">{t('webhooks.rotateHint')}</p>
        </div>
      </div>

      <section aria-labelledby="log-title" className="mb-8">
        <h2 id="log-title" className="mb-2 text-lg font-semibold text-slate-900">
          {t('webhooks.log')}
        </h2>
        <nav aria-label={t('webhooks.log')} className="mb-3 flex flex-wrap gap-2">
          <Link to={base} className={tab(null)} aria-current={filter === null ? 'page' : undefined}>
            {t('webhooks.filterAll')}
          </Link>
          <Link to={`${base}?etat=dead`} className={tab('dead')} aria-current={filter === 'dead' ? 'page' : undefined}>
            {t('webhooks.filterDead')}
          </Link>
          <Link to={`${base}?etat=pending`} className={tab('pending')} aria-current={filter === 'pending' ? 'page' : undefined}>
            {t('webhooks.filterPending')}
          </Link>
        </nav>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-700">{t('webhooks.logEmpty')}</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white">
            {deliveries.map((d) => {
              const last = d.attempts.at(-1)
              const typeLabel = t(`webhooks.eventType.${d.event_type}` as MessageKey)
              return (
                <li key={d.id} className="px-4 py-3 text-sm">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <div className="min-w-0">
                      <span className="font-medium text-slate-900">{typeLabel}</span>{' '}
                      <time dateTime={d.created_at} className="text-slate-600">
                        {formatDateTime(d.created_at)}
                      </time>
                      {last ? (
                        <span className="ml-2 text-slate-700">
                          {last.response_status ?? t('webhooks.noAnswer')} · {t('webhooks.duration', { ms: last.duration_ms })}
                        </span>
                      ) : null}
                    </div>
                    <div className="flex items-center gap-2">
                      <Badge tone={TONE[d.status]}>{t(`webhooks.delivery.${d.status}` as MessageKey)}</Badge>
                      {d.status !== 'pending' ? (
                        <Form method="post">
                          <AuthenticityTokenInput />
                          <input type="hidden" name="intent" value="redeliver" />
                          <input type="hidden" name="delivery" value={d.id} />
                          <Button
                            type="submit"
                            variant="secondary"
                            aria-label={t('webhooks.redeliverLabel', { type: typeLabel, date: formatDateTime(d.created_at) })}
                          >
                            {t('webhooks.redeliver')}
                          </Button>
                        </Form>
                      ) : null}
                    </div>
                  </div>
                  {d.status === 'pending' && d.next_attempt_at ? (
                    <p className="mt-1 text-slate-700">{t('webhooks.nextAttempt', { date: formatDateTime(d.next_attempt_at) })}</p>
                  ) : null}
                  {last?.error ? <p className="mt-1 text-red-800">{last.error}</p> : null}
                  <details className="mt-2">
                    <summary className="cursor-pointer text-indigo-800 underline">
                      {t('webhooks.attempts')} ({d.attempts.length})
                    </summary>
                    <h3 className="mt-2 font-medium text-slate-800">{t('webhooks.request')}</h3>
                    <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs text-slate-800">{d.payload}</pre>
                    <ol className="mt-2 space-y-2">
                      {d.attempts.map((a) => (
                        <li key={a.attempt} className="rounded border border-slate-200 p-2">
                          <p className="font-medium text-slate-800">
                            {t(a.manual ? 'webhooks.attemptManual' : 'webhooks.attempt', { n: a.attempt })} ·{' '}
                            <time dateTime={a.started_at}>{formatDateTime(a.started_at)}</time> · {a.response_status ?? t('webhooks.noAnswer')} ·{' '}
                            {t('webhooks.duration', { ms: a.duration_ms })}
                          </p>
                          {a.error ? <p className="text-red-800">{a.error}</p> : null}
                          {a.response_excerpt ? (
                            <>
                              <p className="mt-1 text-slate-700">{t('webhooks.response')}</p>
                              <pre className="mt-1 max-h-32 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs text-slate-800">
                                {a.response_excerpt}
                              </pre>
                            </>
                          ) : null}
                        </li>
                      ))}
                    </ol>
                  </details>
                </li>
              )
            })}
          </ul>
        )}
        {next ? (
          <p className="mt-3">
            <Link to={`${base}?${filter ? `etat=${filter}&` : ''}avant=${next}`} className="text-sm font-medium text-indigo-800 underline">
              {t('webhooks.older')} →
            </Link>
          </p>
        ) : null}
      </section>

      <Card title={t('webhooks.settings')}>
        <Form method="post" noValidate key={search.get('fait') ?? 'reglages'}>
          <AuthenticityTokenInput />
          <input type="hidden" name="intent" value="update" />
          <EndpointFields
            values={
              failed?.values ?? {
                url: endpoint.url,
                description: endpoint.description,
                eventTypes: endpoint.event_types,
                allowPrivateNetwork: endpoint.allow_private_network,
              }
            }
            errors={failed?.errors ?? {}}
            privateSwitch={privateSwitch}
          />
          <div className="mt-4">
            <Button type="submit">{t('webhooks.save')}</Button>
          </div>
        </Form>
      </Card>
    </div>
  )
}
