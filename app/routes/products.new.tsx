import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { ProductFields } from '~/components/quotes/product-fields'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { createProductCommand } from '../../domain/sales/product.commands'
import { validateProductFields } from '../../domain/sales/product.decide'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '~/i18n/errors'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { canManageProducts, productCategories, readProductFields, productFormSchema } from '~/utils/products.server'

export const meta: MetaFunction = () => [{ title: 'Nouveau produit — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageProducts(auth.actor)) throw forbidden()
  return { categories: await productCategories(auth), commandId: randomUUID() }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canManageProducts(auth.actor)) throw forbidden()
  const values = formValues(auth.form)
  const parsed = parseForm(auth.form, productFormSchema, auth)
  if (!parsed.ok) return failure(values, parsed.fieldErrors, 422)
  const { fields, errors } = readProductFields(parsed.value, auth.t)
  if (Object.keys(errors).length) {
    try {
      validateProductFields({ ...fields, unit_price_cents: 0 })
    } catch (e) {
      if (e instanceof ValidationError) return failure(values, { ...fieldErrorsOf(auth.locale, e), ...errors }, 400)
    }
    return failure(values, errors, 400)
  }
  try {
    await createProductCommand(context.runtime.db, auth.ctx(commandIdOf(auth.form)), { id: randomUUID(), fields })
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect('/products?cree=1')
}

export default function NewProduct() {
  const { categories, commandId } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  return (
    <>
      <PageHeader title={t('product.new')} />
      <Card className="max-w-3xl">
        <Form method="post" noValidate className="space-y-5">
          <AuthenticityTokenInput />
          <input type="hidden" name="commandId" value={failed?.values.commandId ?? commandId} />
          {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
          <ProductFields values={failed?.values ?? {}} errors={failed?.errors ?? {}} categories={categories} />
          <Button disabled={navigation.state === 'submitting'}>{t('common.create')}</Button>
        </Form>
      </Card>
    </>
  )
}
