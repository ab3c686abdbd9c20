import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { TaskFields } from '~/components/task-fields'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { createTaskCommand } from '../../domain/tasks/task.commands'
import { requireUser, requireUserForm } from '~/utils/auth.server'
import { safeRedirectTo } from '~/utils/redirect-to.server'
import { findVisibleContact } from '~/utils/contacts.server'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, isUuid, type FormFailure } from '~/utils/forms.server'
import { findVisibleDeal, findVisibleOrganisation, streamIdOfCommand } from '~/utils/records.server'
import { allTaskErrors, linkErrors, postedTaskValues, readTaskFields, taskFormSchema, taskFormOptions } from '~/utils/task-form.server'

export const meta: MetaFunction = () => [{ title: 'Nouvelle tâche — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const p = new URL(request.url).searchParams
  const id = (k: string) => (isUuid(p.get(k)) ? p.get(k)! : null)
  // Prefilled from a record page ("Nouvelle tâche" on a deal…) or a calendar day.
  const [organisation, contact, deal, options] = await Promise.all([
    id('organisation') ? findVisibleOrganisation(auth, id('organisation')!) : null,
    id('contact') ? findVisibleContact(auth, id('contact')!) : null,
    id('deal') ? findVisibleDeal(auth, id('deal')!) : null,
    taskFormOptions(auth),
  ])
  const orgId = organisation?.id ?? deal?.organisation_id ?? contact?.organisation_id ?? ''
  const date = /^\d{4}-\d{2}-\d{2}$/.test(p.get('date') ?? '') ? p.get('date')! : ''
  return {
    options,
    commandId: randomUUID(),
    redirectTo: safeRedirectTo(p.get('redirectTo'), ''),
    defaults: {
      assignee_id: auth.user.id,
      priority: 'normale',
      due_date: date,
      organisation_id: options.organisations.some((o) => o.id === orgId) ? orgId : '',
      contact_id: contact?.id ?? '',
      deal_id: deal?.id ?? '',
      recurrence: 'none',
      recurrence_end: 'never',
      recurrence_interval: '1',
    } as Record<string, string>,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const { form } = auth
  const values = postedTaskValues(form, formValues(form))
  const parsed = parseForm(form, taskFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const { fields, errors } = readTaskFields(parsed.value, auth)
  Object.assign(errors, linkErrors(fields, await taskFormOptions(auth), auth.t))
  if (Object.keys(errors).length) return failure(values, allTaskErrors(fields, errors, auth.locale), 400)
  const commandId = commandIdOf(form)
  let id: string = randomUUID()
  try {
    const result = await createTaskCommand(context.runtime.db, auth.ctx(commandId), { id, fields }, { mail: context.runtime.jobs })
    if (result.duplicate && commandId) id = (await streamIdOfCommand(auth, commandId)) ?? id
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  const back = safeRedirectTo(form.get('redirectTo'), '')
  throw redirect(back ? `${back}#taches` : `/tasks/${id}?cree=1`)
}

export default function NewTask() {
  const { options, commandId, defaults, redirectTo } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  return (
    <>
      <PageHeader title={t('task.new')} />
      <Card>
        <Form method="post" noValidate className="space-y-6">
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={commandId} />
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <TaskFields values={failed?.values ?? defaults} errors={failed?.errors ?? {}} options={options} />
          <div className="flex flex-wrap gap-3">
            <Button disabled={navigation.state === 'submitting'}>{t('common.create')}</Button>
            <LinkButton to={redirectTo || '/tasks'} variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}
