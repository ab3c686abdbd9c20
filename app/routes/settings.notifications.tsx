import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import type { MessageKey } from '~/i18n/i18n'
import { useT } from '~/i18n/use-t'
import { z } from 'zod'
import { requireUser, requireUserForm } from '~/utils/auth.server'
import { field, parseForm } from '~/utils/form-schema.server'
import { CONFIGURABLE_KINDS } from '../../domain/notifications/kinds'
import { preferencesFor, setPreferences } from '../../domain/notifications/preferences'

// Each user picks, per reminder kind, the channels they want: e-mail and/or in-app.
// One form of checkboxes; every configurable kind is written at each save (an
// unchecked box is simply absent from the post).

export const meta: MetaFunction = () => [{ title: 'Préférences de notification — Alforis CRM' }]

const CHANNELS = ['email', 'in_app', 'push'] as const

// "task_reminder_j1.email" reads as { task_reminder_j1: { email } }: a kind with no box ticked is not posted at all.
const channels = z.object({ email: field.checkbox(), in_app: field.checkbox(), push: field.checkbox() }).default({})
const preferencesSchema = z.object(Object.fromEntries(CONFIGURABLE_KINDS.map((kind) => [kind, channels])))

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const prefs = await preferencesFor(context.runtime.db, auth.user.id)
  return {
    email: auth.user.email,
    saved: new URL(request.url).searchParams.get('enregistre') === '1',
    kinds: CONFIGURABLE_KINDS.map((kind) => ({ kind, ...prefs[kind] })),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const parsed = parseForm(auth.form, preferencesSchema, auth)
  // Only a hand-made post has another shape: the page shows no field errors.
  if (!parsed.ok) throw new Response('bad request', { status: 400, statusText: 'Bad Request' })
  const preferences = Object.fromEntries(CONFIGURABLE_KINDS.map((kind) => [kind, parsed.value[kind]]))
  await setPreferences(context.runtime.db, { workspaceId: auth.user.workspaceId, userId: auth.user.id, preferences })
  return redirect('/settings/notifications?enregistre=1')
}

export default function NotificationSettings() {
  const { kinds, saved, email } = useLoaderData<typeof loader>()
  const t = useT()
  const channelLabel = { email: t('prefs.email'), in_app: t('prefs.inApp'), push: t('prefs.push') }
  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title={t('prefs.title')} subtitle={t('prefs.subtitle')} />
      {saved ? (
        <div className="mb-4">
          <Alert tone="success">{t('prefs.saved')}</Alert>
        </div>
      ) : null}
      <Card>
        <Form method="post">
          <AuthenticityTokenInput />
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('prefs.title')}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-slate-700">
                <th scope="col" className="py-2 pr-4 font-semibold">
                  {t('prefs.kind')}
                </th>
                {CHANNELS.map((c) => (
                  <th key={c} scope="col" className="w-28 px-2 py-2 text-center font-semibold">
                    {channelLabel[c]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {kinds.map((k) => {
                const kindLabel = t(`prefs.kind.${k.kind}` as MessageKey)
                return (
                  <tr key={k.kind}>
                    <th scope="row" className="py-3 pr-4 font-medium text-slate-900">
                      {kindLabel}
                    </th>
                    {CHANNELS.map((c) => (
                      <td key={c} className="px-2 py-3 text-center">
                        <input
                          type="checkbox"
                          name={`${k.kind}.${c}`}
                          defaultChecked={k[c]}
                          aria-label={t('prefs.kindOn', { kind: kindLabel, channel: channelLabel[c] })}
                          className="h-5 w-5 rounded border-slate-400 accent-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                        />
                      </td>
                    ))}
                  </tr>
                )
              })}
            </tbody>
          </table>
          <p className="mt-4 text-sm text-slate-600">{t('prefs.emailTo', { email })}</p>
          <p className="mt-2 text-sm">
            <Link to="/settings/push" className="font-medium text-indigo-700 underline hover:text-indigo-900">
              {t('prefs.devicesLink')}
            </Link>
          </p>
          <div className="mt-4">
            <Button>{t('common.save')}</Button>
          </div>
        </Form>
      </Card>
    </div>
  )
}
