import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { DealFields } from '~/components/deal-fields'
import { DefaultSubmit, isOrganisationSearchAnswer } from '~/components/organisation-picker'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { createDealCommand } from '../../domain/crm/crm.commands'
import { loadPipelines, loadStages } from '../../domain/crm/crm.repository'
import { chosenPipeline } from '~/utils/pipeline.server'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '~/i18n/errors'
import { canCreateCrmRecords } from '../../domain/identity/roles'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { readDealFields, dealFormSchema } from '~/utils/deal-form.server'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, isUuid, type FormFailure } from '~/utils/forms.server'
import { ownerAllowed } from '~/utils/organisation-form.server'
import { findVisibleOrganisation, organisationOptions, streamIdOfCommand } from '~/utils/records.server'
import { organisationSearchAnswer } from '~/utils/organisation-search.server'
import { assignableOwners } from '~/utils/visibility.server'
import { validateDealFields } from '../../domain/crm/deal.decide'

export const meta: MetaFunction = () => [{ title: 'Nouvelle affaire — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const url = new URL(request.url)
  const preselected = url.searchParams.get('organisation') ?? ''
  const orgQuery = url.searchParams.get('org_q')
  const [organisations, owners, stages] = await Promise.all([
    // Without JavaScript the picker is a select: 100 by name, or the matches of its search.
    organisationOptions(auth, { q: orgQuery, include: preselected, limit: 100 }),
    assignableOwners(auth.actor, auth.tenant),
    loadStages(auth.tenant.db, auth.user.workspaceId),
  ])
  const pipelines = await loadPipelines(auth.tenant.db, auth.user.workspaceId)
  // `?pipeline=` (the board's "new deal" for the pipeline shown) preselects it and its first stage.
  const pipeline = chosenPipeline(pipelines, url)
  const open = stages.filter((s) => s.kind === 'open' && !s.archived)
  return {
    organisations,
    searching: !!orgQuery,
    owners,
    stages: open.map((s) => ({ code: s.code, label: s.label, pipeline: s.pipeline_id })),
    pipelines: pipelines.length > 1 ? pipelines.map((p) => ({ id: p.id, name: p.name })) : [],
    commandId: randomUUID(),
    defaults: {
      organisation_id: organisations.some((o) => o.id === preselected) ? preselected : '',
      owner_id: auth.actor.role === 'admin' ? '' : auth.actor.id,
      pipeline: pipeline?.id ?? '',
      stage: (open.find((s) => s.pipeline_id === pipeline?.id) ?? open[0])?.code ?? '',
    },
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canCreateCrmRecords(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  // Without JavaScript, the picker's "Chercher" posts this form: matches back, nothing lost, nothing saved.
  const searched = await organisationSearchAnswer(auth, form, values)
  if (searched) return searched
  const parsed = parseForm(form, dealFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const { fields, errors } = readDealFields(parsed.value, auth.t)
  // The organisation must be one this user can see, not just one of the workspace.
  if (fields.organisation_id && !(await findVisibleOrganisation(auth, fields.organisation_id))) {
    errors.organisation_id = auth.t('deal.organisationNotFound')
  }
  const owners = await assignableOwners(auth.actor, auth.tenant)
  if (!ownerAllowed(fields.owner_id, owners)) errors.owner_id = auth.t('owner.notAllowed')
  if (Object.keys(errors).length) {
    // Show the domain's messages for the other fields too, in one round trip.
    try {
      validateDealFields({ ...fields, amount_cents: errors.amount_cents ? 0 : fields.amount_cents })
    } catch (e) {
      if (e instanceof ValidationError) return failure(values, { ...fieldErrorsOf(auth.locale, e), ...errors }, 400)
    }
    return failure(values, errors, 400)
  }
  const commandId = commandIdOf(form)
  const id: string = randomUUID()
  let created = id
  try {
    const result = await createDealCommand(context.runtime.db, auth.ctx(commandId), {
      id,
      fields,
      stage: String(form.get('stage') ?? ''),
      pipelineId: isUuid(form.get('pipeline')) ? String(form.get('pipeline')) : null,
    })
    if (result.duplicate && commandId) created = (await streamIdOfCommand(auth, commandId)) ?? id
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/deals/${created}`)
}

export default function NewDeal() {
  const { organisations, owners, stages, pipelines, commandId, defaults, searching } = useLoaderData<typeof loader>()
  const answer = useActionData<typeof action>()
  const search = isOrganisationSearchAnswer(answer) ? answer : undefined
  const failed = search ? undefined : (answer as FormFailure | undefined)
  const navigation = useNavigation()
  const t = useT()
  const values = search?.values ?? failed?.values ?? defaults
  return (
    <>
      <PageHeader title={t('deal.new')} />
      <Card>
        {organisations.length === 0 && !failed && !search && !searching ? (
          <div className="space-y-4">
            <p className="text-sm text-slate-700">{t('deal.noOrganisations')}</p>
            <LinkButton to="/organisations/new">{t('org.new')}</LinkButton>
          </div>
        ) : (
          <Form method="post" noValidate className="space-y-6">
            <AuthenticityTokenInput />
            <DefaultSubmit />
            <input type="hidden" name="commandId" value={commandId} />
            {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
            <DealFields
              values={values}
              errors={failed?.errors ?? {}}
              organisations={search?.orgSearch.organisations ?? organisations}
              owners={owners}
              stages={stages}
              pipelines={pipelines}
              inFormSearch
              orgQuery={search?.orgSearch.q}
            />
            <div className="flex flex-wrap gap-3">
              <Button disabled={navigation.state === 'submitting'}>{t('common.create')}</Button>
              <LinkButton to="/deals" variant="secondary">
                {t('common.cancel')}
              </LinkButton>
            </div>
          </Form>
        )}
      </Card>
    </>
  )
}
