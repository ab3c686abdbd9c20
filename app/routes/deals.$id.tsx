import { CreateContractLink } from '~/components/create-contract-link'
import { ShareButton } from '~/components/share-button'
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { ActivitiesSection } from '~/components/activity-timeline'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { DealFields } from '~/components/deal-fields'
import { DefaultSubmit, isOrganisationSearchAnswer } from '~/components/organisation-picker'
import { organisationSearchAnswer } from '~/utils/organisation-search.server'
import { HistoryList } from '~/components/history-list'
import { DealContacts } from '~/components/record-contacts'
import { Alert } from '~/components/ui/alert'
import { DealKeyFigures, DealSubtitle } from '~/components/records/deal-summary'
import { Button } from '~/components/ui/button'
import { SelectField, TextAreaField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { RecordTasks } from '~/components/task-list'
import { useT } from '~/i18n/use-t'
import { changeDealStageCommand, updateDealCommand } from '../../domain/crm/crm.commands'
import { loadPipelines, loadStages } from '../../domain/crm/crm.repository'
import { validateDealFields } from '../../domain/crm/deal.decide'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '~/i18n/errors'
import { activitiesSection } from '~/utils/activities.server'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { chosenDealContacts, dealContacts } from '~/utils/contacts.server'
import { readDealFields, dealFormSchema } from '~/utils/deal-form.server'
import { centsToInput, toIsoDate } from '~/utils/format'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, text, type FormFailure } from '~/utils/forms.server'
import { hasSignedQuote, reopenReasonFor } from '~/utils/pipeline.server'
import { historyOf } from '~/utils/history.server'
import { tasksSection } from '~/utils/tasks.server'
import { ownerAllowed } from '~/utils/organisation-form.server'
import { findVisibleDeal, findVisibleOrganisation, organisationOptions } from '~/utils/records.server'
import { assignableOwners } from '~/utils/visibility.server'
import { canEditQuotes, quotesOfDeal } from '~/utils/quotes.server'
import { DealQuotes } from '~/components/quotes/deal-quotes'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.deal.title ?? 'Affaire'} — Alforis CRM` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const deal = await findVisibleDeal(auth, params.id ?? '')
  if (!deal) throw notFound()
  const [stages, pipelines, signedQuote] = await Promise.all([
    loadStages(auth.tenant.db, auth.user.workspaceId),
    loadPipelines(auth.tenant.db, auth.user.workspaceId),
    hasSignedQuote(auth, deal.id),
  ])
  const pipelineId = stages.find((s) => s.code === deal.stage)?.pipeline_id
  const stageLabel = (code: string) => stages.find((s) => s.code === code)?.label ?? code
  const [organisations, owners, history, activities, contacts] = await Promise.all([
    deal.canWrite ? organisationOptions(auth, { q: new URL(request.url).searchParams.get('org_q'), limit: 100 }) : Promise.resolve([]),
    deal.canWrite ? assignableOwners(auth.actor, auth.tenant) : Promise.resolve([]),
    historyOf(auth, deal.id, stageLabel),
    activitiesSection(auth, request, { dealId: deal.id }),
    dealContacts(auth, deal),
  ])
  // Keep the current organisation and owner selectable even when outside this user's lists.
  if (!organisations.some((o) => o.id === deal.organisation_id)) organisations.unshift({ id: deal.organisation_id, name: deal.organisation_name })
  if (deal.owner_id && !owners.some((o) => o.id === deal.owner_id)) owners.push({ id: deal.owner_id, name: deal.owner_name ?? '' })
  const [tasks, quotes] = await Promise.all([tasksSection(auth, request, { dealId: deal.id }), quotesOfDeal(auth, deal.id)])
  return {
    tasks,
    quotes: quotes.map((q) => ({
      id: q.id,
      number: q.number,
      revision: q.revision,
      status: q.status,
      total_ttc_cents: Number(q.total_ttc_cents),
      total_ht_cents: Number(q.total_ht_cents),
    })),
    canCreateQuote: deal.canWrite && canEditQuotes(auth.actor),
    deal,
    // The stages the deal may move to: its pipeline's, archived ones left out.
    stages: stages
      .filter((s) => s.pipeline_id === pipelineId && (!s.archived || s.code === deal.stage))
      .map((s) => ({ code: s.code, label: s.label, kind: s.kind, probability: s.probability })),
    // Named only when the workspace has more than one.
    pipelineName: pipelines.length > 1 ? (pipelines.find((p) => p.id === pipelineId)?.name ?? null) : null,
    signedQuote,
    organisations,
    owners,
    history,
    activities,
    contacts,
    // One command id per form on the page.
    commandIds: { update: randomUUID(), stage: randomUUID(), contacts: randomUUID() },
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const deal = await findVisibleDeal(auth, params.id ?? '')
  if (!deal) throw notFound()
  if (!deal.canWrite) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  // Without JavaScript, the picker's "Chercher" posts the edit form: matches back, nothing lost, nothing saved.
  const searched = await organisationSearchAnswer(auth, form, values)
  if (searched) return searched
  const expectedVersion = Number(form.get('version'))
  if (!Number.isSafeInteger(expectedVersion)) return failure(values, {}, 400, auth.t('errors.generic'))
  const ctx = auth.ctx(commandIdOf(form))
  const db = context.runtime.db

  if (form.get('intent') === 'stage') {
    const to = text(form, 'stage')
    // Out of a won stage: why, as the board's move step asks (pipeline.tsx).
    const stages = await loadStages(auth.tenant.db, auth.user.workspaceId)
    const reopen = reopenReasonFor(stages, deal.stage, to, { reopen: text(form, 'reopen_reason'), lost: text(form, 'lost_reason') })
    if (reopen.missing) return domainFailure(new ValidationError({ reopen_reason: 'deal.reopen_reason.required' }), values, auth)
    try {
      await changeDealStageCommand(db, ctx, {
        id: deal.id,
        expectedVersion,
        to,
        lostReason: text(form, 'lost_reason'),
        reopenReason: reopen.reason || null,
      })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect(`/deals/${deal.id}?enregistre=1`)
  }

  if (form.get('intent') === 'contacts') {
    const ticked = form.getAll('contact_ids').filter((v): v is string => typeof v === 'string')
    const contactIds = await chosenDealContacts(auth, deal, ticked)
    if (!contactIds) return failure(values, { contact_ids: auth.t('deal.contactNotFound') }, 400)
    const { title, organisation_id, amount_cents, owner_id, category, source, region } = deal
    try {
      await updateDealCommand(db, ctx, {
        id: deal.id,
        expectedVersion,
        fields: {
          title,
          organisation_id,
          amount_cents,
          expected_close_date: toIsoDate(deal.expected_close_date),
          owner_id,
          category,
          source,
          region,
          contact_ids: contactIds,
        },
      })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect(`/deals/${deal.id}?enregistre=1`)
  }

  const parsed = parseForm(form, dealFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const { fields, errors } = readDealFields(parsed.value, auth.t)
  if (fields.organisation_id !== deal.organisation_id && !(await findVisibleOrganisation(auth, fields.organisation_id))) {
    errors.organisation_id = auth.t('deal.organisationNotFound')
  }
  const owners = await assignableOwners(auth.actor, auth.tenant)
  if (!ownerAllowed(fields.owner_id, owners, deal.owner_id)) errors.owner_id = auth.t('owner.notAllowed')
  if (Object.keys(errors).length) {
    try {
      validateDealFields({ ...fields, amount_cents: errors.amount_cents ? 0 : fields.amount_cents })
    } catch (e) {
      if (e instanceof ValidationError) return failure(values, { ...fieldErrorsOf(auth.locale, e), ...errors }, 400)
    }
    return failure(values, errors, 400)
  }
  try {
    await updateDealCommand(db, ctx, { id: deal.id, expectedVersion, fields })
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/deals/${deal.id}?enregistre=1`)
}

