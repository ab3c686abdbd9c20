import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Badge } from '~/components/ui/badge'
import { Button, LinkButton } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { ImportLinesTable, RejectedRowsDownload } from '~/components/import-lines-table'
import { useT } from '~/i18n/use-t'
import { analyseImport, commitImport } from '../../domain/crm/import/import.commands'
import { TARGETS } from '../../domain/crm/import/import-targets'
import { forbidden, notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { formatDateTime, formatInteger } from '~/utils/format'
import { domainFailure, failure, formValues, isUuid, type FormFailure } from '~/utils/forms.server'
import { translateRecorded } from '~/i18n/errors'
import {
  canImport,
  correctedRowsIn,
  detectedEncoding,
  importPreview,
  isImportEntity,
  readMapping,
  rejectedRowsIn,
  type StoredReport,
} from '~/utils/import.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.imp.file_name ?? 'Import'} — Importer — Alforis CRM` }]

const REJECTED_SHOWN = 200

async function findImport(request: Request, context: LoaderFunctionArgs['context'], id: string | undefined, withForm: boolean) {
  const auth = withForm ? await requireUserForm(request, context) : { ...(await requireUser(request, context)), form: new FormData() }
  if (!canImport(auth.actor)) throw forbidden()
  if (!isUuid(id)) throw notFound()
  const imp = await auth.tenant.selectFrom('imports').selectAll().where('imports.id', '=', id).executeTakeFirst()
  if (!imp || !isImportEntity(imp.entity)) throw notFound()
  return { auth, imp: { ...imp, entity: imp.entity } }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { auth, imp } = await findImport(request, context, params.id, false)
  const preview = importPreview(imp.content)
  const report = imp.report as unknown as StoredReport
  const mapping = imp.mapping as Record<string, string | null>
  return {
    imp: { id: imp.id, entity: imp.entity, file_name: imp.file_name, status: imp.status, created_at: imp.created_at, committed_at: imp.committed_at },
    encoding: detectedEncoding(imp.content, imp.file_sha256, report.encoding),
    delimiter: preview.delimiter,
    columns: preview.headers.map((header, i) => ({ header, samples: preview.sample.map((r) => r[i] ?? '').filter(Boolean), field: mapping[String(i)] ?? '' })),
    report: {
      total: report.total,
      valid: report.valid,
      toCreate: report.toCreate,
      toUpdate: report.toUpdate,
      unchanged: report.unchanged,
      rejectedCount: report.rejected.length,
      rejected: rejectedRowsIn(auth.locale, report, REJECTED_SHOWN),
      correctedCount: report.corrected?.length ?? 0,
      corrected: correctedRowsIn(auth.locale, report, REJECTED_SHOWN),
      mappingError: report.mappingError ? translateRecorded(auth.locale, report.mappingError) : null,
    },
    targets: TARGETS[imp.entity].map((f) => ({ key: f.key, label: f.label, required: !!f.required })),
  }
}

/**
 * Step 2: analyse again with the mapping the user chose (still a dry run), or step 3:
 * commit — every valid row lands in one transaction, or none does.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { auth, imp } = await findImport(request, context, params.id, true)
  const { form } = auth
  const values = formValues(form)
  if (imp.status === 'committed') return failure(values, {}, 409, auth.t('import.alreadyDone', { date: formatDateTime(imp.committed_at) }))
  const db = context.runtime.db
  if (form.get('intent') === 'analyse') {
    const { mapping, error } = readMapping(form, imp.entity, importPreview(imp.content).headers.length)
    if (error) return failure(values, { mapping: error }, 400)
    try {
      await analyseImport(db, auth.ctx(), {
        entity: imp.entity,
        fileName: imp.file_name,
        bytes: new TextEncoder().encode(imp.content),
        mapping,
        importId: imp.id,
        encoding: (imp.report as unknown as StoredReport).encoding,
      })
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect(`/import/${imp.id}`)
  }
  if (form.get('intent') === 'commit') {
    try {
      await commitImport(db, auth.ctx(), imp.id)
    } catch (e) {
      return domainFailure(e, values, auth)
    }
    throw redirect(`/import/${imp.id}?valide=1`)
  }
  return failure(values, {}, 400, auth.t('errors.generic'))
}

export default function ImportDetail() {
  const { imp, encoding, delimiter, columns, report, targets } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const navigation = useNavigation()
  const t = useT()
  const committed = imp.status === 'committed'
  const busyIntent = navigation.state !== 'idle' && navigation.formMethod === 'POST' ? navigation.formData?.get('intent') : null
  const toWrite = report.toCreate + report.toUpdate
  const canCommit = !committed && !report.mappingError && toWrite > 0
  const delimiterName = delimiter === '\t' ? t('import.delimiter.tab') : delimiter === ',' ? t('import.delimiter.,') : t('import.delimiter.;')
  const mappingError = failed?.errors.mapping ?? (failed ? undefined : (report.mappingError ?? undefined))
  const counts: [string, number, string][] = committed
    ? [
        [t('import.total'), report.total, 'slate'],
        [t('import.created'), report.toCreate, 'green'],
        [t('import.updated'), report.toUpdate, 'indigo'],
        [t('import.unchanged'), report.unchanged, 'slate'],
        [t('import.rejected'), report.rejectedCount, 'red'],
      ]
    : [
        [t('import.total'), report.total, 'slate'],
        [t('import.valid'), report.valid, 'slate'],
        [t('import.toCreate'), report.toCreate, 'green'],
        [t('import.toUpdate'), report.toUpdate, 'indigo'],
        [t('import.unchanged'), report.unchanged, 'slate'],
        [t('import.rejected'), report.rejectedCount, 'red'],
      ]
  return (
    <>
      <PageHeader
        title={imp.file_name}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <span>{t(`import.entity.${imp.entity}`)}</span>
            <Badge tone={committed ? 'green' : 'amber'}>{t(`import.status.${imp.status}`)}</Badge>
            <span>· {formatDateTime(committed ? imp.committed_at : imp.created_at)}</span>
          </span>
        }
        actions={
          committed ? (
            <LinkButton to="/import" variant="secondary">
              {t('import.another')}
            </LinkButton>
          ) : null
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

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card title={committed ? t('import.reportCommitted') : t('import.report')}>
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="import-report">
              {counts.map(([label, n, tone]) => (
                <div key={label} className="rounded-md border border-slate-200 px-3 py-2">
                  <dt className="text-xs font-medium text-slate-600">{label}</dt>
                  <dd
                    className={`text-xl font-semibold tabular-nums ${tone === 'green' ? 'text-green-800' : tone === 'red' && n > 0 ? 'text-red-700' : tone === 'indigo' ? 'text-indigo-800' : 'text-slate-900'}`}
                  >
                    {formatInteger(n)}
                  </dd>
                </div>
              ))}
            </dl>
            {report.rejected.length ? (
              <ImportLinesTable
                title={t('import.rejectedList')}
                lines={report.rejected}
                testId="rejected-rows"
                tall
                more={report.rejectedCount > report.rejected.length ? t('import.moreRejected', { count: report.rejectedCount - report.rejected.length }) : null}
              >
                <RejectedRowsDownload href={`/import/${imp.id}/rejets.csv`} />
              </ImportLinesTable>
            ) : null}
            {report.corrected.length ? (
              <ImportLinesTable
                title={t('import.correctedList')}
                lines={report.corrected}
                testId="corrected-rows"
                more={
                  report.correctedCount > report.corrected.length ? t('import.moreCorrected', { count: report.correctedCount - report.corrected.length }) : null
                }
              />
            ) : null}
            {!committed ? (
              <Form method="post" className="mt-5 border-t border-slate-100 pt-5">
                <AuthenticityTokenInput />
                <input type="hidden" name="intent" value="commit" />
                {canCommit ? (
                  <Button disabled={!!busyIntent} aria-busy={busyIntent === 'commit' || undefined}>
                    {busyIntent === 'commit'
                      ? t('import.committing')
                      : toWrite === 1
                        ? t('import.commitOne')
                        : t('import.commit', { count: formatInteger(toWrite) })}
                  </Button>
                ) : (
                  <p className="text-sm text-slate-700">{report.mappingError ? report.mappingError : t('import.nothingToDo')}</p>
                )}
                {busyIntent === 'commit' ? (
                  <p role="status" className="mt-2 text-sm text-slate-700">
                    {t('import.committing')} ({t('import.toCreate')} : {formatInteger(report.toCreate)}, {t('import.toUpdate')} :{' '}
                    {formatInteger(report.toUpdate)})
                  </p>
                ) : null}
              </Form>
            ) : null}
          </Card>

          {!committed ? (
            <Card title={t('import.mapping')}>
              <p className="mb-4 text-sm text-slate-600">{t('import.mappingHint')}</p>
              <Form method="post" className="space-y-4" key={JSON.stringify(columns.map((c) => c.field))}>
                <AuthenticityTokenInput />
                <input type="hidden" name="intent" value="analyse" />
                {mappingError ? (
                  <Alert tone="error" id="mapping-error">
                    {mappingError}
                  </Alert>
                ) : null}
                <div className="overflow-x-auto rounded-md border border-slate-200">
                  <table className="w-full text-sm">
                    <thead className="bg-slate-50 text-left text-slate-700">
                      <tr>
                        <th scope="col" className="px-3 py-2 font-semibold">
                          {t('import.column')}
                        </th>
                        <th scope="col" className="hidden px-3 py-2 font-semibold sm:table-cell">
                          {t('import.samples')}
                        </th>
                        <th scope="col" className="px-3 py-2 font-semibold">
                          {t('import.target')}
                        </th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {columns.map((c, i) => (
                        <tr key={i}>
                          <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">
                            {c.header || `${t('import.column')} ${i + 1}`}
                            <span className="block text-xs font-normal text-slate-600 sm:hidden">{c.samples.join(' · ')}</span>
                          </th>
                          <td className="hidden max-w-[16rem] px-3 py-2 text-xs text-slate-600 sm:table-cell">
                            {c.samples.length
                              ? c.samples.map((s, j) => (
                                  <span key={j} className="block truncate">
                                    {s}
                                  </span>
                                ))
                              : '—'}
                          </td>
                          <td className="px-3 py-2">
                            <select
                              name={`col_${i}`}
                              defaultValue={failed?.values[`col_${i}`] ?? c.field}
                              aria-label={`${t('import.target')} — ${c.header || i + 1}`}
                              aria-describedby={mappingError ? 'mapping-error' : undefined}
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
                <Button variant="secondary" disabled={!!busyIntent}>
                  {busyIntent === 'analyse' ? t('import.analysing') : t('import.reanalyse')}
                </Button>
              </Form>
            </Card>
          ) : null}
        </div>

        <Card title={t('import.fileInfo')} className="self-start">
          <dl className="space-y-2 text-sm">
            {[
              [t('import.entity'), t(`import.entity.${imp.entity}`)],
              [t('import.encoding'), encoding],
              [t('import.delimiter'), delimiterName],
              [t('import.rows'), formatInteger(report.total)],
              [t('import.mapping'), String(columns.length)],
            ].map(([k, v]) => (
              <div key={k} className="flex justify-between gap-4">
                <dt className="text-slate-600">{k}</dt>
                <dd className="font-medium text-slate-900">{v}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>
    </>
  )
}
