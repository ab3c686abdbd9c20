import {
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { forbidden, requireUser, requireUserForm } from '~/utils/auth.server'
import { assertCsrf } from '~/utils/csrf.server'
import { formatDateTime, formatEuros, formatIsoDate } from '~/utils/format'
import { domainFailure, failure, formValues, isUuid, text, type FormFailure } from '~/utils/forms.server'
import { MAX_IMPORT_BYTES } from '~/utils/import.server'
import { canWriteInvoices } from '~/utils/invoices.server'
import { confirmBankMatchCommand, ignoreBankLineCommand, importBankStatementCommand, pendingBankLines } from '../../domain/invoicing/bank-import.commands'

export const meta: MetaFunction = () => [{ title: 'Rapprochement bancaire — Alforis CRM' }]

// /invoices/bank — bank reconciliation: upload a statement (CSV), then for each receipt
// not matched yet, the proposed invoice (by number in the label and by amount) or another
// one picked by hand, confirmed line by line; each confirmation records a transfer
// payment. Finance and admins only; every step is a plain form (works without JS).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  const importId = new URL(request.url).searchParams.get('releve')
  const [pending, report] = await Promise.all([
    pendingBankLines(context.runtime.db, auth.user.workspaceId),
    importId && isUuid(importId) ? auth.tenant.selectFrom('bank_statement_imports').selectAll().where('id', '=', importId).executeTakeFirst() : null,
  ])
  return {
    report: report ?? null,
    lines: pending.lines.map((l) => ({
      ...l,
      proposals: l.proposals.map((p) => ({ id: p.invoice.id, reason: p.reason })),
    })),
    open: pending.open,
  }
}

