import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { CheckIn } from '~/components/check-in'
import { HistoryList } from '~/components/history-list'
import { ACTIVITY_KIND_CODES } from '~/components/log-activity-form'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { deleteActivityCommand, updateActivityCommand } from '../../domain/crm/contact.commands'
import { validateActivityFields } from '../../domain/crm/activity.decide'
import { listCheckIns } from '../../domain/crm/check-in'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '~/i18n/errors'
import { activityFormSchema, findVisibleActivity, readActivityFields, recordPathOf } from '~/utils/activities.server'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { safeRedirectTo } from '~/utils/redirect-to.server'
import { fullName } from '~/utils/contacts.server'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { historyOf } from '~/utils/history.server'
import { toParisLocalInput } from '../../domain/shared/paris-time'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

// Editing or deleting one activity: its author, the managers of its records, admins.
// (`activities_` keeps this page out of /activities' layout: that route is the log form.)

export const meta: MetaFunction = () => [{ title: 'Activité — Alforis CRM' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const found = await findVisibleActivity(auth, params.id ?? '')
  if (!found) throw notFound()
  if (!found.canChange) throw forbidden()
  const { activity: a, organisation, contact, deal } = found
  const back = safeRedirectTo(new URL(request.url).searchParams.get('redirectTo'), recordPathOf(a))
  return {
    activity: { id: a.id, version: a.version, kind: a.kind, subject: a.subject },
    values: {
      kind: a.kind,
      subject: a.subject,
      body: a.body ?? '',
      occurred_at: toParisLocalInput(a.occurred_at),
      duration_minutes: a.duration_minutes === null ? '' : String(a.duration_minutes),
    },
    records: [
      organisation ? { path: `/organisations/${organisation.id}`, label: organisation.name } : null,
      contact ? { path: `/contacts/${contact.id}`, label: fullName(contact) } : null,
      deal ? { path: `/deals/${deal.id}`, label: deal.title } : null,
    ].filter((r) => r !== null),
    back,
    history: await historyOf(auth, a.id),
    commandIds: { update: randomUUID(), delete: randomUUID() },
    // "Je suis arrivé" (meetings only).
    checkIns:
      a.kind === 'meeting' ? (await listCheckIns(context.runtime.db, auth.user.workspaceId, a.id)).map((c) => ({ ...c, at: c.at.toISOString() })) : null,
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const found = await findVisibleActivity(auth, params.id ?? '')
  if (!found) throw notFound()
  if (!found.canChange) throw forbidden()
  const { activity } = found
  const { form } = auth
  const values = formValues(form)
  const expectedVersion = Number(form.get('version'))
  if (!Number.isSafeInteger(expectedVersion)) return failure(values, {}, 400, auth.t('errors.generic'))
  const back = safeRedirectTo(form.get('redirectTo'), recordPathOf(activity))
  const ctx = auth.ctx(commandIdOf(form))
  const db = context.runtime.db

  if (form.get('intent') === 'delete') {
    try {
      await deleteActivityCommand(db, ctx, { id: activity.id, expectedVersion })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect(`${back}#activites`)
  }

  // The records it is attached to do not move from this form.
  form.set('organisation_id', activity.organisation_id ?? '')
  form.set('contact_id', activity.contact_id ?? '')
  form.set('deal_id', activity.deal_id ?? '')
  const parsed = parseForm(form, activityFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const { fields, errors } = readActivityFields(parsed.value, auth.t)
  if (Object.keys(errors).length) {
    try {
      validateActivityFields(fields)
    } catch (e) {
      if (e instanceof ValidationError) return failure(values, { ...fieldErrorsOf(auth.locale, e), ...errors }, 400)
    }
    return failure(values, errors, 400)
  }
  try {
    await updateActivityCommand(db, ctx, { id: activity.id, expectedVersion, fields })
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`${back}#activite-${activity.id}`)
}

export default function ActivityPage() {
  const { activity: a, values: stored, records, back, history, commandIds, checkIns } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const deleteFailed = failed?.values.intent === 'delete' ? failed : undefined
  const updateFailed = failed && !deleteFailed ? failed : undefined
  const values = updateFailed?.values ?? stored
  const errors = updateFailed?.errors ?? {}
  const confirmDelete = search.get('supprimer') === '1' || !!deleteFailed
  const busy = navigation.state === 'submitting'
  const keep = `?redirectTo=${encodeURIComponent(back)}`
  return (
    <>
      <PageHeader
        title={t('activity.editTitle')}
        subtitle={
          <span className="flex flex-wrap gap-x-3">
            <span>{t('activity.attachedTo')} :</span>
            {records.map((r) => (
              <Link key={r.path} to={r.path} className="font-medium text-indigo-800 hover:underline">
                {r.label}
              </Link>
            ))}
          </span>
        }
        actions={
          confirmDelete ? null : (
            <LinkButton to={`${keep}&supprimer=1#supprimer`} variant="secondary" className="text-red-800">
              {t('activity.delete')}
            </LinkButton>
          )
        }
      />
      {checkIns ? (
        <section aria-label={t('checkin.button')} className="mb-6">
          <CheckIn activityId={a.id} checkIns={checkIns} />
        </section>
      ) : null}
      {confirmDelete ? (
        <section id="supprimer" aria-labelledby="supprimer-titre" className="mb-6 rounded-lg border border-red-300 bg-red-50 p-4 sm:p-6">
          <h2 id="supprimer-titre" className="text-base font-semibold text-red-900">
            {t('activity.delete')}
          </h2>
          {deleteFailed?.formError ? (
            <div className="mt-2">
              <Alert tone="error">{deleteFailed.formError}</Alert>
            </div>
          ) : null}
          <p className="mt-2 text-sm text-red-900">{t('activity.deleteConfirm')}</p>
          <Form method="post" className="mt-4 flex flex-wrap gap-3">
            <AuthenticityTokenInput />
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="commandId" value={commandIds.delete} />
            <input type="hidden" name="version" value={a.version} />
            <input type="hidden" name="redirectTo" value={back} />
            <Button variant="danger" disabled={busy}>
              {t('activity.deleteConfirmButton')}
            </Button>
            <LinkButton to={keep} variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </Form>
        </section>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Form method="post" noValidate className="space-y-4" key={a.version}>
            <AuthenticityTokenInput />
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="commandId" value={commandIds.update} />
            <input type="hidden" name="version" value={a.version} />
            <input type="hidden" name="redirectTo" value={back} />
            {updateFailed ? <Alert tone="error">{updateFailed.formError ?? t('errors.formSummary')}</Alert> : null}
            <SelectField name="kind" label={t('activity.kind')} required defaultValue={values.kind} error={errors.kind}>
              {ACTIVITY_KIND_CODES.map((k) => (
                <option key={k} value={k}>
                  {t(`activity.kind.${k}`)}
                </option>
              ))}
            </SelectField>
            <TextField
              name="subject"
              maxLength={TEXT_LIMITS.subject}
              label={t('activity.subject')}
              required
              defaultValue={values.subject}
              error={errors.subject}
              autoComplete="off"
            />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                name="occurred_at"
                type="datetime-local"
                label={t('activity.occurredAt')}
                required
                defaultValue={values.occurred_at}
                error={errors.occurred_at}
                hint={t('activity.occurredAtHint')}
              />
              <TextField
                name="duration_minutes"
                label={t('activity.duration')}
                defaultValue={values.duration_minutes}
                error={errors.duration_minutes}
                hint={t('activity.durationHint')}
                inputMode="numeric"
                autoComplete="off"
              />
            </div>
            <TextAreaField name="body" maxLength={TEXT_LIMITS.body} label={t('activity.body')} defaultValue={values.body} error={errors.body} rows={6} />
            <div className="flex flex-wrap gap-3">
              <Button disabled={busy}>{t('common.save')}</Button>
              <LinkButton to={back} variant="secondary">
                {t('common.cancel')}
              </LinkButton>
            </div>
          </Form>
        </Card>
        <Card title={t('common.history')} className="self-start">
          <HistoryList items={history} />
        </Card>
      </div>
    </>
  )
}
