import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import type { BusinessCard } from '../../domain/crm/business-card'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { CardExtras, CardScan, cardToContactValues } from '~/components/card-scan'
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
import { onlyPosted, ownerAllowed } from '~/utils/organisation-form.server'
import { findVisibleOrganisation, organisationOptions, streamIdOfCommand } from '~/utils/records.server'
import { organisationSearchAnswer } from '~/utils/organisation-search.server'
import { assignableOwners } from '~/utils/visibility.server'
import { findDuplicateContacts, type ContactDuplicates } from '~/utils/contact-duplicates.server'

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
  const { fields, errors } = readContactFields(onlyPosted(form, parsed.value, ['tags', 'notes']), auth.t)
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
  // A replayed submit goes to what the first one created, not to a duplicate notice about it.
  const done = commandId ? await streamIdOfCommand(auth, commandId) : null
  if (done) throw redirect(`/contacts/${done}`)
  // Same e-mail, or same name in the same organisation: show them first; "Créer quand même" sends confirmDuplicate=1.
  if (form.get('confirmDuplicate') !== '1') {
    const duplicates = await findDuplicateContacts(auth, fields)
    if (duplicates.visible.length || duplicates.hidden)
      return data<FormFailure & { duplicates: ContactDuplicates }>({ ok: false, errors: {}, values, duplicates }, { status: 409 })
  }
  const id: string = randomUUID()
  let created = id
  try {
    const result = await createContactCommand(context.runtime.db, auth.ctx(commandId), { id, fields })
    if (result.duplicate && commandId) created = (await streamIdOfCommand(auth, commandId)) ?? id
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  // Created despite a look-alike: the record page offers to merge them (the duplicate flag).
  throw redirect(`/contacts/${created}${form.get('confirmDuplicate') === '1' ? '?doublon=1' : ''}`)
}

export default function NewContact() {
  const { organisations, owners, commandId, defaults, back } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const search = isOrganisationSearchAnswer(answer) ? answer : undefined
  const failed = search ? undefined : (answer as (FormFailure & { duplicates?: ContactDuplicates }) | undefined)
  const navigation = useNavigation()
  const t = useT()
  // A scanned card prefills the form (remounted with it as defaults); the rep confirms.
  const [card, setCard] = useState<{ n: number; card: BusinessCard } | null>(null)
  const values = search?.values ?? failed?.values ?? (card ? { ...defaults, ...cardToContactValues(card.card) } : defaults)
  return (
    <>
      <PageHeader title={t('contact.new')} />
      <Card>
        <CardScan onRead={(c) => setCard((prev) => ({ n: (prev?.n ?? 0) + 1, card: c }))} />
        {card ? <CardExtras card={card.card} /> : null}
        <Form key={card?.n ?? 0} method="post" noValidate className="space-y-6">
          <AuthenticityTokenInput />
          <DefaultSubmit />
          <input type="hidden" name="commandId" value={commandId} />
          {failed?.duplicates ? (
            <ContactDuplicateNotice duplicates={failed.duplicates} />
          ) : failed ? (
            <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert>
          ) : null}
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
            {failed?.duplicates ? (
              <Button name="confirmDuplicate" value="1" variant="secondary" disabled={navigation.state === 'submitting'}>
                {t('contact.duplicateCreate')}
              </Button>
            ) : null}
            <LinkButton to={back} variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}

function ContactDuplicateNotice({ duplicates }: { duplicates: ContactDuplicates }) {
  const t = useT()
  return (
    <div role="status" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <h2 className="font-semibold">{t('contact.duplicateTitle')}</h2>
      {duplicates.visible.length ? (
        <>
          <p className="mt-1">{t('contact.duplicateText')}</p>
          <ul className="mt-2 space-y-2">
            {duplicates.visible.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-white px-3 py-2 ring-1 ring-amber-200">
                <span>
                  <span className="font-medium text-slate-900">
                    {c.first_name} {c.last_name}
                  </span>
                  <span className="text-slate-600">
                    {' · '}
                    {[c.organisation_name, c.sameEmail ? t('contact.duplicateSameEmail') : t('contact.duplicateSameName')].filter(Boolean).join(' · ')}
                  </span>
                </span>
                <Link to={`/contacts/${c.id}`} className="font-semibold text-indigo-800 hover:underline">
                  {t('contact.duplicateUse')}
                  <span className="sr-only">
                    {' '}
                    : {c.first_name} {c.last_name}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {duplicates.hidden ? <p className="mt-2">{t('contact.duplicateHidden', { count: duplicates.hidden })}</p> : null}
    </div>
  )
}
