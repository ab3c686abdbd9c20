import { ShareButton } from '~/components/share-button'
import { vCardFileName } from '../../domain/crm/vcard'
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { sql } from 'kysely'
import { randomUUID } from 'node:crypto'
import { ActivitiesSection } from '~/components/activity-timeline'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { ContactFields } from '~/components/contact-fields'
import { DefaultSubmit, isOrganisationSearchAnswer } from '~/components/organisation-picker'
import { organisationSearchAnswer } from '~/utils/organisation-search.server'
import { HistoryList } from '~/components/history-list'
import { Alert } from '~/components/ui/alert'
import { ContactPoints, ContactSubtitle } from '~/components/records/contact-summary'
import { DealLines, TagsAndNotes } from '~/components/records/organisation-summary'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { RecordTasks } from '~/components/task-list'
import { RecordQuickActions } from '~/components/record-quick-actions'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { canEditQuotes } from '~/utils/quotes.server'
import { useT } from '~/i18n/use-t'
import { deleteContactCommand, updateContactCommand } from '../../domain/crm/contact.commands'
import { validateContactFields } from '../../domain/crm/contact.decide'
import { loadStages } from '../../domain/crm/crm.repository'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '~/i18n/errors'
import { activitiesSection } from '~/utils/activities.server'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { mergedInto } from '~/utils/record-merge.server'
import { contactFormValues, contactToValues, findVisibleContact, phoneLinks, readContactFields, contactFormSchema } from '~/utils/contacts.server'
import { formatIsoDate, toIsoDate } from '~/utils/format'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, type FormFailure } from '~/utils/forms.server'
import { historyOf } from '~/utils/history.server'
import { tasksSection } from '~/utils/tasks.server'
import { onlyPosted, ownerAllowed } from '~/utils/organisation-form.server'
import { findVisibleOrganisation, organisationOptions } from '~/utils/records.server'
import { assignableOwners, visibleTo } from '~/utils/visibility.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.contact.first_name} ${data.contact.last_name}` : 'Contact'} — Alforis CRM` },
]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const contact = await findVisibleContact(auth, params.id ?? '')
  if (!contact) {
    // A contact merged into another one: its old links lead to the kept one.
    const into = await mergedInto(auth, 'contact', params.id ?? '')
    if (into) throw redirect(`/contacts/${into}`)
    throw notFound()
  }
  const [organisations, owners, activities, history, deals, stages] = await Promise.all([
    contact.canWrite
      ? organisationOptions(auth, { q: new URL(request.url).searchParams.get('org_q'), include: contact.organisation_id, limit: 100 })
      : Promise.resolve([]),
    contact.canWrite ? assignableOwners(auth.actor, auth.tenant) : Promise.resolve([]),
    activitiesSection(auth, request, { contactId: contact.id }),
    historyOf(auth, contact.id),
    auth.tenant
      .selectFrom('deals')
      .select(['deals.id', 'deals.title', 'deals.amount_cents', 'deals.stage'])
      .where(sql<boolean>`${contact.id}::uuid = any(deals.contact_ids)`)
      .where('deals.deleted_at', 'is', null)
      .where(visibleTo(auth.actor, 'deals'))
      .orderBy('deals.created_at', 'desc')
      .limit(50)
      .execute(),
    loadStages(auth.tenant.db, auth.user.workspaceId),
  ])
  // The current organisation and owner stay selectable even outside this user's lists.
  if (contact.organisation_id && !organisations.some((o) => o.id === contact.organisation_id)) {
    organisations.unshift({ id: contact.organisation_id, name: contact.organisation_name ?? '' })
  }
  if (contact.owner_id && !owners.some((o) => o.id === contact.owner_id)) owners.push({ id: contact.owner_id, name: contact.owner_name ?? '' })
  const { owner_team_id: _team, workspace_id: _ws, ...shown } = contact
  const tasks = await tasksSection(auth, request, { contactId: contact.id })
  const phoneList = phoneLinks(contact.phones)
  return {
    tasks,
    // Deals and quotes belong to an organisation: a contact without one offers neither.
    quickActions: {
      newDeal: contact.organisation_id && canCreateCrmRecords(auth.actor) ? `/deals/new?organisation=${contact.organisation_id}` : null,
      newTask: tasks.newHref,
      newQuote: contact.organisation_id && canEditQuotes(auth.actor) ? `/quotes/new?organisation=${contact.organisation_id}&contact=${contact.id}` : null,
      phone: phoneList[0] ?? null,
      email: contact.emails[0] ?? null,
    },
    contact: { ...shown, consent_date: toIsoDate(contact.consent_date) },
    values: contactToValues(contact),
    phones: phoneList,
    organisations,
    owners,
    activities,
    history,
    deals: deals.map((d) => ({
      ...d,
      stageLabel: stages.find((s) => s.code === d.stage)?.label ?? d.stage,
      stageKind: stages.find((s) => s.code === d.stage)?.kind,
    })),
    commandIds: { update: randomUUID(), delete: randomUUID() },
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const contact = await findVisibleContact(auth, params.id ?? '')
  if (!contact) throw notFound()
  if (!contact.canWrite) throw forbidden()
  const { form } = auth
  const values = contactFormValues(form)
  // Without JavaScript, the picker's "Chercher" posts the edit form: matches back, nothing lost, nothing saved.
  const searched = await organisationSearchAnswer(auth, form, values)
  if (searched) return searched
  const expectedVersion = Number(form.get('version'))
  if (!Number.isSafeInteger(expectedVersion)) return failure(values, {}, 400, auth.t('errors.generic'))
  const ctx = auth.ctx(commandIdOf(form))
  const db = context.runtime.db

  if (form.get('intent') === 'delete') {
    try {
      await deleteContactCommand(db, ctx, { id: contact.id, expectedVersion })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect('/contacts?supprime=1')
  }

  const parsed = parseForm(form, contactFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const { fields, errors } = readContactFields(onlyPosted(form, parsed.value, ['tags', 'notes']), auth.t)
  if (
    fields.organisation_id &&
    !errors.organisation_id &&
    fields.organisation_id !== contact.organisation_id &&
    !(await findVisibleOrganisation(auth, fields.organisation_id))
  ) {
    errors.organisation_id = auth.t('contact.organisationNotFound')
  }
  const owners = await assignableOwners(auth.actor, auth.tenant)
  if (!ownerAllowed(fields.owner_id, owners, contact.owner_id)) errors.owner_id = auth.t('owner.notAllowed')
  if (Object.keys(errors).length) {
    try {
      validateContactFields(fields)
    } catch (e) {
      if (e instanceof ValidationError) return failure(values, { ...fieldErrorsOf(auth.locale, e), ...errors }, 400)
    }
    return failure(values, errors, 400)
  }
  try {
    await updateContactCommand(db, ctx, { id: contact.id, expectedVersion, fields })
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/contacts/${contact.id}?enregistre=1`)
}

export default function ContactPage() {
  const { contact: c, values: stored, phones, organisations, owners, activities, history, deals, commandIds } = useLoaderData<typeof loader>()
  const { tasks, quickActions } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const orgSearch = isOrganisationSearchAnswer(answer) ? answer : undefined
  const failed = orgSearch ? undefined : (answer as FormFailure | undefined)
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const name = `${c.first_name} ${c.last_name}`
  const confirmDelete = search.get('supprimer') === '1' && c.canWrite
  const deleteFailed = failed?.values.intent === 'delete' ? failed : undefined
  const updateFailed = failed && !deleteFailed ? failed : undefined
  const busy = navigation.state === 'submitting'
  return (
    <>
      <PageHeader
        title={
          <>
            {c.civility ? <span className="font-normal text-slate-600">{c.civility} </span> : null}
            {name}
          </>
        }
        subtitle={
          <ContactSubtitle
            jobTitle={c.job_title}
            organisation={c.organisation_id && c.organisation_name ? { id: c.organisation_id, name: c.organisation_name } : null}
            ownerName={c.owner_name}
            shared={c.shared}
            optedOut={c.marketing_opt_out}
          />
        }
        actions={
          <div className="flex flex-wrap items-start gap-2">
            <ShareButton
              title={`${c.first_name} ${c.last_name}`}
              path={`/contacts/${c.id}`}
              vcard={{ path: `/contacts/${c.id}/vcard`, fileName: vCardFileName({ firstName: c.first_name, lastName: c.last_name }) }}
            />
            {c.canWrite && !confirmDelete ? (
              <>
                <LinkButton to="?modifier=1#modifier" variant="secondary">
                  {t('record.editAction')}
                </LinkButton>
                <LinkButton to={`/contacts/${c.id}/merge`} variant="secondary">
                  {t('merge.action')}
                </LinkButton>
                <LinkButton to="?supprimer=1#supprimer" variant="secondary" className="text-red-800">
                  {t('contact.delete')}
                </LinkButton>
              </>
            ) : null}
          </div>
        }
      />
      <RecordQuickActions links={quickActions} />
      {search.get('doublon') && c.canWrite ? (
        <div className="mb-4">
          <Alert tone="info">
            {t('merge.flag')}{' '}
            <Link to={`/contacts/${c.id}/merge`} className="font-medium text-indigo-800 underline hover:no-underline">
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
      {updateFailed ? (
        <div className="mb-4">
          <Alert tone="error">
            <a href="#modifier" className="underline">
              {updateFailed.formError ?? t('errors.formSummary')}
            </a>
          </Alert>
        </div>
      ) : null}
      {confirmDelete || deleteFailed ? (
        <section id="supprimer" aria-labelledby="supprimer-titre" className="mb-6 rounded-lg border border-red-300 bg-red-50 p-4 sm:p-6">
          <h2 id="supprimer-titre" className="text-base font-semibold text-red-900">
            {t('contact.delete')}
          </h2>
          {deleteFailed?.formError ? (
            <div className="mt-2">
              <Alert tone="error">{deleteFailed.formError}</Alert>
            </div>
          ) : null}
          <p className="mt-2 text-sm text-red-900">{t('contact.deleteConfirm', { name })}</p>
          <Form method="post" className="mt-4 flex flex-wrap gap-3">
            <AuthenticityTokenInput />
            <input type="hidden" name="intent" value="delete" />
            <input type="hidden" name="commandId" value={commandIds.delete} />
            <input type="hidden" name="version" value={c.version} />
            <Button variant="danger" disabled={busy}>
              {t('contact.deleteConfirmButton')}
            </Button>
            <LinkButton to="." variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </Form>
        </section>
      ) : null}

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title={t('contact.details')}>
            <ContactPoints phones={phones} emails={c.emails} />
          </Card>

          <Card title={t('org.tagsNotes')}>
            <TagsAndNotes tags={c.tags} notes={c.notes} />
          </Card>

          <ActivitiesSection section={activities} hideContact />

          {c.canWrite ? (
            // Folded (a <details>: no JavaScript needed); open again when a save was refused.
            <details
              id="modifier"
              open={!!updateFailed || !!orgSearch || search.has('org_q') || search.get('modifier') === '1'}
              className="group scroll-mt-20 rounded-lg border border-slate-200 bg-white shadow-sm"
            >
              <summary className="flex cursor-pointer list-none items-center justify-between gap-2 rounded-lg p-4 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 sm:px-6 [&::-webkit-details-marker]:hidden">
                <h2 className="text-base font-semibold text-slate-900">{t('contact.edit')}</h2>
                <span aria-hidden="true" className="text-slate-500 transition-transform group-open:rotate-180">
                  ▾
                </span>
              </summary>
              {/* Keyed by version: after a save the fields show the stored values again. */}
              <Form method="post" noValidate className="space-y-6 border-t border-slate-200 p-4 sm:p-6" key={c.version}>
                <AuthenticityTokenInput />
                <DefaultSubmit />
                <input type="hidden" name="intent" value="update" />
                <input type="hidden" name="commandId" value={commandIds.update} />
                <input type="hidden" name="version" value={c.version} />
                {updateFailed ? <Alert tone="error">{updateFailed.formError ?? t('errors.formSummary')}</Alert> : null}
                <ContactFields
                  values={orgSearch?.values ?? updateFailed?.values ?? stored}
                  errors={updateFailed?.errors ?? {}}
                  organisations={orgSearch?.orgSearch.organisations ?? organisations}
                  owners={owners}
                  inFormSearch
                  orgQuery={orgSearch?.orgSearch.q}
                />
                <Button disabled={busy}>{t('common.save')}</Button>
              </Form>
            </details>
          ) : (
            <Card>
              <p className="text-sm text-slate-600">{t('common.readOnly')}</p>
            </Card>
          )}
        </div>

        <div className="min-w-0 space-y-6">
          <RecordTasks section={tasks} canCreate />
          <Card title={t('contact.gdprStatus')}>
            <ul className="space-y-2 text-sm text-slate-800">
              <li>
                {c.gdpr_consent
                  ? t('contact.consentGiven', {
                      date: c.consent_date ? formatIsoDate(c.consent_date) : t('common.none'),
                      source: c.consent_source ?? t('common.none'),
                    })
                  : t('contact.consentMissing')}
              </li>
              {c.marketing_opt_out ? <li className="font-medium text-amber-900">{t('contact.optedOut')}</li> : null}
            </ul>
          </Card>
          <Card title={t('contact.deals')}>
            <DealLines deals={deals} />
          </Card>
          <Card title={t('common.history')}>
            <HistoryList items={history} />
          </Card>
        </div>
      </div>
    </>
  )
}
