import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { ContractFields } from '~/components/contract-fields'
import { Alert } from '~/components/ui/alert'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { updateContractCommand } from '../../domain/contracts/contract.commands'
import { isClosed } from '../../domain/contracts/contract'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { contractFormOptions, contractFormSchema, contractFormValues, findVisibleContract, readContractFields } from '~/utils/contracts.server'
import { parseForm } from '~/utils/form-schema.server'
import { domainFailure, failure, type FormFailure } from '~/utils/forms.server'

export const meta: MetaFunction = () => [{ title: 'Modifier le contrat — Alforis CRM' }]

async function load(auth: Awaited<ReturnType<typeof requireUser>>, id: string) {
  const c = await findVisibleContract(auth, id)
  if (!c) throw notFound()
  if (!c.canWrite || isClosed(c)) throw forbidden()
  return c
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const c = await load(auth, params.id ?? '')
  return { id: c.id, version: c.version, locked: c.status !== 'brouillon', values: contractFormValues(c), options: await contractFormOptions(auth) }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const c = await load(auth, params.id ?? '')
  const parsed = parseForm(auth.form, contractFormSchema, auth)
  if (!parsed.ok) return failure(parsed.values, parsed.fieldErrors, 422)
  try {
    await updateContractCommand(context.runtime.db, auth.ctx(), {
      id: c.id,
      expectedVersion: Number(auth.form.get('version')),
      fields: readContractFields(parsed.value),
    })
  } catch (e) {
    return domainFailure(e, parsed.values, auth)
  }
  throw redirect(`/contracts/${c.id}?enregistre=1`)
}

export default function EditContract() {
  const { id, version, locked, values, options } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const t = useT()
  return (
    <>
      <PageHeader title={t('contract.edit')} />
      <Card>
        <Form method="post" noValidate className="space-y-6">
          <AuthenticityTokenInput />
          <input type="hidden" name="version" value={version} />
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <ContractFields values={failed?.values ?? values} errors={failed?.errors ?? {}} options={options} locked={locked} />
          <div className="flex flex-wrap gap-3">
            <Button>{t('common.save')}</Button>
            <LinkButton to={`/contracts/${id}`} variant="secondary">
              {t('common.cancel')}
            </LinkButton>
          </div>
        </Form>
      </Card>
    </>
  )
}
