import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { ContractFields } from '~/components/contract-fields'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { CheckboxField } from '~/components/ui/checkbox-field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { createContractCommand } from '../../domain/contracts/contract.commands'
import { parisDay } from '../../domain/shared/paris-time'
import { termEnd } from '../../domain/contracts/contract-dates'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { canCreateContracts, contractFormOptions, contractFormSchema, readContractFields } from '~/utils/contracts.server'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, isUuid, type FormFailure } from '~/utils/forms.server'
import { findVisibleDeal, streamIdOfCommand } from '~/utils/records.server'
import { centsToInput } from '~/utils/format'

export const meta: MetaFunction = () => [{ title: 'Nouveau contrat — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canCreateContracts(auth.actor)) throw forbidden()
  const p = new URL(request.url).searchParams
  // "Créer un contrat" from a won deal or a signed quote: its organisation, amount and contact.
  const deal = isUuid(p.get('deal')) ? await findVisibleDeal(auth, p.get('deal')!) : null
  const quoteId = isUuid(p.get('quote')) ? p.get('quote')! : null
  const quote = quoteId
    ? await auth.tenant
        .selectFrom('quotes')
        .select(['quotes.id', 'quotes.organisation_id', 'quotes.deal_id', 'quotes.contact_id', 'quotes.title', 'quotes.total_ht_cents'])
        .where('quotes.id', '=', quoteId)
        .executeTakeFirst()
    : null
  const options = await contractFormOptions(auth)
  const start = parisDay(auth.now())
  // From an organisation's page: just the organisation.
  const orgId = quote?.organisation_id ?? deal?.organisation_id ?? (isUuid(p.get('organisation')) ? p.get('organisation')! : '')
  // A signed quote's or a won deal's amount is what the client pays for a year (the usual first term).
  const amountCents = quote?.total_ht_cents || deal?.amount_cents || 0
  return {
    options,
    commandId: randomUUID(),
    defaults: {
      title: quote?.title ?? deal?.title ?? '',
      organisation_id: options.organisations.some((o) => o.id === orgId) ? orgId : '',
      deal_id: quote?.deal_id ?? deal?.id ?? '',
      quote_id: quote?.id ?? '',
      contact_id: quote?.contact_id ?? '',
      owner_id: auth.actor.role === 'finance' ? '' : auth.user.id,
      type: 'abonnement',
      start_date: start,
      end_date: termEnd(start, 12),
      amount: amountCents ? centsToInput(amountCents) : '',
      quantity: '1',
      amount_period: amountCents ? 'annuel' : 'mensuel',
      billing_frequency: 'mensuel',
      payment_terms_days: '30',
      tacit_renewal: 'on',
      renewal_months: '12',
      notice_months: '3',
      indexation: '',
      notes: '',
      activate: 'on',
    } as Record<string, string>,
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canCreateContracts(auth.actor)) throw forbidden()
  const { form } = auth
  const parsed = parseForm(form, contractFormSchema, auth)
  if (!parsed.ok) return failure(parsed.values, parsed.fieldErrors, 422)
  const fields = readContractFields(parsed.value)
  const options = await contractFormOptions(auth)
  // Only records this user can see, and an owner this user may assign.
  const errors: Record<string, string> = {}
  if (fields.organisation_id && !options.organisations.some((o) => o.id === fields.organisation_id)) errors.organisation_id = auth.t('form.invalidChoice')
  if (fields.owner_id && !options.owners.some((o) => o.id === fields.owner_id)) errors.owner_id = auth.t('form.invalidChoice')
  if (fields.deal_id && !options.deals.some((o) => o.id === fields.deal_id)) errors.deal_id = auth.t('form.invalidChoice')
  if (fields.contact_id && !options.contacts.some((o) => o.id === fields.contact_id)) errors.contact_id = auth.t('form.invalidChoice')
  if (Object.keys(errors).length) return failure(parsed.values, errors, 400)
  const commandId = commandIdOf(form)
  let id: string = randomUUID()
  try {
    const r = await createContractCommand(context.runtime.db, auth.ctx(commandId), { id, fields, activate: form.get('activate') === 'on' })
    if (r.duplicate && commandId) id = (await streamIdOfCommand(auth, commandId)) ?? id
  } catch (e) {
    return domainFailure(e, parsed.values, auth)
  }
  throw redirect(`/contracts/${id}?cree=1`)
}

export default function NewContract() {
  const { options, commandId, defaults } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const values = failed?.values ?? defaults
  return (
    <>
      <PageHeader title={t('contract.new')} />
      <Card>
        <Form method="post" noValidate className="space-y-6">
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={commandId} />
          {values.quote_id ? <input type="hidden" name="quote_id" value={values.quote_id} /> : null}
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <ContractFields values={values} errors={failed?.errors ?? {}} options={options} />
          <CheckboxField name="activate" label={t('contract.activateNow')} defaultChecked={values.activate === 'on'} />
          <div className="flex flex-wrap gap-3">
            <Button disabled={navigation.state === 'submitting'}>{t('common.create')}</Button>
            <LinkButton to="/contracts" variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}
