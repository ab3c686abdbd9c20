import {
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { analyseProductImport, PRODUCT_IMPORT_ENTITY } from '../../domain/sales/product-import'
import { forbidden, requireUser } from '~/utils/auth.server'
import { assertCsrf } from '~/utils/csrf.server'
import { formatDateTime } from '~/utils/format'
import { domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { MAX_IMPORT_BYTES } from '~/utils/import.server'
import { canManageProducts } from '~/utils/products.server'

export const meta: MetaFunction = () => [{ title: 'Importer des produits — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageProducts(auth.actor)) throw forbidden()
  const recent = await auth.tenant
    .selectFrom('imports')
    .select(['imports.id', 'imports.file_name', 'imports.status', 'imports.created_at'])
    .where('imports.entity', '=', PRODUCT_IMPORT_ENTITY)
    .orderBy('imports.created_at', 'desc')
    .limit(10)
    .execute()
  return { recent }
}

/** Step 1, as /import does for organisations: upload (multipart, no JavaScript needed), then the dry-run report. */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canManageProducts(auth.actor)) throw forbidden()
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) return failure({}, { file: auth.t('import.tooLarge') }, 413)
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }))
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return failure({}, { file: auth.t('import.tooLarge') }, 413)
    throw e
  }
  assertCsrf(form, auth.session)
  const values = formValues(form)
  const file = form.get('file')
  if (!(file instanceof Blob) || (file.size === 0 && !(file as File).name)) return failure(values, { file: auth.t('import.noFile') }, 400)
  let id: string
  try {
    id = (
      await analyseProductImport(context.runtime.db, auth.ctx(), {
        fileName: (file as File).name || 'produits.csv',
        bytes: new Uint8Array(await file.arrayBuffer()),
      })
    ).importId
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/products/import/${id}`)
}

export default function ProductImportPage() {
  const { recent } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const busy = navigation.state !== 'idle' && navigation.formMethod === 'POST'
  const fileError = failed?.errors.file ?? failed?.errors.mapping
  return (
    <>
      <PageHeader title={t('product.importTitle')} subtitle={t('product.importSubtitle')} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Form method="post" encType="multipart/form-data" noValidate className="space-y-5">
            <AuthenticityTokenInput />
            {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
            <div>
              <label htmlFor="f-file" className="block text-sm font-medium text-slate-800">
                {t('import.file')}
                <span className="text-red-700" aria-hidden="true">
                  {' '}
                  *
                </span>
                <span className="sr-only"> ({t('common.required')})</span>
              </label>
              <input
                id="f-file"
                name="file"
                type="file"
                accept=".csv,.txt,text/csv"
                required
                aria-invalid={fileError ? true : undefined}
                aria-describedby={`file-hint${fileError ? ' file-error' : ''}`}
                className="mt-1 block w-full rounded-md border border-slate-300 bg-white text-sm text-slate-800 file:mr-3 file:border-0 file:bg-indigo-50 file:px-4 file:py-2 file:font-semibold file:text-indigo-800 hover:file:bg-indigo-100 focus:outline-none focus:ring-2 focus:ring-indigo-600"
              />
              <p id="file-hint" className="mt-1 text-xs text-slate-600">
                {t('product.importColumns')}
              </p>
              {fileError ? (
                <p id="file-error" className="mt-1 text-sm font-medium text-red-700">
                  {fileError}
                </p>
              ) : null}
            </div>
            <Button disabled={busy} aria-busy={busy || undefined}>
              {busy ? t('import.analysing') : t('import.analyse')}
            </Button>
          </Form>
        </Card>
        <Card title={t('product.importRecent')} className="self-start">
          {recent.length === 0 ? (
            <p className="text-sm text-slate-600">{t('import.none')}</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {recent.map((r) => (
                <li key={r.id} className="py-2">
                  <Link to={`/products/import/${r.id}`} className="font-medium text-indigo-800 hover:underline">
                    {r.file_name}
                  </Link>
                  <div className="mt-0.5 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                    <Badge tone={r.status === 'committed' ? 'green' : 'amber'}>
                      {t(r.status === 'committed' ? 'import.status.committed' : 'import.status.analysed')}
                    </Badge>
                    <span>{formatDateTime(r.created_at)}</span>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  )
}