export default function DealPage() {
  const { deal: d, stages, organisations, owners, history, commandIds, activities, contacts } = useLoaderData<typeof loader>()
  const { tasks, quotes, canCreateQuote, pipelineName, signedQuote } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const orgSearch = isOrganisationSearchAnswer(answer) ? answer : undefined
  const failed = orgSearch ? undefined : (answer as FormFailure | undefined)
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const stage = stages.find((s) => s.code === d.stage)
  // Both forms post here; each shows the errors of its own submission.
  const stageFailed = failed?.values.intent === 'stage' ? failed : undefined
  const updateFailed = failed?.values.intent === 'update' ? failed : undefined
  const contactsFailed = failed?.values.intent === 'contacts' ? failed : undefined
  const values = orgSearch?.values ??
    updateFailed?.values ?? {
      title: d.title,
      organisation_id: d.organisation_id,
      amount: centsToInput(d.amount_cents),
      expected_close_date: d.expected_close_date ?? '',
      owner_id: d.owner_id ?? '',
    }
  const busy = navigation.state === 'submitting'
  return (
    <>
      <PageHeader
        title={d.title}
        subtitle={
          <DealSubtitle
            organisation={{ id: d.organisation_id, name: d.organisation_name }}
            pipelineName={pipelineName}
            stage={{ label: stage?.label ?? d.stage, kind: stage?.kind }}
            closedAt={d.closed_at}
            lostReason={d.lost_reason}
          />
        }
        actions={
          <>
            {stage?.kind === 'won' ? <CreateContractLink from={{ deal: d.id }} /> : null}
            <ShareButton title={d.title} path={`/deals/${d.id}`} />
          </>
        }
      />
      {search.get('enregistre') && !failed ? (
        <div className="mb-4">
          <Alert tone="success">{t('common.saved')}</Alert>
        </div>
      ) : null}

      <DealKeyFigures amountCents={d.amount_cents} probability={d.probability} expectedCloseDate={d.expected_close_date} ownerName={d.owner_name} />

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {d.canWrite ? (
            <>
              <Card title={t('deal.changeStage')}>
                <Form method="post" noValidate className="space-y-4" key={`stage-${d.version}`}>
                  <AuthenticityTokenInput />
                  <input type="hidden" name="intent" value="stage" />
                  <input type="hidden" name="commandId" value={commandIds.stage} />
                  <input type="hidden" name="version" value={d.version} />
                  {stageFailed?.formError ? <Alert tone="error">{stageFailed.formError}</Alert> : null}
                  <div className="grid gap-4 sm:grid-cols-2">
                    <SelectField name="stage" label={t('deal.newStage')} defaultValue={stageFailed?.values.stage ?? d.stage} error={stageFailed?.errors.stage}>
                      {stages.map((s) => (
                        <option key={s.code} value={s.code}>
                          {s.label} ({s.probability} %)
                        </option>
                      ))}
                    </SelectField>
                    <TextAreaField
                      name="lost_reason"
                      maxLength={TEXT_LIMITS.reason}
                      label={t('deal.lostReason')}
                      hint={t('deal.lostReasonHint')}
                      rows={2}
                      defaultValue={stageFailed?.values.lost_reason ?? d.lost_reason ?? ''}
                      error={stageFailed?.errors.lost_reason}
                    />
                  </div>
                  {stage?.kind === 'won' ? (
                    <div className="space-y-2">
                      {signedQuote ? <p className="text-sm font-medium text-slate-800">{t('pipeline.signedQuoteOut')}</p> : null}
                      <TextAreaField
                        name="reopen_reason"
                        maxLength={TEXT_LIMITS.reason}
                        label={t('pipeline.reopenReason', { stage: stage.label })}
                        hint={t('pipeline.reopenHint')}
                        rows={2}
                        defaultValue={stageFailed?.values.reopen_reason ?? ''}
                        error={stageFailed?.errors.reopen_reason}
                      />
                    </div>
                  ) : null}
                  <Button disabled={busy}>{t('deal.moveStage')}</Button>
                </Form>
              </Card>
              <Card title={t('deal.edit')}>
                <Form method="post" noValidate className="space-y-6" key={`edit-${d.version}`}>
                  <AuthenticityTokenInput />
                  <DefaultSubmit />
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="commandId" value={commandIds.update} />
                  <input type="hidden" name="version" value={d.version} />
                  {updateFailed ? <Alert tone="error">{updateFailed.formError ?? t('errors.formSummary')}</Alert> : null}
                  <DealFields
                    values={values}
                    errors={updateFailed?.errors ?? {}}
                    organisations={orgSearch?.orgSearch.organisations ?? organisations}
                    owners={owners}
                    inFormSearch
                    orgQuery={orgSearch?.orgSearch.q}
                  />
                  <Button disabled={busy}>{t('common.save')}</Button>
                </Form>
              </Card>
            </>
          ) : (
            <Card>
              <p className="text-sm text-slate-600">{t('common.readOnly')}</p>
            </Card>
          )}
          <ActivitiesSection section={activities} hideDeal />
        </div>
        <div className="min-w-0 space-y-6">
          <DealQuotes dealId={d.id} quotes={quotes} canCreate={canCreateQuote} />
          <RecordTasks section={tasks} canCreate />
          <DealContacts
            linked={contacts.linked}
            options={contacts.options}
            editable={d.canWrite}
            version={d.version}
            commandId={commandIds.contacts}
            error={contactsFailed ? (contactsFailed.errors.contact_ids ?? contactsFailed.formError ?? t('errors.formSummary')) : undefined}
          />
          <Card title={t('common.history')}>
            <HistoryList items={history} />
          </Card>
        </div>
      </div>
    </>
  )
}
