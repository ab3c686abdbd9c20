import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { ContactFields } from '~/components/contact-fields'
import { DefaultSubmit, isOrganisationSearchAnswer } from '~/components/organisation-picker'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { createContactCommand } from '../../domain/crm/contact.commands'
import { validateContactFields } from '../../domain/crm/contact.decide'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '~/i18n/errors'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { contactFormValues, readContactFields, contactFormSchema } from '~/utils/contacts.server'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, type FormFailure } from '~/utils/forms.server'
import { ownerAllowed } from '~/utils/organisation-form.server'
import { findVisibleOrganisation, organisationOptions, streamIdOfCommand } from '~/utils/records.server'
import { organisationSearchAnswer } from '~/utils/organisation-search.server'
import { assignableOwners } from '~/utils/visibility.server'

export const meta: MetaFunction = () => [{ title: 'Nouveau contact — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const url = new URL(request.url)
  // "Ajouter un contact" on an organisation's page comes with ?organisation=<id>.
  const preselected = url.searchParams.get('organisation') ?? ''
  const [organisations, owners] = await Promise.all([
    // Without JavaScript the picker is a select: 100 by name, or the matches of its search (?org_q=).
    organisationOptions(auth, { q: url.searchParams.get('org_q'), include: preselected, limit: 100 }),
    assignableOwners(auth.actor, auth.tenant),
  ])
  const organisationId = organisations.some((o) => o.id === preselected) ? preselected : ''
  return {
    organisations,
    owners,
    commandId: randomUUID(),
    back: organisationId ? `/organisations/${organisationId}` : '/contacts',
    defaults: { organisation_id: organisationId, owner_id: auth.actor.role === 'admin' ? '' : auth.actor.id },
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const { form } = auth
  const values = contactFormValues(form)
  // Without JavaScript, the picker's "Chercher" posts this form: matches back, nothing lost, nothing saved.
  const searched = await organisationSearchAnswer(auth, form, values)
  if (searched) return searched
  const parsed = parseForm(form, contactFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const { fields, errors } = readContactFields(parsed.value, auth.t)
  // The organisation must be one this user can see, not just one of the workspace.
  if (fields.organisation_id && !errors.organisation_id && !(await findVisibleOrganisation(auth, fields.organisation_id))) {
    errors.organisation_id = auth.t('contact.organisationNotFound')
  }
  const owners = await assignableOwners(auth.actor, auth.tenant)
  if (!ownerAllowed(fields.owner_id, owners)) errors.owner_id = auth.t('owner.notAllowed')
  if (Object.keys(errors).length) {
    // The domain's messages for the other fields too, in one round trip.
    try {
      validateContactFields(fields)
    } catch (e) {
      if (e instanceof ValidationError) return failure(values, { ...fieldErrorsOf(auth.locale, e), ...errors }, 400)
    }
    return failure(values, errors, 400)
  }
  const commandId = commandIdOf(form)
  const id: string = randomUUID()
  let created = id
  try {
    const result = await createContactCommand(context.runtime.db, auth.ctx(commandId), { id, fields })
    if (result.duplicate && commandId) created = (await streamIdOfCommand(auth, commandId)) ?? id
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/contacts/${created}`)
}

export default function NewContact() {
  const { organisations, owners, commandId, defaults, back } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const search = isOrganisationSearchAnswer(answer) ? answer : undefined
  const failed = search ? undefined : (answer as FormFailure | undefined)
  const navigation = useNavigation()
  const t = useT()
  const values = search?.values ?? failed?.values ?? defaults
  return (
    <>
      <PageHeader title={t('contact.new')} />
      <Card>
        <Form method="post" noValidate className="space-y-6">
          <AuthenticityTokenInput />
          <DefaultSubmit />
          <input type="hidden" name="commandId" value={commandId} />
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <ContactFields
            values={values}
            errors={failed?.errors ?? {}}
            organisations={search?.orgSearch.organisations ?? organisations}
            owners={owners}
            inFormSearch
            orgQuery={search?.orgSearch.q}
          />
          <div className="flex flex-wrap gap-3">
            <Button disabled={navigation.state === 'submitting'}>{t('common.create')}</Button>
            <LinkButton to={back} variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}
