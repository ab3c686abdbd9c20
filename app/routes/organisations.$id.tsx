import { CreateContractLink } from '~/components/create-contract-link'
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { ActivitiesSection } from '~/components/activity-timeline'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { HistoryList } from '~/components/history-list'
import { OrganisationFields } from '~/components/organisation-fields'
import { OrganisationContacts } from '~/components/record-contacts'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { RecordQuickActions } from '~/components/record-quick-actions'
import { DealLines, OrganisationDetails, OrganisationSubtitle, TagsAndNotes } from '~/components/records/organisation-summary'
import { CompanyLookupPanel } from '~/components/company-lookup'
import { companyLookupOf, type CompanyLookup } from '~/utils/company-lookup.server'
import { Card, PageHeader } from '~/components/ui/page-header'
import { RecordTasks } from '~/components/task-list'
import { useT } from '~/i18n/use-t'
import { updateOrganisationCommand } from '../../domain/crm/crm.commands'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { loadStages } from '../../domain/crm/crm.repository'
import { activitiesSection } from '~/utils/activities.server'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { contactLine, contactsOfOrganisation } from '~/utils/contacts.server'
import { formatPhone } from '../../domain/crm/contact-points'
import { canEditQuotes } from '~/utils/quotes.server'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { historyOf } from '~/utils/history.server'
import { tasksSection } from '~/utils/tasks.server'
import { onlyPosted, ownerAllowed, organisationFormSchema } from '~/utils/organisation-form.server'
import { findVisibleOrganisation } from '~/utils/records.server'
import { mergedInto } from '~/utils/record-merge.server'
import { assignableOwners, visibleTo } from '~/utils/visibility.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.organisation.name ?? 'Organisation'} — Alforis CRM` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const organisation = await findVisibleOrganisation(auth, params.id ?? '')
  if (!organisation) {
    // An organisation merged into another one: its old links lead to the kept one.
    const into = await mergedInto(auth, 'organisation', params.id ?? '')
    if (into) throw redirect(`/organisations/${into}`)
    throw notFound()
  }
  const [deals, owners, stages, history, contacts, activities] = await Promise.all([
    auth.tenant
      .selectFrom('deals')
      .select(['deals.id', 'deals.title', 'deals.amount_cents', 'deals.stage'])
      .where('deals.organisation_id', '=', organisation.id)
      .where('deals.deleted_at', 'is', null)
      .where(visibleTo(auth.actor, 'deals'))
      .orderBy('deals.created_at', 'desc')
      .limit(50)
      .execute(),
    organisation.canWrite ? assignableOwners(auth.actor, auth.tenant) : Promise.resolve([]),
    loadStages(auth.tenant.db, auth.user.workspaceId),
    historyOf(auth, organisation.id),
    contactsOfOrganisation(auth, organisation.id),
    activitiesSection(auth, request, { organisationId: organisation.id }),
  ])
  // The current owner stays in the list even if this user could not pick them.
  if (organisation.owner_id && !owners.some((o) => o.id === organisation.owner_id)) {
    owners.push({ id: organisation.owner_id, name: organisation.owner_name ?? '' })
  }
  const url = new URL(request.url)
  const [tasks, lookup] = await Promise.all([
    tasksSection(auth, request, { organisationId: organisation.id }),
    // "Compléter depuis l'annuaire" searches only on the edit view.
    organisation.canWrite && url.searchParams.get('modifier') === '1' ? companyLookupOf(url) : Promise.resolve<CompanyLookup | null>(null),
  ])
  return {
    tasks,
    quickActions: {
      newDeal: canCreateCrmRecords(auth.actor) ? `/deals/new?organisation=${organisation.id}` : null,
      newTask: tasks.newHref,
      newQuote: canEditQuotes(auth.actor) ? `/quotes/new?organisation=${organisation.id}` : null,
      phone: organisation.phone ? { e164: organisation.phone, display: formatPhone(organisation.phone) } : null,
      email: organisation.email,
    },
    lookup,
    organisation,
    deals,
    owners,
    stages,
    history,
    commandId: randomUUID(),
    activities,
    canAddContact: canCreateCrmRecords(auth.actor),
    contacts: contacts.map(contactLine),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const organisation = await findVisibleOrganisation(auth, params.id ?? '')
  if (!organisation) throw notFound()
  if (!organisation.canWrite) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const expectedVersion = Number(form.get('version'))
  if (!Number.isSafeInteger(expectedVersion)) return failure(values, {}, 400, auth.t('errors.generic'))
  const parsed = parseForm(form, organisationFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const fields = onlyPosted(form, parsed.value, ['tags', 'notes', 'phone', 'website', 'email'])
  const owners = await assignableOwners(auth.actor, auth.tenant)
  if (!ownerAllowed(fields.owner_id, owners, organisation.owner_id)) return failure(values, { owner_id: auth.t('owner.notAllowed') }, 403)
  try {
    await updateOrganisationCommand(context.runtime.db, auth.ctx(commandIdOf(form)), { id: organisation.id, expectedVersion, fields })
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/organisations/${organisation.id}?enregistre=1`)
}

export default function OrganisationPage() {
  const { organisation: o, deals, owners, stages, history, commandId, contacts, activities, canAddContact } = useLoaderData<typeof loader>()
  const { tasks, quickActions, lookup } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const stageOf = (code: string) => stages.find((s) => s.code === code)
  const stored = {
    name: o.name,
    siren: o.siren ?? '',
    siret: o.siret ?? '',
    vat_number: o.vat_number ?? '',
    address: o.address ?? '',
    postal_code: o.postal_code ?? '',
    city: o.city ?? '',
    sector: o.sector ?? '',
    size: o.size ?? '',
    status: o.status,
    owner_id: o.owner_id ?? '',
    phone: o.phone ? formatPhone(o.phone) : '',
    website: o.website ?? '',
    email: o.email ?? '',
    tags: o.tags.join(', '),
    notes: o.notes ?? '',
  }
  const values = failed?.values ?? { ...stored, ...lookup?.prefill }
  // The page is a read view; "Modifier" (?modifier=1, a plain link) opens the form, and a refused save keeps it open.
  const editing = o.canWrite && (search.get('modifier') === '1' || !!failed)
  return (
    <>
      <PageHeader
        title={o.name}
        subtitle={<OrganisationSubtitle status={o.status} statusManual={o.status_manual} siren={o.siren} city={o.city} ownerName={o.owner_name} />}
        actions={
          <div className="flex flex-wrap gap-2">
            {o.canWrite && !editing ? (
              <>
                <LinkButton to="?modifier=1#modifier" variant="secondary">
                  {t('record.editAction')}
                </LinkButton>
                <LinkButton to={`/organisations/${o.id}/merge`} variant="secondary">
                  {t('merge.action')}
                </LinkButton>
              </>
            ) : null}
            <CreateContractLink from={{ organisation: o.id }} />
          </div>
        }
      />
      <RecordQuickActions links={quickActions} />
      {search.get('doublon') && o.canWrite ? (
        <div className="mb-4">
          <Alert tone="info">
            {t('merge.flag')}{' '}
            <Link to={`/organisations/${o.id}/merge`} className="font-medium text-indigo-800 underline hover:no-underline">
              {t('merge.action')}
            </Link>
          </Alert>
        </div>
      ) : null}
      {(search.get('enregistre') || search.get('fusionne')) && !failed ? (
        <div className="mb-4">
          <Alert tone="success">{search.get('fusionne') ? t('merge.done') : t('common.saved')}</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {editing ? (
            <Card title={t('org.edit')}>
              <div id="modifier" className="scroll-mt-20">
                {lookup ? <CompanyLookupPanel lookup={lookup} keep={{ modifier: '1' }} title={t('lookup.complete')} initialQ={o.siren ?? o.name} /> : null}
                {/* Keyed by version: after a save the fields show the stored values again. */}
                <Form method="post" noValidate className="space-y-6" key={`${o.version}-${lookup?.prefill?.siren ?? ''}`}>
                  <AuthenticityTokenInput />
                  <input type="hidden" name="commandId" value={commandId} />
                  <input type="hidden" name="version" value={o.version} />
                  {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
                  <OrganisationFields values={values} errors={failed?.errors ?? {}} owners={owners} />
                  <div className="flex flex-wrap gap-3">
                    <Button disabled={navigation.state === 'submitting'}>{t('common.save')}</Button>
                    <LinkButton to="." variant="secondary">
                      {t('record.editCancel')}
                    </LinkButton>
                  </div>
                </Form>
              </div>
            </Card>
          ) : (
            <>
              <Card title={t('org.details')}>
                {o.canWrite ? null : <p className="mb-4 text-sm text-slate-600">{t('common.readOnly')}</p>}
                <OrganisationDetails values={stored} ownerName={o.owner_name} phone={o.phone} email={o.email} website={o.website} />
              </Card>
              <Card title={t('org.tagsNotes')}>
                <TagsAndNotes tags={o.tags} notes={o.notes} />
              </Card>
            </>
          )}
          <ActivitiesSection section={activities} />
        </div>
        <div className="min-w-0 space-y-6">
          <RecordTasks section={tasks} canCreate />
          <OrganisationContacts organisationId={o.id} contacts={contacts} canAdd={canAddContact} />
          <Card title={t('org.deals')}>
            <DealLines deals={deals.map((d) => ({ ...d, stageLabel: stageOf(d.stage)?.label ?? d.stage, stageKind: stageOf(d.stage)?.kind }))} />
            <p className="mt-3 border-t border-slate-100 pt-3 text-sm">
              <Link
                to={`/quotes?organisation=${o.id}`}
                className="font-medium text-indigo-800 underline hover:no-underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                {t('org.quotes')}
              </Link>
            </p>
          </Card>
          <Card title={t('common.history')}>
            <HistoryList items={history} />
          </Card>
        </div>
      </div>
    </>
  )
}
