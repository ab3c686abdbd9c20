import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { HistoryList } from '~/components/history-list'
import { ProductFields } from '~/components/quotes/product-fields'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { archiveProductCommand, restoreProductCommand, updateProductCommand } from '../../domain/sales/product.commands'
import { validateProductFields } from '../../domain/sales/product.decide'
import { ValidationError } from '../../domain/shared/errors'
import { fieldErrorsOf } from '~/i18n/errors'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { formatEuros } from '~/utils/format'
import { parseForm } from '~/utils/form-schema.server'
import { commandIdOf, domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { historyOf } from '~/utils/history.server'
import { canManageProducts, findProduct, productCategories, productToValues, readProductFields, productFormSchema } from '~/utils/products.server'
import { vatLabel } from '~/components/quotes/quote-form'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.product.name ?? 'Produit'} — Catalogue — Alforis CRM` }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const p = await findProduct(auth, params.id ?? '')
  if (!p) throw notFound()
  const [categories, history] = await Promise.all([productCategories(auth), historyOf(auth, p.id)])
  return {
    product: {
      id: p.id,
      name: p.name,
      code: p.code,
      description: p.description,
      unit: p.unit,
      unit_price_cents: Number(p.unit_price_cents),
      vat_rate: p.vat_rate,
      vat_exemption: p.vat_exemption,
      category: p.category,
      active: p.active,
      version: p.version,
    },
    values: productToValues(p),
    categories,
    history,
    canManage: canManageProducts(auth.actor),
    commandId: randomUUID(),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  if (!canManageProducts(auth.actor)) throw forbidden()
  const p = await findProduct(auth, params.id ?? '')
  if (!p) throw notFound()
  const { form } = auth
  const values = formValues(form)
  const expectedVersion = Number(form.get('version'))
  if (!Number.isSafeInteger(expectedVersion)) return failure(values, {}, 400, auth.t('errors.generic'))
  const ctx = auth.ctx(commandIdOf(form))
  const db = context.runtime.db
  const intent = form.get('intent')
  try {
    if (intent === 'archive') {
      await archiveProductCommand(db, ctx, { id: p.id, expectedVersion })
      throw redirect(`/products/${p.id}?archive=1`)
    }
    if (intent === 'restore') {
      await restoreProductCommand(db, ctx, { id: p.id, expectedVersion })
      throw redirect(`/products/${p.id}?restaure=1`)
    }
    const parsed = parseForm(form, productFormSchema, auth)
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
    await updateProductCommand(db, ctx, { id: p.id, expectedVersion, fields })
  } catch (e) {
    if (e instanceof Response) throw e
    return domainFailure(e, values, auth)
  }
  throw redirect(`/products/${p.id}?enregistre=1`)
}

export default function ProductPage() {
  const { product: p, values, categories, history, canManage, commandId } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [search] = useSearchParams()
  const navigation = useNavigation()
  const t = useT()
  const busy = navigation.state === 'submitting'
  const notice = search.get('archive')
    ? t('product.archivedDone')
    : search.get('restaure')
      ? t('product.restored')
      : search.get('enregistre')
        ? t('common.saved')
        : null
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            {p.name}
            <Badge tone={p.active ? 'green' : 'slate'}>{p.active ? t('product.active') : t('product.archived')}</Badge>
          </span>
        }
        subtitle={`${formatEuros(p.unit_price_cents)} HT / ${p.unit} · TVA ${vatLabel(p.vat_rate)}${p.code ? ` · ${p.code}` : ''}`}
        actions={
          <LinkButton to="/products" variant="secondary">
            {t('product.backToCatalogue')}
          </LinkButton>
        }
      />
      {notice && !failed ? (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {failed ? (
        <div className="mb-4">
          <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          {canManage && p.active ? (
            <Card title={t('product.edit')}>
              <Form method="post" noValidate className="space-y-5" key={p.version}>
                <AuthenticityTokenInput />
                <input type="hidden" name="intent" value="update" />
                <input type="hidden" name="commandId" value={commandId} />
                <input type="hidden" name="version" value={p.version} />
                <ProductFields values={failed?.values ?? values} errors={failed?.errors ?? {}} categories={categories} />
                <Button disabled={busy}>{t('common.save')}</Button>
              </Form>
            </Card>
          ) : (
            <Card>
              {!canManage ? (
                <p className="mb-4 text-sm text-slate-600">{t('product.readOnly')}</p>
              ) : (
                <p className="mb-4 text-sm text-slate-700">{t('product.archivedNotice')}</p>
              )}
              <dl className="grid gap-4 text-sm sm:grid-cols-2">
                {[
                  [t('product.name'), p.name],
                  [t('product.code'), p.code],
                  [t('product.unitPrice'), formatEuros(p.unit_price_cents)],
                  [t('product.unit'), p.unit],
                  [t('product.vatRate'), vatLabel(p.vat_rate)],
                  [t('product.vatExemption'), p.vat_exemption],
                  [t('product.category'), p.category],
                  [t('product.description'), p.description],
                ].map(([k, v]) => (
                  <div key={k}>
                    <dt className="font-medium text-slate-700">{k}</dt>
                    <dd className="mt-1 whitespace-pre-line text-slate-900">{v || t('common.none')}</dd>
                  </div>
                ))}
              </dl>
            </Card>
          )}
        </div>
        <div className="min-w-0 space-y-6">
          {canManage ? (
            <Card>
              <Form method="post" className="space-y-2">
                <AuthenticityTokenInput />
                <input type="hidden" name="intent" value={p.active ? 'archive' : 'restore'} />
                <input type="hidden" name="version" value={p.version} />
                {p.active ? <p className="text-xs text-slate-600">{t('product.archiveHint')}</p> : null}
                <Button variant="secondary" disabled={busy}>
                  {p.active ? t('product.archive') : t('product.restore')}
                </Button>
              </Form>
            </Card>
          ) : null}
          <Card title={t('common.history')}>
            <HistoryList items={history} />
          </Card>
        </div>
      </div>
    </>
  )
}
