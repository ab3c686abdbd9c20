import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { createWorkflowCommand } from '../../domain/workflows/workflow.commands'
import { commandIdOf, domainFailure, formValues, type FormFailure } from '~/utils/forms.server'
import { streamIdOfCommand } from '~/utils/records.server'
import { requireWorkflowManager, requireWorkflowManagerForm } from '~/utils/workflows.server'

export const meta: MetaFunction = () => [{ title: 'Nouveau workflow — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireWorkflowManager(request, context)
  return { commandId: randomUUID() }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireWorkflowManagerForm(request, context)
  const { form } = auth
  const values = formValues(form)
  const commandId = commandIdOf(form)
  let id: string = randomUUID()
  try {
    const r = await createWorkflowCommand(context.runtime.db, auth.ctx(commandId), { id, name: values.name ?? '', description: values.description ?? '' })
    if (r.duplicate && commandId) id = (await streamIdOfCommand(auth, commandId)) ?? id
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/workflows/${id}?cree=1`)
}

export default function NewWorkflow() {
  const { commandId } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  return (
    <>
      <PageHeader title={t('wf.newTitle')} />
      <Card>
        <Form method="post" noValidate className="max-w-xl space-y-5">
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={commandId} />
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <TextField
            name="name"
            label={t('wf.name')}
            hint={t('wf.nameHint')}
            defaultValue={failed?.values.name ?? ''}
            error={failed?.errors.name}
            required
            maxLength={120}
          />
          <TextAreaField name="description" label={t('wf.description')} defaultValue={failed?.values.description ?? ''} error={failed?.errors.description} />
          <div className="flex flex-wrap gap-3">
            <Button disabled={navigation.state === 'submitting'}>{t('wf.create')}</Button>
            <LinkButton to="/workflows" variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}
