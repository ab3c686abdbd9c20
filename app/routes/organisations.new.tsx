import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { OrganisationFields } from '~/components/organisation-fields'
import { CompanyLookupPanel } from '~/components/company-lookup'
import { companyLookupOf } from '~/utils/company-lookup.server'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { createOrganisationCommand } from '../../domain/crm/crm.commands'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { findDuplicateOrganisations, onlyPosted, ownerAllowed, organisationFormSchema, type Duplicates } from '~/utils/organisation-form.server'
import { streamIdOfCommand } from '~/utils/records.server'
import { assignableOwners } from '~/utils/visibility.server'

export const meta: MetaFunction = () => [{ title: 'Nouvelle organisation — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const [owners, lookup] = await Promise.all([assignableOwners(auth.actor, auth.tenant), companyLookupOf(new URL(request.url))])
  // A fresh command id per rendered form: submitting it twice creates one organisation.
  return { owners, lookup, commandId: randomUUID(), defaultOwner: auth.actor.role === 'admin' ? '' : auth.actor.id }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const parsed = parseForm(form, organisationFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const fields = onlyPosted(form, parsed.value, ['tags', 'notes', 'phone', 'website', 'email'])
  const owners = await assignableOwners(auth.actor, auth.tenant)
  if (!ownerAllowed(fields.owner_id, owners)) return failure(values, { owner_id: auth.t('owner.notAllowed') }, 403)

  const commandId = commandIdOf(form)
  // A replayed submit goes to what the first one created, not to a duplicate notice about it.
  const done = commandId ? await streamIdOfCommand(auth, commandId) : null
  if (done) throw redirect(`/organisations/${done}`)
  // Same SIREN or a very similar name: show them first; "Créer quand même" sends confirmDuplicate=1.
  if (form.get('confirmDuplicate') !== '1') {
    const duplicates = await findDuplicateOrganisations(auth, fields)
    if (duplicates.visible.length || duplicates.hidden)
      return data<FormFailure & { duplicates: Duplicates }>({ ok: false, errors: {}, values, duplicates }, { status: 409 })
  }
  const id = randomUUID()
  try {
    const result = await createOrganisationCommand(context.runtime.db, auth.ctx(commandId), { id, fields })
    const created = result.duplicate && commandId ? await streamIdOfCommand(auth, commandId) : id
    // Created despite a look-alike: the record page offers to merge them (the duplicate flag).
    throw redirect(`/organisations/${created ?? id}${form.get('confirmDuplicate') === '1' ? '?doublon=1' : ''}`)
  } catch (e) {
    if (e instanceof Response) throw e
    return domainFailure(e, values, auth)
  }
}

export default function NewOrganisation() {
  const { owners, commandId, defaultOwner, lookup } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as (FormFailure & { duplicates?: Duplicates }) | undefined
  const navigation = useNavigation()
  const t = useT()
  const values = failed?.values ?? { status: 'prospect', owner_id: defaultOwner, ...lookup.prefill }
  return (
    <>
      <PageHeader title={t('org.new')} />
      <CompanyLookupPanel lookup={lookup} />
      <Card>
        {/* Keyed by the chosen company: its values replace the fields' defaults. */}
        <Form method="post" noValidate className="space-y-6" key={lookup.prefill?.siren ?? ''}>
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={commandId} />
          {failed?.duplicates ? (
            <DuplicateNotice duplicates={failed.duplicates} />
          ) : failed ? (
            <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert>
          ) : null}
          <OrganisationFields values={values} errors={failed?.errors ?? {}} owners={owners} />
          <div className="flex flex-wrap gap-3">
            <Button disabled={navigation.state === 'submitting'}>{t('common.create')}</Button>
            {failed?.duplicates ? (
              <Button name="confirmDuplicate" value="1" variant="secondary" disabled={navigation.state === 'submitting'}>
                {t('org.duplicateCreate')}
              </Button>
            ) : null}
            <LinkButton to="/organisations" variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}

function DuplicateNotice({ duplicates }: { duplicates: Duplicates }) {
  const t = useT()
  return (
    <div role="status" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <h2 className="font-semibold">{t('org.duplicateTitle')}</h2>
      {duplicates.visible.length ? (
        <>
          <p className="mt-1">{t('org.duplicateText')}</p>
          <ul className="mt-2 space-y-2">
            {duplicates.visible.map((o) => (
              <li key={o.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-white px-3 py-2 ring-1 ring-amber-200">
                <span>
                  <span className="font-medium text-slate-900">{o.name}</span>
                  <span className="text-slate-600">
                    {' '}
                    ·{' '}
                    {[o.city, o.siren ? `SIREN ${o.siren}` : null, o.sameSiren ? t('org.duplicateSameSiren') : t('org.duplicateSimilar')]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                </span>
                <Link to={`/organisations/${o.id}`} className="font-semibold text-indigo-800 hover:underline">
                  {t('org.duplicateUse')}
                  <span className="sr-only"> : {o.name}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {duplicates.hidden ? <p className="mt-2">{t('org.duplicateHidden', { count: duplicates.hidden })}</p> : null}
    </div>
  )
}
