import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react'
import { randomUUID } from 'node:crypto'
import { AuthenticityTokenInput } from '~/components/authenticity-token-input'
import { InvoiceStatusBadge } from '~/components/invoice-status-badge'
import { QuoteDocumentView } from '~/components/quotes/quote-document-view'
import { globalToInput, editorRows } from '~/components/quotes/quote-form'
import { QuoteLinesEditor } from '~/components/quotes/quote-lines-editor'
import { Alert } from '~/components/ui/alert'
import { Button } from '~/components/ui/button'
import { CheckboxField } from '~/components/ui/checkbox-field'
import { SelectField, TextAreaField, TextField } from '~/components/ui/field'
import { Card, PageHeader } from '~/components/ui/page-header'
import { useT } from '~/i18n/use-t'
import { notFound, requireUser, requireUserForm } from '~/utils/auth.server'
import { centsToInput, formatDateTime, formatEuros, formatIsoDate } from '~/utils/format'
import type { FormFailure } from '~/utils/forms.server'
import { invoiceAction } from '~/utils/invoice-actions.server'
import { findVisibleInvoice, invoiceFollowUp } from '~/utils/invoices.server'
import { partyOptions, productChoices } from '~/utils/quotes-editor.server'
import { formatPercentFr } from '../../domain/sales/money'
import { computeTotals } from '../../domain/sales/quote-totals'
import type { InvoiceDocument } from '../../domain/invoicing/invoice-document'
import {
  displayStatus,
  OPERATION_CATEGORIES,
  OPERATION_CATEGORY_LABELS,
  PAYMENT_METHOD_LABELS,
  PAYMENT_METHODS,
  PAYMENT_TERMS,
  PAYMENT_TERMS_CODES,
  remainingCents,
} from '../../domain/invoicing/invoice-rules'
import { parisDay } from '../../domain/shared/paris-time'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? 'Facture'} — Alforis CRM` }]

// /invoices/:id — a draft: the editor (works without JS; live totals with JS) and
// "Émettre". An issued invoice: its frozen content, PDF, sending, payments, credit notes,
// dunning and timeline. Finance and admins act; others read.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const found = await findVisibleInvoice(auth, params.id ?? '')
  if (!found) throw notFound()
  const inv = found.invoice
  const draft = inv.status === 'brouillon'
  const [follow, options, products, corrected, quote] = await Promise.all([
    invoiceFollowUp(auth, inv.id),
    found.canWrite && draft ? partyOptions(auth, inv.organisation_id) : null,
    found.canWrite && draft ? productChoices(auth) : [],
    inv.corrects_invoice_id ? auth.tenant.selectFrom('invoices').select(['id', 'number']).where('id', '=', inv.corrects_invoice_id).executeTakeFirst() : null,
    inv.quote_id ? auth.tenant.selectFrom('quotes').select(['id', 'number']).where('id', '=', inv.quote_id).executeTakeFirst() : null,
  ])
  const totals = computeTotals(inv.lines, inv.global_discount)
  const today = parisDay(auth.now())
  const doc = inv.document as InvoiceDocument | null
  const title = `${auth.t(`invoice.type.${inv.type_code}`)} ${inv.number ?? auth.t('invoice.draftNumber')}`
  return {
    title,
    inv: { ...inv, document: null },
    buyerEmail: doc?.buyer.email ?? '',
    organisationName: found.organisationName,
    canWrite: found.canWrite,
    display: displayStatus(inv, today),
    remaining: remainingCents(inv),
    documentLines: inv.lines.map((l, i) => ({ ...l, ...totals.lines[i] })),
    totals: { ...totals, lines: undefined },
    deposits: doc?.deducted_deposits ?? [],
    options,
    products,
    corrected: corrected ?? null,
    quote: quote ?? null,
    follow: {
      payments: follow.payments.map((p) => ({ ...p, paid_on: String(p.paid_on), amount_cents: Number(p.amount_cents) })),
      creditNotes: follow.creditNotes.map((c) => ({ ...c, total_ttc_cents: Number(c.total_ttc_cents) })),
      reminders: follow.reminders,
      events: follow.events.map((e) => ({ position: String(e.position), type: e.type, at: e.occurred_at })),
    },
    today,
    commandId: randomUUID(),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const auth = await requireUserForm(request, context)
  const found = await findVisibleInvoice(auth, params.id ?? '')
  if (!found) throw notFound()
  if (!found.canWrite) throw new Response('forbidden', { status: 403 })
  return invoiceAction(auth, context, found.invoice)
}

const dl = 'grid gap-3 text-sm sm:grid-cols-2'

export default function InvoicePage() {
  const data = useLoaderData<typeof loader>()
  const failed = useActionData<typeof action>() as FormFailure | undefined
  const [search] = useSearchParams()
  const busy = useNavigation().state === 'submitting'
  const t = useT()
  const { inv, canWrite, follow } = data
  const draft = inv.status === 'brouillon'
  const v = failed?.values
  const errors = failed?.errors ?? {}
  const failedIntent = v?.intent
  const notice = search.get('emise')
    ? t('invoice.issued', { number: search.get('emise')! })
    : search.get('paiement')
      ? t('invoice.payment.recorded')
      : search.get('envoyee')
        ? t('invoice.sent', { to: search.get('envoyee')! })
        : search.get('enregistre')
          ? t('invoice.saved')
          : null
  const typeLabel = t(`invoice.type.${inv.type_code}`)
  return (
    <>
      <PageHeader
        title={data.title}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <InvoiceStatusBadge status={data.display} /> {data.organisationName}
            {data.quote ? (
              <Link to={`/quotes/${data.quote.id}`} className="text-indigo-800 hover:underline">
                {t('invoice.fromQuote', { number: data.quote.number })}
              </Link>
            ) : null}
            {data.corrected ? (
              <Link to={`/invoices/${data.corrected.id}`} className="text-indigo-800 hover:underline">
                {t('invoice.correctedInvoice', { number: data.corrected.number ?? '' })}
              </Link>
            ) : null}
          </span>
        }
        actions={
          !draft ? (
            <a href={`/invoices/${inv.id}.pdf`} className="rounded-md bg-indigo-700 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-800">
              {t('invoice.pdf')}
            </a>
          ) : null
        }
      />
      {notice ? (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {failed ? (
        <div className="mb-4">
          <Alert tone="error">{failed.formError ?? Object.values(errors)[0] ?? t('errors.formSummary')}</Alert>
        </div>
      ) : null}

      {draft && canWrite && data.options ? (
        <>
          <Form method="post" id="invoice-form" noValidate className="space-y-6" key={`${inv.version}-${failed ? JSON.stringify(errors) : ''}`}>
            <AuthenticityTokenInput />
            <input type="hidden" name="commandId" value={data.commandId} />
            <input type="hidden" name="version" value={inv.version} />
            <Card title={t('invoice.client')}>
              <div className="grid gap-4 sm:grid-cols-2">
                <div>
                  <p className="block text-sm font-medium text-slate-800">{t('invoice.organisation')}</p>
                  <p className="mt-1 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-900 ring-1 ring-inset ring-slate-200">{data.organisationName}</p>
                </div>
                <SelectField name="contact_id" label={t('invoice.contact')} defaultValue={v?.contact_id ?? inv.contact_id ?? ''} error={errors.contact_id}>
                  <option value="">{t('invoice.noContact')}</option>
                  {data.options.contacts.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </SelectField>
              </div>
            </Card>
            <section id="lignes" aria-labelledby="lines-title" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
              <h2 id="lines-title" className="mb-3 text-base font-semibold text-slate-900">
                {t('invoice.lines')}
              </h2>
              <QuoteLinesEditor
                initialRows={editorRows(inv.lines)}
                initialGlobal={
                  v
                    ? { discount: v.global_discount ?? '', discount_kind: v.global_discount_kind === 'amount' ? 'amount' : 'percent' }
                    : globalToInput(inv.global_discount)
                }
                errors={errors}
                products={data.products}
              />
            </section>
            <Card title={t('invoice.conditions')}>
              <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                <TextField
                  name="delivery_date"
                  type="date"
                  label={t('invoice.deliveryDate')}
                  hint={t('invoice.deliveryDateHint')}
                  defaultValue={v?.delivery_date ?? inv.delivery_date ?? ''}
                  error={errors.delivery_date}
                />
                <SelectField
                  name="payment_terms_code"
                  label={t('invoice.paymentTerms')}
                  defaultValue={v?.payment_terms_code ?? inv.payment_terms_code}
                  error={errors.payment_terms_code}
                >
                  {PAYMENT_TERMS_CODES.map((c) => (
                    <option key={c} value={c}>
                      {PAYMENT_TERMS[c]}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  name="late_penalty_rate"
                  inputMode="decimal"
                  label={t('invoice.penaltyRate')}
                  hint={t('invoice.penaltyRateHint')}
                  defaultValue={v?.late_penalty_rate ?? formatPercentFr(inv.late_penalty_rate_bps).replace(/\s*%$/, '')}
                  error={errors.late_penalty_rate_bps}
                />
                <SelectField
                  name="operation_category"
                  label={t('invoice.operationCategory')}
                  defaultValue={v?.operation_category ?? inv.operation_category}
                  error={errors.operation_category}
                >
                  {OPERATION_CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {OPERATION_CATEGORY_LABELS[c]}
                    </option>
                  ))}
                </SelectField>
                <TextField
                  name="early_payment_discount"
                  label={t('invoice.earlyDiscount')}
                  hint={t('invoice.earlyDiscountHint')}
                  defaultValue={v?.early_payment_discount ?? inv.early_payment_discount ?? ''}
                  error={errors.early_payment_discount}
                  maxLength={500}
                />
                <TextField
                  name="buyer_order_reference"
                  label={t('invoice.orderRef')}
                  defaultValue={v?.buyer_order_reference ?? inv.buyer_order_reference ?? ''}
                  error={errors.buyer_order_reference}
                  maxLength={100}
                />
              </div>
              <CheckboxField
                name="vat_on_debits"
                label={t('invoice.vatOnDebits')}
                defaultChecked={v ? v.vat_on_debits === 'on' : inv.vat_on_debits}
                className="mt-4"
              />
              <fieldset className="mt-4">
                <legend className="text-sm font-medium text-slate-800">{t('invoice.deliveryAddress')}</legend>
                {errors.delivery_address ? <p className="text-sm text-red-700">{errors.delivery_address}</p> : null}
                <div className="mt-2 grid gap-4 sm:grid-cols-[minmax(0,2fr)_8rem_minmax(0,1fr)]">
                  <TextField name="delivery_line1" label={t('invoice.deliveryLine1')} defaultValue={v?.delivery_line1 ?? inv.delivery_address?.line1 ?? ''} />
                  <TextField
                    name="delivery_postal_code"
                    label={t('invoice.deliveryPostal')}
                    defaultValue={v?.delivery_postal_code ?? inv.delivery_address?.postal_code ?? ''}
                  />
                  <TextField name="delivery_city" label={t('invoice.deliveryCity')} defaultValue={v?.delivery_city ?? inv.delivery_address?.city ?? ''} />
                </div>
              </fieldset>
              <TextAreaField
                className="mt-4"
                name="notes"
                label={t('invoice.notes')}
                rows={3}
                defaultValue={v?.notes ?? inv.notes ?? ''}
                error={errors.notes}
              />
            </Card>
            <Button name="intent" value="save" disabled={busy}>
              {t('invoice.save')}
            </Button>
          </Form>
          <Card title={t('invoice.issue')} className="mt-6">
            <Form method="post" className="space-y-3">
              <AuthenticityTokenInput />
              <input type="hidden" name="commandId" value={data.commandId} />
              <input type="hidden" name="version" value={inv.version} />
              <p className="text-sm text-slate-700">{t('invoice.issueHint')}</p>
              <Button name="intent" value="issue" disabled={busy}>
                {t('invoice.issue')}
              </Button>
            </Form>
          </Card>
        </>
      ) : (
        <div className="space-y-6">
          {!canWrite ? <Alert tone="info">{t('invoice.readOnly')}</Alert> : !draft ? <Alert tone="info">{t('invoice.issuedNotice')}</Alert> : null}
          <Card title={t('invoice.lines')}>
            <QuoteDocumentView lines={data.documentLines} totals={data.totals} />
            {data.deposits.length ? (
              <div className="mt-4 text-sm">
                <p className="font-medium text-slate-800">{t('invoice.deposits')}</p>
                <ul className="mt-1 space-y-1">
                  {data.deposits.map((d) => (
                    <li key={d.invoice_id} className="flex justify-between">
                      <Link to={`/invoices/${d.invoice_id}`} className="text-indigo-800 hover:underline">
                        {d.number}
                      </Link>
                      <span className="tabular-nums">- {formatEuros(d.total_ttc_cents)}</span>
                    </li>
                  ))}
                </ul>
                <p className="mt-2 flex justify-between font-semibold">
                  <span>{t('invoice.amountDue')}</span>
                  <span className="tabular-nums">{formatEuros(Number(inv.amount_due_cents))}</span>
                </p>
              </div>
            ) : null}
          </Card>
          {!draft ? (
            <Card title={data.title}>
              <dl className={dl}>
                <div>
                  <dt className="font-medium text-slate-700">{t('invoice.issueDate')}</dt>
                  <dd>{inv.issue_date ? formatIsoDate(inv.issue_date) : ''}</dd>
                </div>
                <div>
                  <dt className="font-medium text-slate-700">{t('invoice.dueDate')}</dt>
                  <dd>{inv.due_date ? formatIsoDate(inv.due_date) : ''}</dd>
                </div>
                <div>
                  <dt className="font-medium text-slate-700">{t('invoice.paymentTerms')}</dt>
                  <dd>{PAYMENT_TERMS[inv.payment_terms_code]}</dd>
                </div>
                <div>
                  <dt className="font-medium text-slate-700">{t('invoice.remaining')}</dt>
                  <dd className="tabular-nums">{formatEuros(data.remaining)}</dd>
                </div>
                <div>
                  <dt className="font-medium text-slate-700">{t('invoice.send')}</dt>
                  <dd>{inv.sent_at ? t('invoice.sentAt', { date: formatDateTime(inv.sent_at) }) : t('invoice.notSent')}</dd>
                </div>
              </dl>
            </Card>
          ) : null}
        </div>
      )}

      {!draft ? (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          {inv.type_code !== '381' ? (
            <Card title={t('invoice.payments')}>
              {follow.payments.length === 0 ? (
                <p className="text-sm text-slate-600">{t('invoice.noPayments')}</p>
              ) : (
                <ul className="space-y-1 text-sm" data-testid="payments">
                  {follow.payments.map((p) => (
                    <li key={p.id} className="flex justify-between gap-2">
                      <span>
                        {formatIsoDate(p.paid_on)} · {PAYMENT_METHOD_LABELS[p.method]}
                        {p.reference ? ` · ${p.reference}` : ''}
                      </span>
                      <span className="tabular-nums">{formatEuros(p.amount_cents)}</span>
                    </li>
                  ))}
                </ul>
              )}
              {canWrite && inv.status === 'emise' && data.remaining > 0 ? (
                <Form method="post" noValidate className="mt-4 grid gap-3 border-t border-slate-100 pt-4 sm:grid-cols-2">
                  <AuthenticityTokenInput />
                  <input type="hidden" name="commandId" value={data.commandId} />
                  <input type="hidden" name="intent" value="payment" />
                  <TextField
                    name="paid_on"
                    type="date"
                    label={t('invoice.payment.date')}
                    defaultValue={failedIntent === 'payment' ? v?.paid_on : data.today}
                    error={failedIntent === 'payment' ? errors.paid_on : undefined}
                  />
                  <TextField
                    name="amount"
                    inputMode="decimal"
                    label={t('invoice.payment.amount')}
                    defaultValue={failedIntent === 'payment' ? v?.amount : centsToInput(data.remaining)}
                    error={failedIntent === 'payment' ? errors.amount : undefined}
                  />
                  <SelectField name="method" label={t('invoice.payment.method')} defaultValue={failedIntent === 'payment' ? v?.method : 'virement'}>
                    {PAYMENT_METHODS.map((m) => (
                      <option key={m} value={m}>
                        {PAYMENT_METHOD_LABELS[m]}
                      </option>
                    ))}
                  </SelectField>
                  <TextField
                    name="reference"
                    label={t('invoice.payment.reference')}
                    defaultValue={failedIntent === 'payment' ? v?.reference : ''}
                    maxLength={200}
                  />
                  <Button disabled={busy} className="sm:col-span-2">
                    {t('invoice.payment.record')}
                  </Button>
                </Form>
              ) : null}
            </Card>
          ) : null}
          {inv.type_code !== '381' ? (
            <Card title={t('invoice.creditNotes')}>
              {follow.creditNotes.length === 0 ? (
                <p className="text-sm text-slate-600">{t('invoice.noCreditNotes')}</p>
              ) : (
                <ul className="space-y-1 text-sm">
                  {follow.creditNotes.map((c) => (
                    <li key={c.id} className="flex justify-between">
                      <Link to={`/invoices/${c.id}`} className="text-indigo-800 hover:underline">
                        {c.number ?? t('invoice.draftNumber')}
                      </Link>
                      <span className="tabular-nums">{formatEuros(c.total_ttc_cents)}</span>
                    </li>
                  ))}
                </ul>
              )}
              {canWrite && inv.status === 'emise' ? (
                <Form method="post" className="mt-4 space-y-2 border-t border-slate-100 pt-4">
                  <AuthenticityTokenInput />
                  <input type="hidden" name="commandId" value={data.commandId} />
                  <p className="text-sm text-slate-700">{t('invoice.creditNote.hint')}</p>
                  <Button name="intent" value="credit_note" variant="secondary" disabled={busy}>
                    {t('invoice.creditNote.create')}
                  </Button>
                </Form>
              ) : null}
            </Card>
          ) : null}
          {canWrite ? (
            <Card title={t('invoice.send')}>
              <Form method="post" noValidate className="space-y-3">
                <AuthenticityTokenInput />
                <input type="hidden" name="commandId" value={data.commandId} />
                <input type="hidden" name="intent" value="send" />
                <TextField
                  name="to"
                  type="email"
                  label={t('invoice.send.to')}
                  defaultValue={failedIntent === 'send' ? v?.to : data.buyerEmail}
                  error={failedIntent === 'send' ? errors.to : undefined}
                />
                <TextField
                  name="subject"
                  label={t('invoice.send.subject')}
                  defaultValue={failedIntent === 'send' ? v?.subject : `${typeLabel} ${inv.number}`}
                  error={failedIntent === 'send' ? errors.subject : undefined}
                />
                <TextAreaField
                  name="message"
                  label={t('invoice.send.message')}
                  rows={5}
                  defaultValue={
                    failedIntent === 'send' ? v?.message : t('invoice.send.defaultMessage', { document: typeLabel.toLowerCase(), number: inv.number ?? '' })
                  }
                  error={failedIntent === 'send' ? errors.message : undefined}
                />
                <Button disabled={busy}>{t('invoice.send')}</Button>
              </Form>
            </Card>
          ) : null}
          {inv.type_code !== '381' ? (
            <Card title={t('invoice.dunning')}>
              <p className="text-sm text-slate-700">{inv.dunning_paused ? t('invoice.dunning.paused') : t('invoice.dunning.active')}</p>
              <ul className="mt-2 space-y-1 text-sm">
                {follow.reminders.map((r) => (
                  <li key={r.stage}>
                    {t(`invoice.dunning.stage.${r.stage}`)} · {formatDateTime(r.sent_at)}
                    {r.penalty_cents !== null ? ` · ${formatEuros(Number(r.penalty_cents))}` : ''}
                    {r.email_status ? ` · ${t('invoice.dunning.emailStatus', { status: t(`invoice.emailStatus.${r.email_status}`) })}` : ''}
                  </li>
                ))}
              </ul>
              {canWrite && inv.status === 'emise' ? (
                <Form method="post" className="mt-3">
                  <AuthenticityTokenInput />
                  <input type="hidden" name="commandId" value={data.commandId} />
                  <Button name="intent" value={inv.dunning_paused ? 'dunning_resume' : 'dunning_pause'} variant="secondary" disabled={busy}>
                    {inv.dunning_paused ? t('invoice.dunning.resume') : t('invoice.dunning.pause')}
                  </Button>
                </Form>
              ) : null}
            </Card>
          ) : null}
        </div>
      ) : null}
      <Card title={t('invoice.timeline')} className="mt-6">
        <ol className="space-y-1 text-sm" data-testid="invoice-timeline">
          {follow.events.map((e) => (
            <li key={e.position}>
              {formatDateTime(e.at)} — {t(`invoice.event.${e.type}` as Parameters<typeof t>[0])}
            </li>
          ))}
        </ol>
      </Card>
    </>
  )
}
