import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { OrganisationPicker, OrganisationSearchForm } from '~/components/organisation-picker'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { commandIdOf, domainFailure, failure, formValues, isUuid, type FormFailure } from '~/utils/forms.server'
import { canWriteInvoices } from '~/utils/invoices.server'
import { findVisibleOrganisation, organisationOptions, streamIdOfCommand } from '~/utils/records.server'
import { createInvoiceDraftCommand, defaultInvoiceFields } from '../../domain/invoicing/invoice.commands'

export const meta: MetaFunction = () => [{ title: 'Nouvelle facture — Alforis CRM' }]

// /invoices/new — choose the customer; the draft (no number) is created with the
// workspace's default conditions and opened in the editor.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  const url = new URL(request.url)
  return {
    organisations: await organisationOptions(auth, { q: url.searchParams.get('org_q'), include: url.searchParams.get('organisation'), limit: 100 }),
    selected: url.searchParams.get('organisation') ?? '',
    commandId: randomUUID(),
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  const values = formValues(auth.form)
  const orgId = String(auth.form.get('organisation_id') ?? '')
  const org = isUuid(orgId) ? await findVisibleOrganisation(auth, orgId) : null
  if (!org) return failure(values, { organisation_id: auth.t('quote.organisationNotFound') }, 400)
  const commandId = commandIdOf(auth.form)
  const id = randomUUID()
  let created: string = id
  try {
    const fields = await defaultInvoiceFields(context.runtime.db, auth.user.workspaceId, org.id)
    const r = await createInvoiceDraftCommand(context.runtime.db, auth.ctx(commandId), { id, fields })
    if (r.duplicate && commandId) created = (await streamIdOfCommand(auth, commandId)) ?? id
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/invoices/${created}`)
}

export default function NewInvoice() {
  const data = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  return (
    <>
      <PageHeader title={t('invoice.new')} subtitle={t('invoice.newStep1Hint')} />
      <Card title={t('invoice.newStep1')} className="max-w-2xl">
        <Form method="post" className="space-y-4">
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={failed?.values.commandId ?? data.commandId} />
          {failed ? <Alert tone="error">{failed.formError ?? failed.errors.organisation_id ?? t('errors.formSummary')}</Alert> : null}
          <OrganisationPicker
            name="organisation_id"
            label={t('invoice.organisation')}
            value={failed?.values.organisation_id ?? data.selected}
            required
            error={failed?.errors.organisation_id}
            options={data.organisations}
          />
          <Button disabled={busy}>{t('invoice.createDraft')}</Button>
        </Form>
        <OrganisationSearchForm />
      </Card>
    </>
  )
}