async function upload(request: Request, context: ActionFunctionArgs['context']) {
  const auth = await requireUser(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) return failure({}, { file: auth.t('import.tooLarge') }, 413)
  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }))
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return failure({}, { file: auth.t('import.tooLarge') }, 413)
    throw e
  }
  assertCsrf(form, auth.session)
  const file = form.get('file')
  if (!(file instanceof Blob) || (file.size === 0 && !(file as File).name)) return failure({ intent: 'upload' }, { file: auth.t('import.noFile') }, 400)
  try {
    const r = await importBankStatementCommand(context.runtime.db, auth.ctx(), {
      fileName: (file as File).name || 'releve.csv',
      bytes: new Uint8Array(await file.arrayBuffer()),
    })
    throw redirect(`/invoices/bank?releve=${r.id}`)
  } catch (e) {
    if (e instanceof Response) throw e
    return domainFailure(e, { intent: 'upload' }, auth)
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  if ((request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')) return upload(request, context)
  const auth = await requireUserForm(request, context)
  if (!canWriteInvoices(auth.actor)) throw forbidden()
  const { form } = auth
  const values = formValues(form)
  const lineId = text(form, 'line_id')
  if (!isUuid(lineId)) return failure(values, { line_id: auth.t('invoice.bank.lineMissing') }, 400)
  try {
    if (text(form, 'intent') === 'ignore') {
      await ignoreBankLineCommand(context.runtime.db, auth.ctx(), { lineId })
      throw redirect('/invoices/bank?ecartee=1')
    }
    const invoiceId = text(form, 'invoice_id')
    if (!isUuid(invoiceId)) return failure(values, { invoice_id: auth.t('invoice.bank.pickInvoice') }, 400)
    await confirmBankMatchCommand(context.runtime.db, auth.ctx(), { lineId, invoiceId })
    throw redirect('/invoices/bank?rapprochee=1')
  } catch (e) {
    if (e instanceof Response) throw e
    return domainFailure(e, values, auth)
  }
}

export default function BankReconciliationPage() {
  const { report, lines, open } = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [search] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const uploadFailed = failed?.values?.intent === 'upload' || failed?.errors.file
  const fileError = uploadFailed ? (failed?.errors.file ?? failed?.formError) : undefined
  const byId = new Map(open.map((o) => [o.id, o]))
  const invoiceLabel = (o: (typeof open)[number]) => `${o.number} — ${o.organisation_name} — ${formatEuros(o.remaining_cents)}`
  const notice = search.get('rapprochee') ? t('invoice.bank.matched') : search.get('ecartee') ? t('invoice.bank.ignored') : null
  return (
    <>
      <PageHeader title={t('invoice.bank.title')} subtitle={t('invoice.bank.subtitle')} />
      {notice ? (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {report ? (
        <div className="mb-4" data-testid="bank-report">
          <Alert tone="info">
            {t('invoice.bank.report', {
              file: report.file_name,
              read: report.lines_read,
              added: report.lines_added,
              duplicate: report.lines_duplicate,
              debit: report.lines_debit,
            })}
          </Alert>
        </div>
      ) : null}
      <Card title={t('invoice.bank.upload')} className="mb-6">
        <Form method="post" encType="multipart/form-data" noValidate className="space-y-3">
          <AuthenticityTokenInput />
          <div>
            <label htmlFor="f-file" className="block text-sm font-medium text-slate-800">
              {t('invoice.bank.file')}
            </label>
            <input
              id="f-file"
              name="file"
              type="file"
              accept=".csv,.txt,text/csv"
              aria-invalid={fileError ? true : undefined}
              aria-describedby={`file-hint${fileError ? ' file-error' : ''}`}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white text-sm text-slate-800 file:mr-3 file:border-0 file:bg-indigo-50 file:px-4 file:py-2 file:font-semibold file:text-indigo-800 hover:file:bg-indigo-100 focus:outline-none focus:ring-2 focus:ring-indigo-600"
            />
            <p id="file-hint" className="mt-1 text-xs text-slate-600">
              {t('invoice.bank.fileHint')}
            </p>
            {fileError ? (
              <p id="file-error" className="mt-1 text-sm font-medium text-red-700">
                {fileError}
              </p>
            ) : null}
          </div>
          <Button disabled={busy}>{t('invoice.bank.import')}</Button>
        </Form>
      </Card>
      <Card title={t('invoice.bank.pending', { count: lines.length })}>
        {lines.length === 0 ? (
          <p className="text-sm text-slate-600">{t('invoice.bank.none')}</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="bank-lines">
            {lines.map((l) => {
              const lineFailed = failed?.values?.line_id === l.id
              const error = lineFailed ? (failed?.formError ?? Object.values(failed?.errors ?? {})[0]) : undefined
              const proposed = new Set(l.proposals.map((p) => p.id))
              const selectId = `inv-${l.id}`
              return (
                <li key={l.id} className="py-4">
                  <p className="flex flex-wrap justify-between gap-2 text-sm">
                    <span className="font-medium text-slate-900">
                      {formatIsoDate(l.booked_on)} · {l.label || t('invoice.bank.noLabel')}
                    </span>
                    <span className="font-semibold tabular-nums">{formatEuros(l.amount_cents)}</span>
                  </p>
                  <p className="mt-1 text-xs text-slate-600">
                    {l.proposals.length ? t(`invoice.bank.reason.${l.proposals[0].reason}`) : t('invoice.bank.noProposal')}
                  </p>
                  <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
                    <AuthenticityTokenInput />
                    <input type="hidden" name="line_id" value={l.id} />
                    <div className="min-w-0 flex-1">
                      <label htmlFor={selectId} className="block text-sm font-medium text-slate-800">
                        {t('invoice.bank.invoice')}
                      </label>
                      <select
                        id={selectId}
                        name="invoice_id"
                        defaultValue={lineFailed ? failed?.values?.invoice_id : (l.proposals[0]?.id ?? '')}
                        aria-invalid={error ? true : undefined}
                        aria-describedby={error ? `${selectId}-error` : undefined}
                        className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm focus:border-indigo-600 focus:outline-none focus:ring-2 focus:ring-indigo-600"
                      >
                        <option value="">{t('invoice.bank.choose')}</option>
                        {l.proposals.length ? (
                          <optgroup label={t('invoice.bank.proposed')}>
                            {l.proposals.map((p) =>
                              byId.get(p.id) ? (
                                <option key={p.id} value={p.id}>
                                  {invoiceLabel(byId.get(p.id)!)}
                                </option>
                              ) : null,
                            )}
                          </optgroup>
                        ) : null}
                        <optgroup label={t('invoice.bank.otherOpen')}>
                          {open
                            .filter((o) => !proposed.has(o.id))
                            .map((o) => (
                              <option key={o.id} value={o.id}>
                                {invoiceLabel(o)}
                              </option>
                            ))}
                        </optgroup>
                      </select>
                    </div>
                    <Button name="intent" value="confirm" disabled={busy}>
                      {t('invoice.bank.confirm')}
                    </Button>
                    <Button name="intent" value="ignore" variant="secondary" disabled={busy}>
                      {t('invoice.bank.ignore')}
                    </Button>
                  </Form>
                  {error ? (
                    <p id={`${selectId}-error`} className="mt-1 text-sm font-medium text-red-700" role="alert">
                      {error}
                    </p>
                  ) : null}
                </li>
              )
            })}
          </ul>
        )}
      </Card>
      {report ? <p className="mt-4 text-xs text-slate-600">{t('invoice.bank.importedAt', { date: formatDateTime(report.created_at) })}</p> : null}
    </>
  )
}
