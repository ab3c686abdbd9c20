import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { ImportLinesTable, RejectedRowsDownload } from '~/components/import-lines-table'
import { useT } from '~/i18n/use-t'
import type { Mapping } from '../../domain/crm/import/import.commands'
import { analyseProductImport, commitProductImport, PRODUCT_IMPORT_ENTITY, PRODUCT_TARGETS } from '../../domain/sales/product-import'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { formatDateTime, formatInteger } from '~/utils/format'
import { domainFailure, failure, formValues, isUuid, type FormFailure } from '~/utils/forms.server'
import { importPreview, rejectedRowsIn, type StoredReport } from '~/utils/import.server'
import { canManageProducts } from '~/utils/products.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.imp.file_name ?? 'Import'} — Catalogue — Alforis CRM` }]

async function findImport(auth: Awaited<ReturnType<typeof requireUser>>, id: string | undefined) {
  if (!canManageProducts(auth.actor)) throw forbidden()
  if (!isUuid(id)) throw notFound()
  const imp = await auth.tenant
    .selectFrom('imports')
    .selectAll()
    .where('imports.id', '=', id)
    .where('imports.entity', '=', PRODUCT_IMPORT_ENTITY)
    .executeTakeFirst()
  if (!imp) throw notFound()
  return imp
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const imp = await findImport(auth, params.id)
  const preview = importPreview(imp.content)
  const report = imp.report as unknown as StoredReport
  const mapping = imp.mapping as Record<string, string | null>
  return {
    imp: { id: imp.id, file_name: imp.file_name, status: imp.status, created_at: imp.created_at, committed_at: imp.committed_at },
    columns: preview.headers.map((header, i) => ({ header, samples: preview.sample.map((r) => r[i] ?? '').filter(Boolean), field: mapping[String(i)] ?? '' })),
    report: {
      total: report.total,
      valid: report.valid,
      toCreate: report.toCreate,
      toUpdate: report.toUpdate,
      unchanged: report.unchanged,
      rejected: rejectedRowsIn(auth.locale, report, 200),
      rejectedCount: report.rejected.length,
    },
    targets: PRODUCT_TARGETS.map((f) => ({ key: f.key, label: f.label, required: !!f.required })),
  }
}

