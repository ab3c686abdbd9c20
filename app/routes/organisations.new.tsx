import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { OrganisationFields } from '~/components/organisation-fields'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { createOrganisationCommand } from '../../domain/crm/crm.commands'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { commandIdOf, domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { ownerAllowed, readOrganisationFields } from '~/utils/organisation-form.server'
import { streamIdOfCommand } from '~/utils/records.server'
import { assignableOwners } from '~/utils/visibility.server'

export const meta: MetaFunction = () => [{ title: 'Nouvelle organisation — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const owners = await assignableOwners(auth.actor, auth.tenant)
  // A fresh command id per rendered form: submitting it twice creates one organisation.
  return { owners, commandId: randomUUID(), defaultOwner: auth.actor.role === 'admin' ? '' : auth.actor.id }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const fields = readOrganisationFields(form)
  const owners = await assignableOwners(auth.actor, auth.tenant)
  if (!ownerAllowed(fields.owner_id, owners)) return failure(values, { owner_id: auth.t('owner.notAllowed') }, 403)

  const commandId = commandIdOf(form)
  const id = randomUUID()
  try {
    const result = await createOrganisationCommand(context.runtime.db, auth.ctx(commandId), { id, fields })
    const created = result.duplicate && commandId ? await streamIdOfCommand(auth, commandId) : id
    throw redirect(`/organisations/${created ?? id}`)
  } catch (e) {
    if (e instanceof Response) throw e
    return domainFailure(e, values)
  }
}

export default function NewOrganisation() {
  const { owners, commandId, defaultOwner } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const values = failed?.values ?? { status: 'prospect', owner_id: defaultOwner }
  return (
    <>
      <PageHeader title={t('org.new')} />
      <Card>
        <Form method="post" noValidate className="space-y-6">
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={commandId} />
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <OrganisationFields values={values} errors={failed?.errors ?? {}} owners={owners} />
          <div className="flex flex-wrap gap-3">
            <Button disabled={navigation.state === 'submitting'}>{t('common.create')}</Button>
            <LinkButton to="/organisations" variant="secondary">{t('common.cancel')}</LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}
