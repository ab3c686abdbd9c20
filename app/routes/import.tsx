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
import { SelectField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { analyseImport } from '../../domain/crm/import/import.commands'
import { ValidationError } from '../../domain/shared/errors'
import { forbidden, requireUser } from '~/utils/auth.server'
import { assertCsrf } from '~/utils/csrf.server'
import { formatDateTime } from '~/utils/format'
import { domainFailure, failure, formValues, type FormFailure } from '~/utils/forms.server'
import { canImport, isImportEntity, MAX_IMPORT_BYTES, storeUnmappedImport } from '~/utils/import.server'

const ENTITIES = ['organisations', 'contacts'] as const

export const meta: MetaFunction = () => [{ title: 'Importer — Alforis CRM' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canImport(auth.actor)) throw forbidden()
  const recent = await auth.tenant
    .selectFrom('imports')
    .leftJoin('users', 'users.id', 'imports.user_id')
    .select([
      'imports.id',
      'imports.entity',
      'imports.file_name',
      'imports.status',
      'imports.created_at',
      'imports.committed_at',
      'users.full_name as user_name',
    ])
    // Catalogue imports have their own pages (/products/import).
    .where('imports.entity', 'in', [...ENTITIES])
    .orderBy('imports.created_at', 'desc')
    .limit(10)
    .execute()
  return { recent }
}

/**
 * Step 1: the upload (multipart, works without JavaScript). The file is analysed at once
 * — a dry run, nothing changes — and the mapping and report page takes over.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canImport(auth.actor)) throw forbidden()
  const length = Number(request.headers.get('Content-Length') ?? 0)
  if (length > MAX_IMPORT_BYTES + 64 * 1024) return failure({}, { file: auth.t('import.tooLarge') }, 413)
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }))
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return failure({}, { file: auth.t('import.tooLarge') }, 413)
    throw e
  }
  assertCsrf(form, auth.session)
  const values = formValues(form)
  const entity = form.get('entity')
  const file = form.get('file')
  const errors: Record<string, string> = {}
  if (!isImportEntity(entity)) errors.entity = auth.t('import.badEntity')
  if (!(file instanceof Blob) || (file.size === 0 && !(file as File).name)) errors.file = auth.t('import.noFile')
  if (Object.keys(errors).length || !isImportEntity(entity) || !(file instanceof Blob)) return failure(values, errors, 400)
  const bytes = new Uint8Array(await file.arrayBuffer())
  const fileName = (file as File).name || 'import.csv'
  const ctx = auth.ctx()
  let id: string
  try {
    id = (await analyseImport(context.runtime.db, ctx, { entity, fileName, bytes })).importId
  } catch (e) {
    // Headers that name no required field: keep the file, the user maps its columns by hand.
    if (e instanceof ValidationError && e.fieldErrors.mapping)
      id = await storeUnmappedImport(context.runtime.db, ctx, { entity, fileName, bytes, error: e.fieldErrors.mapping })
    else return domainFailure(e, values, auth)
  }
  throw redirect(`/import/${id}`)
}

export default function ImportPage() {
  const { recent } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const busy = navigation.state !== 'idle' && navigation.formMethod === 'POST'
  return (
    <>
      <PageHeader title={t('import.title')} subtitle={t('import.subtitle')} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <Form method="post" encType="multipart/form-data" noValidate className="space-y-5">
            <AuthenticityTokenInput />
            {failed ? <Alert tone="error">{failed.formError ?? t('errors.formSummary')}</Alert> : null}
            <SelectField
              name="entity"
              label={t('import.entity')}
              required
              defaultValue={failed?.values.entity ?? 'organisations'}
              error={failed?.errors.entity}
            >
              {ENTITIES.map((e) => (
                <option key={e} value={e}>
                  {t(`import.entity.${e}`)}
                </option>
              ))}
            </SelectField>
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
                aria-invalid={failed?.errors.file ? true : undefined}
                aria-describedby={`file-hint${failed?.errors.file ? ' file-error' : ''}`}
                className="mt-1 block w-full rounded-md border border-slate-300 bg-white text-sm text-slate-800 file:mr-3 file:border-0 file:bg-indigo-50 file:px-4 file:py-2 file:font-semibold file:text-indigo-800 hover:file:bg-indigo-100 focus:outline-none focus:ring-2 focus:ring-indigo-600"
              />
              <p id="file-hint" className="mt-1 text-xs text-slate-600">
                {t('import.fileHint')}
              </p>
              {failed?.errors.file ? (
                <p id="file-error" className="mt-1 text-sm font-medium text-red-700">
                  {failed.errors.file}
                </p>
              ) : null}
            </div>
            <Button disabled={busy} aria-busy={busy || undefined}>
              {busy ? t('import.analysing') : t('import.analyse')}
            </Button>
          </Form>
        </Card>
        <Card title={t('import.recent')} className="self-start">
          {recent.length === 0 ? (
            <p className="text-sm text-slate-600">{t('import.none')}</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {recent.map((r) => (
                <li key={r.id} className="py-2">
                  <Link to={`/import/${r.id}`} className="font-medium text-indigo-800 hover:underline">
                    {r.file_name}
                  </Link>
                  <div className="mt-0.5 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                    <Badge tone={r.status === 'committed' ? 'green' : r.status === 'failed' ? 'red' : 'amber'}>{t(`import.status.${r.status}`)}</Badge>
                    <span>{t(`import.entity.${r.entity as (typeof ENTITIES)[number]}`)}</span>
                    <span>· {formatDateTime(r.created_at)}</span>
                    {r.user_name ? <span>· {r.user_name}</span> : null}
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
