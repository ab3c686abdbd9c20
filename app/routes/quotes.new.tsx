import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { OrganisationPicker, OrganisationSearchForm } from '~/components/organisation-picker'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { loadCompanySettings } from '../../domain/sales/company-settings'
import { createQuoteCommand } from '../../domain/sales/quote.commands'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { commandIdOf, domainFailure, failure, formValues, isUuid, type FormFailure } from '~/utils/forms.server'
import { canEditQuotes } from '~/utils/quotes.server'
import { checkParties, partyOptions, quoteFieldErrors, readQuoteFields } from '~/utils/quotes-editor.server'
import { findVisibleDeal, findVisibleOrganisation, organisationOptions, streamIdOfCommand } from '~/utils/records.server'
import { TEXT_LIMITS } from '../../domain/shared/user-text'

export const meta: MetaFunction = () => [{ title: 'Nouveau devis — Alforis CRM' }]

/**
 * Step 1 chooses the client (a GET form, so it works without JavaScript); step 2, with
 * `?organisation=` (or `?deal=` from a deal page, which brings its organisation), the
 * recipient, the deal and the conditions. The lines are added on the quote's page.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canEditQuotes(auth.actor)) throw forbidden()
  const url = new URL(request.url)
  const dealParam = url.searchParams.get('deal')
  const deal = dealParam ? await findVisibleDeal(auth, dealParam) : null
  const orgId = deal?.organisation_id ?? url.searchParams.get('organisation')
  const org = orgId ? await findVisibleOrganisation(auth, orgId) : null
  if (!org) {
    return {
      step: 1 as const,
      searched: !!url.searchParams.get('org_q'),
      organisations: await organisationOptions(auth, { q: url.searchParams.get('org_q'), limit: 100 }),
      org: null,
      deal: null,
      options: null,
      contactId: '',
      commandId: '',
      defaults: { validity_days: '30', payment_terms: '' },
    }
  }
  const [options, company] = await Promise.all([partyOptions(auth, org.id), loadCompanySettings(auth.tenant.db, auth.user.workspaceId)])
  // The deal's first contact (or the organisation's only one) as the recipient.
  // "Nouveau devis" on a contact's page names that contact (?contact=), if it belongs to the organisation.
  const asked = url.searchParams.get('contact')
  const contactId =
    deal?.contact_ids?.find((c) => options.contacts.some((o) => o.id === c)) ??
    (asked && options.contacts.some((o) => o.id === asked) ? asked : options.contacts.length === 1 ? options.contacts[0].id : '')
  return {
    step: 2 as const,
    searched: false,
    organisations: [],
    org: { id: org.id, name: org.name },
    deal: deal && deal.canWrite ? { id: deal.id, title: deal.title } : null,
    options,
    contactId,
    commandId: randomUUID(),
    // The company's defaults (/settings/company), editable here.
    defaults: { validity_days: String(company.default_validity_days), payment_terms: company.default_payment_terms ?? '' },
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canEditQuotes(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const orgId = String(form.get('organisation_id') ?? '')
  const org = isUuid(orgId) ? await findVisibleOrganisation(auth, orgId) : null
  if (!org) return failure(values, { organisation_id: auth.t('quote.organisationNotFound') }, 400)
  const { fields, errors: readErrors } = readQuoteFields(form, org.id, auth)
  const options = await partyOptions(auth, org.id)
  const errors = { ...quoteFieldErrors(fields, auth.locale), ...readErrors, ...checkParties(fields, options, null, auth.t) }
  if (Object.keys(errors).length) return failure(values, errors, 400)
  const commandId = commandIdOf(form)
  const id = randomUUID()
  let created: string = id
  try {
    const r = await createQuoteCommand(context.runtime.db, auth.ctx(commandId), { id, fields })
    if (r.duplicate && commandId) created = (await streamIdOfCommand(auth, commandId)) ?? id
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/quotes/${created}?cree=1`)
}

export default function NewQuote() {
  const data = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const busy = navigation.state === 'submitting'
  if (data.step === 1) {
    return (
      <>
        <PageHeader title={t('quote.new')} subtitle={t('quote.newStep1Hint')} />
        <Card title={t('quote.newStep1')} className="max-w-2xl">
          {data.organisations.length === 0 && !data.searched ? <Alert tone="info">{t('quote.noOrganisations')}</Alert> : null}
          <Form method="get" className="space-y-4">
            <OrganisationPicker name="organisation" label={t('quote.organisation')} value="" required options={data.organisations} />
            <Button>{t('quote.continue')}</Button>
          </Form>
          <OrganisationSearchForm />
        </Card>
      </>
    )
  }
  const v = failed?.values
  const e = failed?.errors ?? {}
  return (
    <>
      <PageHeader
        title={t('quote.new')}
        subtitle={
          <span>
            {data.org!.name} ·{' '}
            <Link to="/quotes/new" className="font-medium text-indigo-800 hover:underline">
              {t('quote.changeOrganisation')}
            </Link>
          </span>
        }
      />
      <Card className="max-w-3xl">
        <Form method="post" noValidate className="space-y-5">
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={v?.commandId ?? data.commandId} />
          <input type="hidden" name="organisation_id" value={data.org!.id} />
          {failed ? <Alert tone="error">{failed.formError ?? e.organisation_id ?? t('errors.formSummary')}</Alert> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <SelectField
              name="contact_id"
              label={t('quote.contact')}
              hint={t('quote.contactHint')}
              defaultValue={v?.contact_id ?? data.contactId}
              error={e.contact_id}
            >
              <option value="">{t('quote.noContact')}</option>
              {data.options!.contacts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </SelectField>
            <SelectField name="deal_id" label={t('quote.deal')} hint={t('quote.dealHint')} defaultValue={v?.deal_id ?? data.deal?.id ?? ''} error={e.deal_id}>
              <option value="">{t('quote.noDeal')}</option>
              {data.options!.deals.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </SelectField>
          </div>
          <TextField
            name="title"
            label={t('quote.title')}
            hint={t('quote.titleHint')}
            defaultValue={v?.title ?? data.deal?.title ?? ''}
            error={e.title}
            maxLength={200}
          />
          <div className="grid gap-4 sm:grid-cols-[10rem_minmax(0,1fr)]">
            <TextField
              name="validity_days"
              label={t('quote.validity')}
              hint={t('quote.validityHint')}
              inputMode="numeric"
              defaultValue={v?.validity_days ?? data.defaults.validity_days}
              error={e.validity_days}
            />
            <TextAreaField
              name="payment_terms"
              maxLength={TEXT_LIMITS.terms}
              label={t('quote.paymentTerms')}
              hint={t('quote.paymentTermsHint')}
              rows={2}
              defaultValue={v?.payment_terms ?? data.defaults.payment_terms}
              error={e.payment_terms}
            />
          </div>
          <TextAreaField
            name="notes"
            maxLength={TEXT_LIMITS.description}
            label={t('quote.notes')}
            hint={t('quote.notesHint')}
            rows={3}
            defaultValue={v?.notes ?? ''}
            error={e.notes}
          />
          <Button disabled={busy}>{t('quote.create')}</Button>
        </Form>
      </Card>
    </>
  )
}