/** The mapping posted (`col_0`, `col_1`…), known fields only; an error when a field is chosen twice. */
function readMapping(form: FormData, columns: number): { mapping: Mapping; error: string | null } {
  const known = new Set(PRODUCT_TARGETS.map((f) => f.key))
  const mapping: Mapping = {}
  const seen = new Set<string>()
  let error: string | null = null
  for (let i = 0; i < columns; i++) {
    const v = form.get(`col_${i}`)
    const field = typeof v === 'string' && known.has(v) ? v : null
    mapping[String(i)] = field
    if (field && seen.has(field))
      error ??= `Le champ « ${PRODUCT_TARGETS.find((f) => f.key === field)!.label} » est associé à deux colonnes : gardez-en une seule.`
    if (field) seen.add(field)
  }
  return { mapping, error }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const imp = await findImport(auth, params.id)
  const values = formValues(auth.form)
  if (imp.status === 'committed') return failure(values, {}, 409, auth.t('import.alreadyDone', { date: formatDateTime(imp.committed_at) }))
  const db = context.runtime.db
  if (auth.form.get('intent') === 'analyse') {
    const { mapping, error } = readMapping(auth.form, importPreview(imp.content).headers.length)
    if (error) return failure(values, { mapping: error }, 400)
    try {
      await analyseProductImport(db, auth.ctx(), {
        fileName: imp.file_name,
        bytes: new TextEncoder().encode(imp.content),
        mapping,
        importId: imp.id,
        encoding: (imp.report as unknown as StoredReport).encoding,
      })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect(`/products/import/${imp.id}`)
  }
  try {
    await commitProductImport(db, auth.ctx(), imp.id)
  } catch (e) {
    return domainFailure(e, values, auth)
  }
  throw redirect(`/products/import/${imp.id}?valide=1`)
}

export default function ProductImportReport() {
  const { imp, columns, report, targets } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const committed = imp.status === 'committed'
  const busy = navigation.state !== 'idle' && navigation.formMethod === 'POST'
  const toWrite = report.toCreate + report.toUpdate
  const counts: [string, number][] = committed
    ? [
        [t('import.total'), report.total],
        [t('import.created'), report.toCreate],
        [t('import.updated'), report.toUpdate],
        [t('import.unchanged'), report.unchanged],
        [t('import.rejected'), report.rejectedCount],
      ]
    : [
        [t('import.total'), report.total],
        [t('import.valid'), report.valid],
        [t('import.toCreate'), report.toCreate],
        [t('import.toUpdate'), report.toUpdate],
        [t('import.unchanged'), report.unchanged],
        [t('import.rejected'), report.rejectedCount],
      ]
  return (
    <>
      <PageHeader
        title={imp.file_name}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={committed ? 'green' : 'amber'}>{t(committed ? 'import.status.committed' : 'import.status.analysed')}</Badge>
            <span>{formatDateTime(committed ? imp.committed_at : imp.created_at)}</span>
          </span>
        }
        actions={
          <LinkButton to="/products" variant="secondary">
            {t('product.backToCatalogue')}
          </LinkButton>
        }
      />
      {committed ? (
        <div className="mb-4">
          <Alert tone="success">
            {t('import.done', { created: report.toCreate, updated: report.toUpdate, unchanged: report.unchanged, rejected: report.rejectedCount })}
          </Alert>
        </div>
      ) : null}
      {failed?.formError ? (
        <div className="mb-4">
          <Alert tone="error">{failed.formError}</Alert>
        </div>
      ) : null}
      <div className="space-y-6">
        <Card title={committed ? t('import.reportCommitted') : t('import.report')}>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="import-report">
            {counts.map(([label, n]) => (
              <div key={label} className="rounded-md border border-slate-200 px-3 py-2">
                <dt className="text-xs font-medium text-slate-600">{label}</dt>
                <dd className="text-xl font-semibold tabular-nums text-slate-900">{formatInteger(n)}</dd>
              </div>
            ))}
          </dl>
          {report.rejected.length ? (
            <ImportLinesTable title={t('import.rejectedList')} lines={report.rejected} testId="rejected-rows" tall>
              <RejectedRowsDownload href={`/products/import/${imp.id}/rejets.csv`} />
            </ImportLinesTable>
          ) : null}
          {!committed ? (
            <Form method="post" className="mt-5 border-t border-slate-100 pt-5">
              <AuthenticityTokenInput />
              <input type="hidden" name="intent" value="commit" />
              {toWrite > 0 ? (
                <Button disabled={busy}>{toWrite === 1 ? t('import.commitOne') : t('import.commit', { count: formatInteger(toWrite) })}</Button>
              ) : (
                <p className="text-sm text-slate-700">{t('import.nothingToDo')}</p>
              )}
            </Form>
          ) : null}
        </Card>
        {!committed ? (
          <Card title={t('import.mapping')}>
            <Form method="post" className="space-y-4">
              <AuthenticityTokenInput />
              <input type="hidden" name="intent" value="analyse" />
              {failed?.errors.mapping ? (
                <Alert tone="error" id="mapping-error">
                  {failed.errors.mapping}
                </Alert>
              ) : null}
              <div className="overflow-x-auto rounded-md border border-slate-200">
                <table className="w-full text-sm">
                  <thead className="bg-slate-50 text-left text-slate-700">
                    <tr>
                      <th scope="col" className="px-3 py-2">
                        {t('import.column')}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t('import.samples')}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t('import.target')}
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {columns.map((c, i) => (
                      <tr key={i}>
                        <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">
                          {c.header || `${t('import.column')} ${i + 1}`}
                        </th>
                        <td className="max-w-[16rem] truncate px-3 py-2 text-xs text-slate-600">{c.samples.join(' · ') || '—'}</td>
                        <td className="px-3 py-2">
                          <select
                            name={`col_${i}`}
                            defaultValue={failed?.values[`col_${i}`] ?? c.field}
                            aria-label={`${t('import.target')} — ${c.header || i + 1}`}
                            className="block w-full min-w-[10rem] rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600"
                          >
                            <option value="">{t('import.ignore')}</option>
                            {targets.map((f) => (
                              <option key={f.key} value={f.key}>
                                {f.label}
                                {f.required ? ` (${t('import.required')})` : ''}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Button variant="secondary" disabled={busy}>
                {t('import.reanalyse')}
              </Button>
            </Form>
          </Card>
        ) : null}
      </div>
    </>
  )
}
